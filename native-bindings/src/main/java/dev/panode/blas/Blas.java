package dev.panode.blas;

import dev.panode.blas.ffi.Cblas;

/**
 * The checked facade over OpenBLAS's CBLAS, row-major, on heap arrays with offsets and leading dimensions (the
 * layout of netlib's Java BLAS). Each routine validates every dimension, leading dimension, increment, offset and array
 * length once (the GEMM rules are {@link GemmArguments}), then makes one downcall, so that no wrong size ever reaches
 * OpenBLAS:
 * <ul>
 *   <li>{@link IllegalArgumentException}: a null array or transpose flag, a negative dimension, a leading dimension
 *       shorter than the stored row, an increment below 1, a non-finite {@code alpha} or {@code beta}, C overlapping
 *       A or B;</li>
 *   <li>{@link IndexOutOfBoundsException}: a negative offset, or an operand that would reach past its array.</li>
 * </ul>
 * Each message names the routine, the argument and its value: {@code "dgemm: lda must be >= max(1, 5) (…), got 4"}.
 *
 * <p><b>Backend.</b> OpenBLAS is located once, at first use of this class (see {@link OpenBlasLoader} for the order,
 * the properties and the log line). Without it every routine computes the same result with a plain Java loop, correct
 * but slow for large matrices: {@link #isAvailable()} tells which. Heap arrays reach OpenBLAS with no copy
 * (heap segments through critical downcalls, made once per array and offset and then reused, so a call on the same
 * buffers allocates nothing); the garbage collector waits while a call runs, which for a 512³ dgemm is a few
 * milliseconds, so very large products are better cut by the caller.
 *
 * <p>BLAS semantics: {@code beta == 0} overwrites the output without reading it (NaNs there are not propagated);
 * empty dimensions return at once. Nothing is allocated. Thread-safe (OpenBLAS's own threading aside).
 *
 * <p>Reference: the BLAS Technical Forum standard (2001), CBLAS annex; OpenBLAS {@code cblas.h}.
 */
public final class Blas {
    private Blas() {}

    private static final boolean NATIVE = OpenBlasLoader.outcome().loaded();
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /**
     * Whether native BLAS is in use.
     *
     * @return true when OpenBLAS was found and loaded (once, at first use).
     */
    public static boolean isAvailable() {
        return NATIVE;
    }

    /**
     * The BLAS backend in use.
     *
     * @return the backend: where the library came from, its config string, core name and current thread count
     */
    public static BlasInfo info() {
        LoadOutcome o = OpenBlasLoader.outcome();
        int threads = NATIVE ? Math.max(1, Cblas.openblas_get_num_threads()) : 1;
        return new BlasInfo(o.source(), o.location(), o.config(), o.coreName(), threads, o.message());
    }

    /**
     * Sets OpenBLAS's thread count ({@code openblas_set_num_threads}). This is process-wide native state: call it from
     * the application, not from library code. Without native BLAS it does nothing.
     *
     * @param threads ≥ 1
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("setThreads: threads must be >= 1, got " + threads);
        }
        if (NATIVE) {
            Cblas.openblas_set_num_threads(threads);
        }
    }

    /**
     * Checked row-major {@code C = α·op(A)·op(B) + β·C}; {@code op(A)} is m×k, {@code op(B)} k×n, C m×n.
     * A is stored m×k (k×m when {@code transA == YES}) with row stride {@code lda}, likewise B, and C with {@code ldc}.
     * Cost 2mnk flops.
     */
    public static void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        if (a == null | b == null | c == null
                || !GemmArguments.valid(transA, transB, m, n, k, alpha, beta, a.length, aOff, lda, b.length, bOff, ldb,
                        c.length, cOff, ldc, c == a, c == b)) {
            GemmArguments.explain("dgemm", transA, transB, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
        dgemmUnchecked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The same product with no argument checks, for callers (the GEMM dispatcher) that have already checked
     * exactly what {@link #dgemm} checks. A wrong argument here can crash the JVM.
     */
    public static void dgemmUnchecked(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (NATIVE && k != 0) {
            nativeDgemm(trans(transA), trans(transB), m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            JavaBlas.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    // The segments come from HeapSegments, made once per (array, offset): no allocation per call, whatever C2's
    // escape analysis manages with fresh wrappers (not always, docs/NATIVE.md).
    private static void nativeDgemm(int ta, int tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                                    double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        Cblas.cblas_dgemm(ROW_MAJOR, ta, tb, m, n, k, alpha,
                HeapSegments.of(a, aOff), lda,
                HeapSegments.of(b, bOff), ldb, beta,
                HeapSegments.of(c, cOff), ldc);
    }

    /** Checked row-major single-precision {@code C = α·op(A)·op(B) + β·C}; the same layout and rules as {@link #dgemm}. */
    public static void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (a == null | b == null | c == null
                || !GemmArguments.valid(transA, transB, m, n, k, alpha, beta, a.length, aOff, lda, b.length, bOff, ldb,
                        c.length, cOff, ldc, c == a, c == b)) {
            GemmArguments.explain("sgemm", transA, transB, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
        sgemmUnchecked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #sgemm} with no argument checks; a wrong argument here can crash the JVM. */
    public static void sgemmUnchecked(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (NATIVE && k != 0) {
            nativeSgemm(trans(transA), trans(transB), m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            JavaBlas.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    private static void nativeSgemm(int ta, int tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Cblas.cblas_sgemm(ROW_MAJOR, ta, tb, m, n, k, alpha,
                HeapSegments.of(a, aOff), lda,
                HeapSegments.of(b, bOff), ldb, beta,
                HeapSegments.of(c, cOff), ldc);
    }

    /**
     * Checked row-major {@code y = α·op(A)·x + β·y}, A stored m×n with row stride {@code lda}; x has n elements
     * (m when transposed) and y m (n when transposed), with increments ≥ 1. Cost 2mn flops.
     */
    public static void dgemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                             double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        BlasChecks.gemv("dgemv", trans, m, n, alpha, beta, BlasChecks.length("dgemv", "a", a), aOff, lda,
                BlasChecks.length("dgemv", "x", x), xOff, incx, BlasChecks.length("dgemv", "y", y), yOff, incy);
        int rows = trans == Transpose.NO ? m : n;
        if (rows == 0) {
            return;
        }
        if (!NATIVE || (trans == Transpose.NO ? n : m) == 0) {
            JavaBlas.dgemv(trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
            return;
        }
        Cblas.cblas_dgemv(ROW_MAJOR, trans(trans), m, n, alpha, HeapSegments.of(a, aOff), lda,
                HeapSegments.of(x, xOff), incx, beta, HeapSegments.of(y, yOff), incy);
    }

    /** Checked row-major single-precision {@code y = α·op(A)·x + β·y}; the same layout and rules as {@link #dgemv}. */
    public static void sgemv(Transpose trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                             float[] x, int xOff, int incx, float beta, float[] y, int yOff, int incy) {
        BlasChecks.gemv("sgemv", trans, m, n, alpha, beta, BlasChecks.length("sgemv", "a", a), aOff, lda,
                BlasChecks.length("sgemv", "x", x), xOff, incx, BlasChecks.length("sgemv", "y", y), yOff, incy);
        int rows = trans == Transpose.NO ? m : n;
        if (rows == 0) {
            return;
        }
        if (!NATIVE || (trans == Transpose.NO ? n : m) == 0) {
            JavaBlas.sgemv(trans, m, n, alpha, a, aOff, lda, x, xOff, incx, beta, y, yOff, incy);
            return;
        }
        Cblas.cblas_sgemv(ROW_MAJOR, trans(trans), m, n, alpha, HeapSegments.of(a, aOff), lda,
                HeapSegments.of(x, xOff), incx, beta, HeapSegments.of(y, yOff), incy);
    }

    /** Checked {@code y += α·x} over n elements with increments ≥ 1. Cost 2n flops. */
    public static void daxpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        BlasChecks.axpy("daxpy", n, alpha, BlasChecks.length("daxpy", "x", x), xOff, incx,
                BlasChecks.length("daxpy", "y", y), yOff, incy);
        if (n == 0) {
            return;
        }
        if (!NATIVE) {
            JavaBlas.daxpy(n, alpha, x, xOff, incx, y, yOff, incy);
            return;
        }
        Cblas.cblas_daxpy(n, alpha, HeapSegments.of(x, xOff), incx,
                HeapSegments.of(y, yOff), incy);
    }

    /** Checked dot product {@code Σ x[i]·y[i]} over n elements with increments ≥ 1; 0 when n = 0. Cost 2n flops. */
    public static double ddot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        BlasChecks.dot("ddot", n, BlasChecks.length("ddot", "x", x), xOff, incx, BlasChecks.length("ddot", "y", y), yOff, incy);
        if (n == 0) {
            return 0.0;
        }
        if (!NATIVE) {
            return JavaBlas.ddot(n, x, xOff, incx, y, yOff, incy);
        }
        return Cblas.cblas_ddot(n, HeapSegments.of(x, xOff), incx,
                HeapSegments.of(y, yOff), incy);
    }

    private static int trans(Transpose t) {
        return t == Transpose.NO ? NO_TRANS : TRANS;
    }
}
