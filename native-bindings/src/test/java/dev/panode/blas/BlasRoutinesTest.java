package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Blas} routine against the naive oracle on the {@link GemmShape} grid, through whichever library the
 * loader chose. The build runs this class twice: with the default search (the system library on a machine that has it)
 * and with {@code -Dpanode.blas.search=bundled} (the jar's verified copy); {@code panode.test.expectSource} says which
 * source each run must have loaded.
 */
class BlasRoutinesTest {

    @BeforeAll
    static void nativeLibraryIsLoaded() {
        BlasInfo info = Blas.info();
        System.out.println("[blas under test] " + info.message());
        assertTrue(Blas.isAvailable(), "tests need native BLAS (system or bundled jar): " + info.message());
        String expected = System.getProperty("panode.test.expectSource");
        if (expected != null) {
            assertEquals(LibrarySource.valueOf(expected), info.source(), info.message());
        }
        assertTrue(info.config().contains("OpenBLAS"), info.config());
        assertTrue(!info.coreName().isBlank(), "core name");
    }

    static Stream<GemmShape> shapes() {
        return GemmShape.all().stream();
    }

    @Test
    void gridHasAtLeastThirtyShapes() {
        assertTrue(GemmShape.all().size() >= 30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void dgemmEqualsNaiveTripleLoop(GemmShape s) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode());
        double[] a = Naive.random(rnd, s.aLength());
        double[] b = Naive.random(rnd, s.bLength());
        double[] c = Naive.random(rnd, s.cLength());
        double[] expected = c.clone();
        Naive.dgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(),
                s.beta(), expected, s.cOff(), s.ldc());
        Blas.dgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(),
                s.beta(), c, s.cOff(), s.ldc());
        assertTrue(Naive.relativeError(c, expected) <= 1e-13, () -> "relative error " + Naive.relativeError(c, expected));
        assertPaddingUntouched(c, expected, s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void dgemmUncheckedEqualsChecked(GemmShape s) {
        SplittableRandom rnd = new SplittableRandom(~s.hashCode());
        double[] a = Naive.random(rnd, s.aLength());
        double[] b = Naive.random(rnd, s.bLength());
        double[] c1 = Naive.random(rnd, s.cLength());
        double[] c2 = c1.clone();
        Blas.dgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(), s.beta(), c1, s.cOff(), s.ldc());
        Blas.dgemmUnchecked(s.ta(), s.tb(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(), s.beta(), c2, s.cOff(), s.ldc());
        assertArrayEquals(c1, c2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void sgemmEqualsNaiveTripleLoop(GemmShape s) {
        SplittableRandom rnd = new SplittableRandom(31L * s.hashCode() + 7);
        float[] a = Naive.toFloat(Naive.random(rnd, s.aLength()));
        float[] b = Naive.toFloat(Naive.random(rnd, s.bLength()));
        float[] c = Naive.toFloat(Naive.random(rnd, s.cLength()));
        double[] expected = Naive.toDouble(c);
        Naive.sgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), (float) s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(),
                (float) s.beta(), expected, s.cOff(), s.ldc());
        Blas.sgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), (float) s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(),
                (float) s.beta(), c, s.cOff(), s.ldc());
        double[] actual = Naive.toDouble(c);
        // float rounding: ~k * 2^-24 relative to the operands' scale; 1e-5 holds up to k = 257 with margin
        assertTrue(Naive.relativeError(actual, expected) <= 1e-5, () -> "relative error " + Naive.relativeError(actual, expected));
        assertPaddingUntouched(actual, expected, s);
    }

    /** Entries of C outside the m x n operand (padding, offset prefix, tail) must be exactly as before. */
    private static void assertPaddingUntouched(double[] actual, double[] expected, GemmShape s) {
        for (int idx = 0; idx < actual.length; idx++) {
            int rel = idx - s.cOff();
            boolean inside = rel >= 0 && rel / s.ldc() < s.m() && rel % s.ldc() < s.n();
            if (!inside) {
                assertEquals(expected[idx], actual[idx], 0.0, "C[" + idx + "] outside the operand was written");
            }
        }
    }

    record GemvShape(Transpose t, int m, int n, int padA, int aOff, int incx, int xOff, int incy, int yOff, double alpha, double beta) {
        int lda() { return Math.max(1, n) + padA; }
        int xCount() { return t == Transpose.NO ? n : m; }
        int yCount() { return t == Transpose.NO ? m : n; }
        int aLength() { return aOff + m * lda() + 2; }
        int xLength() { return xOff + Math.max(0, (xCount() - 1) * incx + 1) + 2; }
        int yLength() { return yOff + Math.max(0, (yCount() - 1) * incy + 1) + 2; }
    }

    static Stream<GemvShape> gemvShapes() {
        Stream.Builder<GemvShape> s = Stream.builder();
        for (Transpose t : Transpose.values()) {
            s.add(new GemvShape(t, 1, 1, 0, 0, 1, 0, 1, 0, 1.0, 0.0));
            s.add(new GemvShape(t, 50, 16, 0, 0, 1, 0, 1, 0, 1.0, 0.0));
            s.add(new GemvShape(t, 16, 50, 3, 5, 1, 2, 1, 4, -0.5, 1.5));
            s.add(new GemvShape(t, 37, 29, 1, 1, 3, 7, 2, 5, 2.0, -1.0));
            s.add(new GemvShape(t, 300, 200, 0, 0, 1, 0, 1, 0, 1.0, 0.25));
            s.add(new GemvShape(t, 4, 0, 0, 0, 1, 0, 1, 0, 1.0, 0.5));
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gemvShapes")
    void dgemvAndSgemvEqualNaive(GemvShape s) {
        SplittableRandom rnd = new SplittableRandom(s.hashCode());
        double[] a = Naive.random(rnd, s.aLength());
        double[] x = Naive.random(rnd, s.xLength());
        double[] y = Naive.random(rnd, s.yLength());
        double[] expected = y.clone();
        Naive.dgemv(s.t(), s.m(), s.n(), s.alpha(), a, s.aOff(), s.lda(), x, s.xOff(), s.incx(), s.beta(), expected, s.yOff(), s.incy());
        Blas.dgemv(s.t(), s.m(), s.n(), s.alpha(), a, s.aOff(), s.lda(), x, s.xOff(), s.incx(), s.beta(), y, s.yOff(), s.incy());
        assertTrue(Naive.relativeError(y, expected) <= 1e-13, () -> "dgemv relative error " + Naive.relativeError(y, expected));

        float[] af = Naive.toFloat(a), xf = Naive.toFloat(x), yf = Naive.toFloat(Naive.random(rnd, s.yLength()));
        double[] expectedF = Naive.toDouble(yf);
        Naive.sgemv(s.t(), s.m(), s.n(), (float) s.alpha(), af, s.aOff(), s.lda(), xf, s.xOff(), s.incx(), (float) s.beta(), expectedF, s.yOff(), s.incy());
        Blas.sgemv(s.t(), s.m(), s.n(), (float) s.alpha(), af, s.aOff(), s.lda(), xf, s.xOff(), s.incx(), (float) s.beta(), yf, s.yOff(), s.incy());
        double[] actualF = Naive.toDouble(yf);
        assertTrue(Naive.relativeError(actualF, expectedF) <= 1e-5, () -> "sgemv relative error " + Naive.relativeError(actualF, expectedF));
    }

    @Test
    void daxpyAndDdotEqualNaive() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int n : new int[] {0, 1, 2, 7, 64, 1000}) {
            for (int inc : new int[] {1, 3}) {
                double[] x = Naive.random(rnd, 5 + n * inc);
                double[] y = Naive.random(rnd, 4 + n * inc);
                double[] expected = y.clone();
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += x[2 + i * inc] * y[1 + i * inc];
                }
                assertEquals(dot, Blas.ddot(n, x, 2, inc, y, 1, inc), 1e-13 * Math.max(1, n), "ddot n=" + n);
                for (int i = 0; i < n; i++) {
                    expected[1 + i * inc] += 0.75 * x[2 + i * inc];
                }
                Blas.daxpy(n, 0.75, x, 2, inc, y, 1, inc);
                assertArrayEquals(expected, y, 1e-15, "daxpy n=" + n);
            }
        }
    }

    @Test
    void betaZeroOverwritesNaNInC() {
        double[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        double[] c = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Blas.dgemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1.0, a, 0, 2, b, 0, 2, 0.0, c, 0, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, c);
    }

    @Test
    void threadCountCanBeSetAndRead() {
        int before = Blas.info().threads();
        try {
            Blas.setThreads(1);
            assertEquals(1, Blas.info().threads());
        } finally {
            Blas.setThreads(before);
        }
        assertEquals(before, Blas.info().threads());
    }
}
