package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorNormsTest {

    static Stream<Arguments> cases() {
        return TestData.lengths().boxed().flatMap(n -> Stream.of(NormKind.values()).map(k -> Arguments.of(k, n)));
    }

    /** RMS sums in a different order than its twin; MAX must be exact. */
    static void assertNorm(NormKind kind, double want, double got, String what) {
        if (kind == NormKind.MAX || Double.isNaN(want) || Double.isInfinite(want)) {
            assertEquals(want, got, 0.0, what);
        } else {
            assertEquals(want, got, 1e-14 * want, what);
        }
    }

    record Data(double[] err, double[] y0, double[] y1, double[] atol, double[] rtol) {
        static Data random(long seed, int len) {
            SplittableRandom rnd = new SplittableRandom(seed);
            return new Data(TestData.uniform(rnd, len, 1e-3), TestData.uniform(rnd, len, 10.0),
                    TestData.uniform(rnd, len, 10.0), TestData.uniform(rnd, len, 1e-9, 1e-6),
                    TestData.uniform(rnd, len, 1e-6, 1e-3));
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void wholeArrayMatchesScalarTwin(NormKind kind, int n) {
        int off = 3;
        Data d = Data.random(n, n + off + 2);
        assertNorm(kind, ErrorNorms.scaledScalar(kind, d.err, d.y0, d.y1, off, n, 1e-6, 1e-3),
                ErrorNorms.scaled(kind, d.err, d.y0, d.y1, off, n, 1e-6, 1e-3), "scalar tolerances");
        assertNorm(kind, ErrorNorms.scaledScalar(kind, d.err, d.y0, d.y1, off, n, d.atol, d.rtol),
                ErrorNorms.scaled(kind, d.err, d.y0, d.y1, off, n, d.atol, d.rtol), "per-component tolerances");
        if (n == 0) assertEquals(0.0, ErrorNorms.scaled(kind, d.err, d.y0, d.y1, off, 0, 1e-6, 1e-3));
    }

    @ParameterizedTest(name = "{0} dim={1}")
    @MethodSource("cases")
    void perRowMatchesScalarTwin(NormKind kind, int dim) {
        int rows = 5;
        Data d = Data.random(100 + dim, rows * dim);
        double[] atol = Arrays.copyOf(d.atol, dim);
        double[] rtol = Arrays.copyOf(d.rtol, dim);
        double[] got = new double[rows];
        double[] want = new double[rows];
        ErrorNorms.scaledPerRow(kind, d.err, d.y0, d.y1, rows, dim, 1e-6, 1e-3, got);
        ErrorNorms.scaledPerRowScalar(kind, d.err, d.y0, d.y1, rows, dim, 1e-6, 1e-3, want);
        for (int r = 0; r < rows; r++) assertNorm(kind, want[r], got[r], "row " + r);
        ErrorNorms.scaledPerRow(kind, d.err, d.y0, d.y1, rows, dim, atol, rtol, got);
        ErrorNorms.scaledPerRowScalar(kind, d.err, d.y0, d.y1, rows, dim, atol, rtol, want);
        for (int r = 0; r < rows; r++) {
            assertNorm(kind, want[r], got[r], "row " + r + " per-component");
            // a row norm is the whole-array norm of that row with the row's tolerances
            double[] at = new double[rows * dim];
            double[] rt = new double[rows * dim];
            for (int c = 0; c < dim; c++) {
                at[r * dim + c] = atol[c];
                rt[r * dim + c] = rtol[c];
            }
            assertEquals(ErrorNorms.scaled(kind, d.err, d.y0, d.y1, r * dim, dim, at, rt), got[r], 0.0);
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void seminormMatchesScalarTwin(NormKind kind, int n) {
        Data d = Data.random(200 + n, n);
        int[][] ignoredSets = {{}, {0, n / 3}, {n / 4, n / 2}, {0, n / 4, n / 2, 3 * n / 4}, {n / 2, n}, {0, n}};
        for (int[] ignored : ignoredSets) {
            String what = Arrays.toString(ignored);
            assertNorm(kind, ErrorNorms.scaledSeminormScalar(kind, d.err, d.y0, d.y1, n, 1e-6, 1e-3, ignored),
                    ErrorNorms.scaledSeminorm(kind, d.err, d.y0, d.y1, n, 1e-6, 1e-3, ignored), what);
            assertNorm(kind, ErrorNorms.scaledSeminormScalar(kind, d.err, d.y0, d.y1, n, d.atol, d.rtol, ignored),
                    ErrorNorms.scaledSeminorm(kind, d.err, d.y0, d.y1, n, d.atol, d.rtol, ignored), what + " per-comp");
        }
        // with nothing ignored the seminorm is the norm
        assertNorm(kind, ErrorNorms.scaled(kind, d.err, d.y0, d.y1, 0, n, d.atol, d.rtol),
                ErrorNorms.scaledSeminorm(kind, d.err, d.y0, d.y1, n, d.atol, d.rtol, new int[0]), "no ranges");
    }

    @Test
    void seminormIgnoresHugeErrorsInTheIgnoredBlock() {
        int n = 3 * TestData.LANES + 1;
        double[] err = new double[n];
        Arrays.fill(err, 1e-7);
        double[] y = new double[n];
        Arrays.fill(err, TestData.LANES, 2 * TestData.LANES + 1, 1e6);
        double semi = ErrorNorms.scaledSeminorm(NormKind.MAX, err, y, y, n, 1e-6, 0, new int[] {TestData.LANES, 2 * TestData.LANES + 1});
        assertEquals(0.1, semi, 1e-15);
        assertEquals(1e12, ErrorNorms.scaled(NormKind.MAX, err, y, y, 0, n, 1e-6, 0), 1e-3);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void nanAnywhereGivesNanAndInfGivesInf(NormKind kind, int n) {
        for (int pos = 0; pos < n; pos++) {
            for (int which = 0; which < 3; which++) {
                Data d = Data.random(pos, n);
                double[] target = which == 0 ? d.err : which == 1 ? d.y0 : d.y1;
                target[pos] = Double.NaN;
                assertTrue(Double.isNaN(ErrorNorms.scaled(kind, d.err, d.y0, d.y1, 0, n, 1e-6, 1e-3)), "pos " + pos);
                assertTrue(Double.isNaN(ErrorNorms.scaled(kind, d.err, d.y0, d.y1, 0, n, d.atol, d.rtol)));
                double[] rowOut = new double[1];
                ErrorNorms.scaledPerRow(kind, d.err, d.y0, d.y1, 1, n, 1e-6, 1e-3, rowOut);
                assertTrue(Double.isNaN(rowOut[0]));
                assertTrue(Double.isNaN(ErrorNorms.scaledSeminorm(kind, d.err, d.y0, d.y1, n, 1e-6, 1e-3, new int[0])));
            }
            Data d = Data.random(pos, n);
            d.atol[pos] = Double.NaN;
            assertTrue(Double.isNaN(ErrorNorms.scaled(kind, d.err, d.y0, d.y1, 0, n, d.atol, d.rtol)), "atol NaN");
            d = Data.random(pos, n);
            d.err[pos] = Double.NEGATIVE_INFINITY;
            assertEquals(Double.POSITIVE_INFINITY, ErrorNorms.scaled(kind, d.err, d.y0, d.y1, 0, n, 1e-6, 1e-3));
            d.y1[pos] = Double.POSITIVE_INFINITY; // inf / inf
            assertTrue(Double.isNaN(ErrorNorms.scaled(kind, d.err, d.y0, d.y1, 0, n, 1e-6, 1e-3)));
        }
    }

    @Test
    void perComponentToleranceWeighsEachComponent() {
        // component 1 is held 1000 times tighter: the same error there dominates the norm
        double[] err = {1e-6, 1e-6, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        double[] y = new double[err.length];
        double[] atol = new double[err.length];
        Arrays.fill(atol, 1e-6);
        atol[1] = 1e-9;
        double[] rtol = new double[err.length];
        assertEquals(1000.0, ErrorNorms.scaled(NormKind.MAX, err, y, y, 0, err.length, atol, rtol), 1e-9);
        assertEquals(Math.sqrt((1 + 1e6) / err.length),
                ErrorNorms.scaled(NormKind.RMS, err, y, y, 0, err.length, atol, rtol), 1e-9);
    }

    @Test
    void badArgumentsAreNamed() {
        double[] x = new double[4];
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> ErrorNorms.scaled(NormKind.RMS, x, new double[3], x, 0, 4, 1, 1));
        assertTrue(e.getMessage().startsWith("y0["), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class,
                () -> ErrorNorms.scaledSeminorm(NormKind.RMS, x, x, x, 4, 1, 1, new int[] {2, 1}));
        assertTrue(f.getMessage().contains("[2, 1)"), f.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ErrorNorms.scaledSeminorm(NormKind.RMS, x, x, x, 4, 1, 1, new int[] {1}));
        var g = assertThrows(IndexOutOfBoundsException.class,
                () -> ErrorNorms.scaledPerRow(NormKind.RMS, x, x, x, 2, 2, new double[1], x, new double[2]));
        assertTrue(g.getMessage().startsWith("atol"), g.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ErrorNorms.scaledPerRow(NormKind.RMS, x, x, x, -1, 2, 1, 1, new double[2]));
    }

    /**
     * The RMS is the same bits interpreted, C1- and C2-compiled: each lane accumulates its components with fused
     * multiply-adds and the lanes are summed in lane order ({@code reduceLanes(ADD)} leaves the order open, which
     * made step sizes, and so whole solves, depend on what the JIT had compiled). Checked against a scalar emulation
     * of exactly that order on 64 random cases over 40 000 calls, long enough for C2 to compile the kernel.
     */
    @Test
    void rmsHasOneFixedSummationOrderWhateverTheJitHasCompiled() {
        SplittableRandom rnd = new SplittableRandom(12);
        int lanes = TestData.LANES, n = 16 * lanes + 3, cases = 64;
        double atol = 1e-6, rtol = 1e-3;
        double[][] err = new double[cases][], y0 = new double[cases][], y1 = new double[cases][];
        long[] want = new long[cases];
        for (int c = 0; c < cases; c++) {
            err[c] = TestData.uniform(rnd, n, 1e-3);
            y0[c] = TestData.uniform(rnd, n, 1.0);
            y1[c] = TestData.uniform(rnd, n, 1.0);
            double[] acc = new double[lanes];
            int full = n - n % lanes;
            for (int j = 0; j < full; j++) {
                double r = err[c][j] / (Math.max(Math.abs(y0[c][j]), Math.abs(y1[c][j])) * rtol + atol);
                acc[j % lanes] = Math.fma(r, r, acc[j % lanes]);
            }
            double sum = acc[0];
            for (int l = 1; l < lanes; l++) sum += acc[l];
            for (int j = full; j < n; j++) {
                double r = err[c][j] / (atol + rtol * Math.max(Math.abs(y0[c][j]), Math.abs(y1[c][j])));
                sum = Math.fma(r, r, sum);
            }
            want[c] = Double.doubleToRawLongBits(Math.sqrt(sum / n));
        }
        for (int call = 0; call < 40_000; call++) {
            int c = call % cases;
            assertEquals(want[c], Double.doubleToRawLongBits(
                    ErrorNorms.scaled(NormKind.RMS, err[c], y0[c], y1[c], 0, n, atol, rtol)), "call " + call);
        }
    }
}
