package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Lapack} against its pure-Java fallback and against the definitions: P·L·U reproduces A, the solves reproduce
 * the right-hand sides, singular matrices report their zero pivot, bad arguments are refused before any native call.
 * The native routines are called directly ({@code NativeLapack}, whatever the facade's size dispatch) when OpenBLAS is
 * loaded; the Java LU is always tested directly; the facade on both sides of its threshold.
 */
class LapackTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 100};
    private static final boolean NATIVE = Lapack.isAvailable();

    private static int dgetrf(int m, int n, double[] a, int aOff, int lda, int[] ipiv, int ipivOff) {
        return NATIVE ? NativeLapack.dgetrf(m, n, a, aOff, lda, ipiv, ipivOff) : Lapack.dgetrf(m, n, a, aOff, lda, ipiv, ipivOff);
    }

    private static void dgetrs(Transpose t, int n, int nrhs, double[] a, int aOff, int lda, int[] ipiv, int ipivOff,
                               double[] b, int bOff, int ldb) {
        if (NATIVE) NativeLapack.dgetrs(t == Transpose.YES, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
        else Lapack.dgetrs(t, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
    }

    @Test
    void nativeAndFallbackAgreeOnRandomMatrices() {
        System.out.println("[LapackTest] native LAPACK: " + Lapack.isAvailable() + ", used from order "
                + Lapack.nativeMinOrder());
        SplittableRandom rnd = new SplittableRandom(21);
        for (int n : SIZES) {
            for (int pad : new int[] {0, 3}) {
                int lda = n + pad, aOff = 2, nrhs = 3, ldb = n + 1, bOff = 1;
                double[] a = random(rnd, aOff + lda * n), b = random(rnd, bOff + ldb * nrhs);
                double[] lu = a.clone(), luJava = a.clone();
                int[] ipiv = new int[n + 1], ipivJava = new int[n + 1];
                assertEquals(0, dgetrf(n, n, lu, aOff, lda, ipiv, 1), "n = " + n);
                assertEquals(0, JavaLapack.dgetrf(n, n, luJava, aOff, lda, ipivJava, 1), "n = " + n);
                assertArrayEquals(ipivJava, ipiv, "pivots, n = " + n);
                assertTrue(maxDiff(lu, luJava) <= 1e-10 * n, "factors differ by " + maxDiff(lu, luJava) + ", n = " + n);
                assertTrue(reconstructionError(a, lu, aOff, lda, n, ipiv, 1) <= 1e-13 * n, "P·L·U ≠ A, n = " + n);
                assertEquals(a[0], lu[0], "outside the matrix untouched");
                for (Transpose t : Transpose.values()) {
                    double[] x = b.clone(), xJava = b.clone();
                    dgetrs(t, n, nrhs, lu, aOff, lda, ipiv, 1, x, bOff, ldb);
                    JavaLapack.dgetrs(t == Transpose.YES, n, nrhs, luJava, aOff, lda, ipivJava, 1, xJava, bOff, ldb);
                    double res = residual(a, aOff, lda, n, t, x, b, bOff, ldb, nrhs);
                    assertTrue(res <= 1e-11 * n, "residual " + res + ", n = " + n + ", " + t);
                    assertTrue(maxDiff(x, xJava) <= 1e-9 * n * (1 + maxAbs(x)), "solutions differ, n = " + n + ", " + t);
                    double[] xFacade = b.clone();
                    Lapack.dgetrs(t, n, nrhs, lu, aOff, lda, ipiv, 1, xFacade, bOff, ldb);
                    assertTrue(maxDiff(x, xFacade) <= 1e-9 * n * (1 + maxAbs(x)), "the facade, n = " + n + ", " + t);
                }
                double[] luFacade = a.clone();
                int[] ipivFacade = new int[n + 1];
                assertEquals(0, Lapack.dgetrf(n, n, luFacade, aOff, lda, ipivFacade, 1));
                assertTrue(maxDiff(luFacade, luJava) <= 1e-10 * n, "the facade's factors, n = " + n);
            }
        }
    }

    @Test
    void rectangularFactorisationsAgree() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int[] mn : new int[][] {{5, 3}, {3, 5}, {1, 4}, {4, 1}}) {
            int m = mn[0], n = mn[1];
            double[] a = random(rnd, m * n), lu = a.clone(), luJava = a.clone();
            int[] ipiv = new int[Math.min(m, n)], ipivJava = ipiv.clone();
            assertEquals(JavaLapack.dgetrf(m, n, luJava, 0, m, ipivJava, 0), dgetrf(m, n, lu, 0, m, ipiv, 0));
            assertArrayEquals(ipivJava, ipiv);
            assertTrue(maxDiff(lu, luJava) <= 1e-12, m + "x" + n);
        }
    }

    @Test
    void singlePrecisionAgreesWithDouble() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : SIZES) {
            double[] a = random(rnd, n * n), b = random(rnd, n);
            float[] af = toFloat(a), afJava = af.clone(), bf = toFloat(b), bfJava = bf.clone();
            int[] ipiv = new int[n], ipivJava = new int[n];
            assertEquals(0, NATIVE ? NativeLapack.sgetrf(n, n, af, 0, n, ipiv, 0) : Lapack.sgetrf(n, n, af, 0, n, ipiv, 0));
            assertEquals(0, JavaLapack.sgetrf(n, n, afJava, 0, n, ipivJava, 0));
            if (NATIVE) NativeLapack.sgetrs(false, n, 1, af, 0, n, ipiv, 0, bf, 0, n);
            else Lapack.sgetrs(Transpose.NO, n, 1, af, 0, n, ipiv, 0, bf, 0, n);
            JavaLapack.sgetrs(false, n, 1, afJava, 0, n, ipivJava, 0, bfJava, 0, n);
            double[] x = b.clone();
            int[] ip = new int[n];
            double[] lu = a.clone();
            Lapack.dgetrf(n, n, lu, 0, n, ip, 0);
            Lapack.dgetrs(Transpose.NO, n, 1, lu, 0, n, ip, 0, x, 0, n);
            double scale = 1 + maxAbs(x);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i], bf[i], 2e-3 * scale * n, "sgetrs, n = " + n);
                assertEquals(x[i], bfJava[i], 2e-3 * scale * n, "Java sgetrs, n = " + n);
            }
        }
    }

    @Test
    void singularMatricesReportTheirZeroPivot() {
        // [[1, 2], [2, 4]] column-major: pivot 2, then 2 − 0.5·4 = 0 exactly: U(2, 2) = 0
        assertSingular(new double[] {1, 2, 2, 4}, 2, 2);
        assertSingular(new double[] {0}, 1, 1);
        assertSingular(new double[9], 3, 1);
        // a zero second column: U(2, 2) = 0 whatever the first
        assertSingular(new double[] {3, 1, 5, 0, 0, 0, 2, 7, 1}, 3, 2);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Lapack.requireNonsingular("dgetrf", 2));
        assertTrue(e.getMessage().contains("U(2, 2)") && e.getMessage().contains("info = 2"), e.getMessage());
        Lapack.requireNonsingular("dgetrf", 0);
        float[] f = {1, 2, 2, 4};
        assertEquals(2, Lapack.sgetrf(2, 2, f, 0, 2, new int[2], 0));
        assertEquals(2, NATIVE ? NativeLapack.sgetrf(2, 2, new float[] {1, 2, 2, 4}, 0, 2, new int[2], 0) : 2);
    }

    private static void assertSingular(double[] a, int n, int pivot) {
        int[] ipiv = new int[n];
        assertEquals(pivot, dgetrf(n, n, a.clone(), 0, n, ipiv, 0), "native " + Arrays.toString(a));
        assertEquals(pivot, Lapack.dgetrf(n, n, a.clone(), 0, n, ipiv, 0), "facade " + Arrays.toString(a));
        assertEquals(pivot, JavaLapack.dgetrf(n, n, a.clone(), 0, n, new int[n], 0), "Java " + Arrays.toString(a));
    }

    @Test
    void badArgumentsAreRefusedWithTheirNameAndValue() {
        double[] a = new double[9], b = new double[3];
        int[] ipiv = {1, 2, 3};
        assertMessage(IllegalArgumentException.class, "dgetrf: m must be >= 0, got -1", () -> Lapack.dgetrf(-1, 3, a, 0, 3, ipiv, 0));
        assertMessage(IllegalArgumentException.class, "dgetrf: lda must be >= max(1, m = 3)", () -> Lapack.dgetrf(3, 3, a, 0, 2, ipiv, 0));
        assertMessage(IndexOutOfBoundsException.class, "dgetrf: a.length must be >= 10", () -> Lapack.dgetrf(3, 3, a, 1, 3, ipiv, 0));
        assertMessage(IndexOutOfBoundsException.class, "dgetrf: ipiv.length must be >= 4", () -> Lapack.dgetrf(3, 3, a, 0, 3, ipiv, 1));
        assertMessage(IndexOutOfBoundsException.class, "dgetrf: aOff must be >= 0, got -1", () -> Lapack.dgetrf(3, 3, a, -1, 3, ipiv, 0));
        assertMessage(IllegalArgumentException.class, "dgetrf: a must be non-null", () -> Lapack.dgetrf(3, 3, null, 0, 3, ipiv, 0));
        assertMessage(IllegalArgumentException.class, "dgetrf: ipiv must be non-null", () -> Lapack.dgetrf(3, 3, a, 0, 3, null, 0));
        assertMessage(IllegalArgumentException.class, "dgetrs: nrhs must be >= 0, got -2",
                () -> Lapack.dgetrs(Transpose.NO, 3, -2, a, 0, 3, ipiv, 0, b, 0, 3));
        assertMessage(IllegalArgumentException.class, "dgetrs: ldb must be >= max(1, n = 3)",
                () -> Lapack.dgetrs(Transpose.NO, 3, 1, a, 0, 3, ipiv, 0, b, 0, 1));
        assertMessage(IndexOutOfBoundsException.class, "dgetrs: b.length must be >= 6",
                () -> Lapack.dgetrs(Transpose.NO, 3, 2, a, 0, 3, ipiv, 0, b, 0, 3));
        assertMessage(IllegalArgumentException.class, "dgetrs: ipiv[1] must be in [1, n = 3]",
                () -> Lapack.dgetrs(Transpose.NO, 3, 1, a, 0, 3, new int[] {1, 7, 3}, 0, b, 0, 3));
        assertMessage(IllegalArgumentException.class, "dgetrs: ipiv[0] must be in [1, n = 3]",
                () -> Lapack.dgetrs(Transpose.YES, 3, 1, a, 0, 3, new int[3], 0, b, 0, 3));
        assertMessage(IllegalArgumentException.class, "dgetrs: trans must be non-null",
                () -> Lapack.dgetrs(null, 3, 1, a, 0, 3, ipiv, 0, b, 0, 3));
        assertMessage(IllegalArgumentException.class, "sgetrf: n must be >= 0, got -3",
                () -> Lapack.sgetrf(3, -3, new float[9], 0, 3, ipiv, 0));
        assertMessage(IndexOutOfBoundsException.class, "sgetrs: a.length must be >= 9",
                () -> Lapack.sgetrs(Transpose.NO, 3, 1, new float[8], 0, 3, ipiv, 0, new float[3], 0, 3));
        // empty problems are valid and do nothing
        assertEquals(0, Lapack.dgetrf(0, 0, new double[0], 0, 1, new int[0], 0));
        Lapack.dgetrs(Transpose.NO, 0, 1, new double[0], 0, 1, new int[0], 0, new double[0], 0, 1);
    }

    @Test
    void callsAllocateNothingAfterWarmUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] a = random(rnd, 64), lu = new double[64], b = random(rnd, 16), x = new double[16];
        int[] ipiv = new int[8];
        Allocations.assertNoAllocation("dgetrf + dgetrs, n = 8, 2 right-hand sides, native", () -> {
            System.arraycopy(a, 0, lu, 0, 64);
            System.arraycopy(b, 0, x, 0, 16);
            dgetrf(8, 8, lu, 0, 8, ipiv, 0);
            dgetrs(Transpose.NO, 8, 2, lu, 0, 8, ipiv, 0, x, 0, 8);
        });
        Allocations.assertNoAllocation("dgetrf + dgetrs, n = 8, 2 right-hand sides, facade", () -> {
            System.arraycopy(a, 0, lu, 0, 64);
            System.arraycopy(b, 0, x, 0, 16);
            Lapack.dgetrf(8, 8, lu, 0, 8, ipiv, 0);
            Lapack.dgetrs(Transpose.NO, 8, 2, lu, 0, 8, ipiv, 0, x, 0, 8);
        });
    }

    @Test
    void theThresholdPropertyIsReadSafely() {
        assertEquals(Lapack.DEFAULT_NATIVE_MIN_ORDER, Lapack.nativeMinOrder(null));
        assertEquals(0, Lapack.nativeMinOrder("0"));
        assertEquals(200, Lapack.nativeMinOrder(" 200 "));
        assertEquals(Lapack.DEFAULT_NATIVE_MIN_ORDER, Lapack.nativeMinOrder("-1"));
        assertEquals(Lapack.DEFAULT_NATIVE_MIN_ORDER, Lapack.nativeMinOrder("many"));
    }

    private static <T extends Throwable> void assertMessage(Class<T> type, String start, org.junit.jupiter.api.function.Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage().startsWith(start), "expected '" + start + "...', got '" + e.getMessage() + "'");
    }

    /** max |(P·L·U − A)_ij| / max |A_ij| over the n×n block. */
    private static double reconstructionError(double[] a, double[] lu, int off, int lda, int n, int[] ipiv, int ipivOff) {
        double[] pa = new double[n * n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) pa[i + j * n] = a[off + i + j * lda];
        for (int i = 0; i < n; i++) { // apply the same interchanges to A: then P·A = L·U
            int p = ipiv[ipivOff + i] - 1;
            for (int j = 0; j < n; j++) {
                double t = pa[i + j * n];
                pa[i + j * n] = pa[p + j * n];
                pa[p + j * n] = t;
            }
        }
        double worst = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k <= Math.min(i, j); k++) {
                    double l = k == i ? 1.0 : lu[off + i + k * lda];
                    s += l * lu[off + k + j * lda];
                }
                worst = Math.max(worst, Math.abs(s - pa[i + j * n]));
                scale = Math.max(scale, Math.abs(pa[i + j * n]));
            }
        }
        return worst / scale;
    }

    /** max |op(A)·x − b| / (‖A‖·‖x‖ + ‖b‖), the backward-error style residual. */
    private static double residual(double[] a, int aOff, int lda, int n, Transpose t, double[] x, double[] b,
                                   int bOff, int ldb, int nrhs) {
        double worst = 0, scale = maxAbs(b);
        for (int r = 0; r < nrhs; r++) {
            for (int i = 0; i < n; i++) {
                double s = 0, mag = 0;
                for (int j = 0; j < n; j++) {
                    double aij = t == Transpose.NO ? a[aOff + i + j * lda] : a[aOff + j + i * lda];
                    s += aij * x[bOff + j + r * ldb];
                    mag += Math.abs(aij * x[bOff + j + r * ldb]);
                }
                worst = Math.max(worst, Math.abs(s - b[bOff + i + r * ldb]) / (mag + scale));
            }
        }
        return worst;
    }

    private static double[] random(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextDouble(-1, 1);
        return v;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static double maxDiff(double[] x, double[] y) {
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) m = Math.max(m, Math.abs(v));
        return m;
    }
}
