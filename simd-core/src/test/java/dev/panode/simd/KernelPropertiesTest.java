package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property-based twins of the parametrised suites: every simd-core kernel equals its scalar oracle on random lengths,
 * offsets and values (including NaN, ±∞, ±0 and subnormals), within the rounding bound of the operation.
 * jqwik draws the sizes and offsets (and shrinks them on failure); the values come from a drawn seed.
 */
class KernelPropertiesTest {

    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
            Double.MIN_VALUE, -Double.MIN_NORMAL};

    /** Values of mixed magnitude (1e-30 .. 1e30, so no product overflows), with a few special values. */
    static double[] values(SplittableRandom rnd, int n, double specialRate) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < specialRate) {
                x[i] = SPECIAL[rnd.nextInt(SPECIAL.length)];
            } else {
                x[i] = (2 * rnd.nextDouble() - 1) * Math.pow(10, rnd.nextInt(-30, 31) * rnd.nextDouble());
            }
        }
        return x;
    }

    /** Equal as non-finite values, or within {@code tol} as finite ones. */
    static void assertClose(double want, double got, double tol, String what) {
        if (!Double.isFinite(want) || !Double.isFinite(got)) {
            assertEquals(want, got, 0.0, what); // NaN equals NaN here; ±∞ must match exactly
        } else {
            assertEquals(want, got, tol, what);
        }
    }

    @Provide
    Arbitrary<Transpose> transposes() {
        return Arbitraries.of(Transpose.class);
    }

    @Property(tries = 300)
    void stageCombinationsEqualTheirTwins(@ForAll @IntRange(min = 0, max = 200) int n,
                                          @ForAll @IntRange(min = 1, max = 13) int s,
                                          @ForAll @IntRange(min = 0, max = 9) int yOff,
                                          @ForAll @IntRange(min = 0, max = 9) int kOff,
                                          @ForAll @IntRange(min = 0, max = 9) int outOff,
                                          @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] c = values(rnd, s, 0);
        for (int i = 0; i < s; i++) if (rnd.nextInt(3) == 0) c[i] = 0.0;
        double[][] k = new double[s][];
        for (int i = 0; i < s; i++) k[i] = values(rnd, kOff + n, 0.02);
        double[] y = values(rnd, yOff + n, 0.02);
        double h = values(rnd, 1, 0)[0];
        double[] got = new double[outOff + n], want = new double[outOff + n];
        StageKernels.combine(y, yOff, h, c, s, k, kOff, got, outOff, n);
        StageKernels.combineScalar(y, yOff, h, c, s, k, kOff, want, outOff, n);
        double[] err = new double[n], errWant = new double[n];
        StageKernels.errorEstimate(h, c, s, k, kOff, err, 0, n);
        StageKernels.errorEstimateScalar(h, c, s, k, kOff, errWant, 0, n);
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int i = 0; i < s; i++) if (c[i] != 0) sum += Math.abs(h * c[i] * k[i][kOff + j]);
            double tol = 4 * (s + 1) * Math.ulp(sum + Math.abs(y[yOff + j]));
            assertClose(want[outOff + j], got[outOff + j], tol, "combine j=" + j);
            assertClose(errWant[j], err[j], 4 * (s + 1) * Math.ulp(sum), "errorEstimate j=" + j);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate((long) (yOff + n) * Double.BYTES + 1).asSlice(1);
            SegmentKernels.copy(y, 0, seg, 0, yOff + n);
            double[] fromSegment = new double[outOff + n];
            SegmentKernels.combine(seg, yOff, h, c, s, k, kOff, fromSegment, outOff, n);
            assertTrue(Arrays.equals(got, fromSegment), "segment combine equals the on-heap combine bitwise");
        }
    }

    @Property(tries = 300)
    void errorNormsEqualTheirTwins(@ForAll @IntRange(min = 0, max = 200) int n,
                                   @ForAll @IntRange(min = 0, max = 9) int off,
                                   @ForAll @IntRange(min = 1, max = 6) int rows,
                                   @ForAll boolean withSpecials,
                                   @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double rate = withSpecials ? 0.01 : 0;
        double[] err = values(rnd, off + n, rate), y0 = values(rnd, off + n, rate), y1 = values(rnd, off + n, rate);
        double[] atol = new double[off + n], rtol = new double[off + n];
        for (int i = 0; i < off + n; i++) {
            atol[i] = Math.pow(10, -rnd.nextInt(3, 12));
            rtol[i] = Math.pow(10, -rnd.nextInt(1, 9));
        }
        for (NormKind kind : NormKind.values()) {
            double tolFactor = kind == NormKind.MAX ? 0 : 1e-14;
            double want = ErrorNorms.scaledScalar(kind, err, y0, y1, off, n, 1e-6, 1e-3);
            assertClose(want, ErrorNorms.scaled(kind, err, y0, y1, off, n, 1e-6, 1e-3), tolFactor * Math.abs(want), kind + " scalar tol");
            want = ErrorNorms.scaledScalar(kind, err, y0, y1, off, n, atol, rtol);
            assertClose(want, ErrorNorms.scaled(kind, err, y0, y1, off, n, atol, rtol), tolFactor * Math.abs(want), kind + " per-component");

            int dim = n / rows;
            double[] rowAtol = Arrays.copyOf(atol, dim), rowRtol = Arrays.copyOf(rtol, dim);
            double[] got = new double[rows], wantRows = new double[rows];
            ErrorNorms.scaledPerRow(kind, err, y0, y1, rows, dim, rowAtol, rowRtol, got);
            ErrorNorms.scaledPerRowScalar(kind, err, y0, y1, rows, dim, rowAtol, rowRtol, wantRows);
            for (int r = 0; r < rows; r++) assertClose(wantRows[r], got[r], tolFactor * Math.abs(wantRows[r]), kind + " row " + r);
            ErrorNorms.scaledPerRow(kind, err, y0, y1, rows, dim, 1e-8, 1e-5, got);
            ErrorNorms.scaledPerRowScalar(kind, err, y0, y1, rows, dim, 1e-8, 1e-5, wantRows);
            for (int r = 0; r < rows; r++) assertClose(wantRows[r], got[r], tolFactor * Math.abs(wantRows[r]), kind + " row " + r);

            // random sorted, disjoint ignored ranges inside [0, n)
            int pairs = rnd.nextInt(0, 4);
            int[] cuts = new int[2 * pairs];
            for (int i = 0; i < cuts.length; i++) cuts[i] = rnd.nextInt(0, n + 1);
            Arrays.sort(cuts);
            want = ErrorNorms.scaledSeminormScalar(kind, err, y0, y1, n, atol, rtol, cuts);
            assertClose(want, ErrorNorms.scaledSeminorm(kind, err, y0, y1, n, atol, rtol, cuts), tolFactor * Math.abs(want),
                    kind + " seminorm " + Arrays.toString(cuts));
            want = ErrorNorms.scaledSeminormScalar(kind, err, y0, y1, n, 1e-6, 1e-3, cuts);
            assertClose(want, ErrorNorms.scaledSeminorm(kind, err, y0, y1, n, 1e-6, 1e-3, cuts), tolFactor * Math.abs(want),
                    kind + " seminorm scalar tol " + Arrays.toString(cuts));
        }
    }

    @Property(tries = 300)
    void activationsEqualTheirTwins(@ForAll ActivationKernel act,
                                    @ForAll @IntRange(min = 0, max = 12) int rows,
                                    @ForAll @IntRange(min = 0, max = 70) int cols,
                                    @ForAll @IntRange(min = 0, max = 9) int off,
                                    @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int len = rows * cols;
        double[] x = new double[off + len];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble() < 0.02 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextDouble(-60, 60);
        }
        double[] bias = TestData.uniform(rnd, off + cols, 2.0);
        double[] u = new double[off + len], a = new double[off + len];
        double[] uWant = u.clone(), aWant = a.clone();
        act.biasActivate(x, off, bias, off, rows, cols, u, off, a, off);
        act.biasActivateScalar(x, off, bias, off, rows, cols, uWant, off, aWant, off);
        assertTrue(Arrays.equals(uWant, u), "the pre-activation is exact");
        for (int i = 0; i < a.length; i++) {
            assertTrue(TestData.ulps(aWant[i], a[i]) <= ActivationKernelTest.ulpBound(act),
                    act + " σ(" + u[i] + "): " + aWant[i] + " vs " + a[i]);
        }
        double[] g = TestData.uniform(rnd, off + len, 5.0), gWant = g.clone();
        act.derivativeTimes(u, off, a, off, g, off, len);
        // the twin reads the same u and a as the kernel: σ itself is checked above; near |tanh| = 1 a one-ulp
        // difference in a is a large relative difference in 1 − a², which says nothing about the derivative kernel
        act.derivativeTimesScalar(u, off, a, off, gWant, off, len);
        for (int i = 0; i < g.length; i++) {
            double tol = 16 * Math.ulp(Math.abs(gWant[i])) + 1e-300;
            assertClose(gWant[i], g[i], tol, act + " σ' at u=" + u[i]);
        }
    }

    @Property(tries = 300)
    void gemmKernelAndDispatcherEqualNaive(@ForAll @IntRange(min = 0, max = 40) int m,
                                           @ForAll @IntRange(min = 0, max = 40) int n,
                                           @ForAll @IntRange(min = 0, max = 40) int k,
                                           @ForAll("transposes") Transpose ta, @ForAll("transposes") Transpose tb,
                                           @ForAll @IntRange(min = 0, max = 3) int pad,
                                           @ForAll @IntRange(min = 0, max = 5) int off,
                                           @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] choices = {0.0, 1.0, -1.0, 0.5, rnd.nextDouble(-3, 3)};
        double alpha = choices[rnd.nextInt(choices.length)], beta = choices[rnd.nextInt(choices.length)];
        int aRows = ta == Transpose.NO ? m : k, aCols = ta == Transpose.NO ? k : m;
        int bRows = tb == Transpose.NO ? k : n, bCols = tb == Transpose.NO ? n : k;
        int lda = Math.max(1, aCols + pad), ldb = Math.max(1, bCols + pad), ldc = Math.max(1, n + pad);
        double[] a = TestData.uniform(rnd, off + aRows * lda, 1.0);
        double[] b = TestData.uniform(rnd, off + bRows * ldb, 1.0);
        double[] c = TestData.uniform(rnd, off + m * ldc, 1.0);
        double[] want = c.clone(), kernel = c.clone(), dispatched = c.clone();
        Gemm.naive(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, want, off, ldc);
        GemmKernel.dgemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, kernel, off, ldc);
        Gemm.dgemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, dispatched, off, ldc);
        for (int idx = 0; idx < c.length; idx++) {
            int r = idx - off;
            boolean inC = r >= 0 && r / ldc < m && r % ldc < n;
            double scale = 0;
            if (inC) {
                int i = r / ldc, j = r % ldc;
                for (int p = 0; p < k; p++) {
                    double av = ta == Transpose.NO ? a[off + i * lda + p] : a[off + p * lda + i];
                    double bv = tb == Transpose.NO ? b[off + p * ldb + j] : b[off + j * ldb + p];
                    scale += Math.abs(av * bv);
                }
                scale = Math.abs(alpha) * scale + Math.abs(beta * c[idx]);
            }
            double tol = inC ? 1e-13 * scale : 0.0;
            assertEquals(want[idx], kernel[idx], tol, "kernel at " + idx);
            assertEquals(want[idx], dispatched[idx], tol, "dispatcher at " + idx);
        }
    }

    @Property(tries = 200)
    void columnSumsEqualTheirTwin(@ForAll @IntRange(min = 0, max = 20) int rows,
                                  @ForAll @IntRange(min = 0, max = 70) int cols,
                                  @ForAll @IntRange(min = 0, max = 9) int off,
                                  @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] g = values(rnd, off + rows * cols, 0.01);
        double[] out = values(rnd, off + cols, 0.0), want = out.clone();
        ColumnSums.accumulate(g, off, rows, cols, out, off);
        ColumnSums.accumulateScalar(g, off, rows, cols, want, off);
        assertTrue(Arrays.equals(want, out), "bit for bit");
    }
}
