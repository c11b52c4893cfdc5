package dev.panode.simd;

import dev.panode.blas.Blas;
import dev.panode.blas.GemmArguments;
import dev.panode.blas.Transpose;

/**
 * Row-major {@code C = α·op(A)·op(B) + β·C} with {@code op(A)} m×k and {@code op(B)} k×n: the one entry point for every
 * matrix product in panode. It checks its arguments (the rules of {@link GemmArguments}, shared with {@link Blas#dgemm}),
 * then dispatches by size to the register-blocked Java kernel
 * ({@link GemmKernel}) or to OpenBLAS (when loaded), by the thresholds of {@link #thresholds()}.
 *
 * <p>API contract (stable): leading dimensions are row strides of the arrays as stored (before the transpose);
 * β = 0 means C is overwritten (NaNs in C are not propagated); α = 0 or k = 0 gives {@code C = β·C} without reading A
 * or B (as in the reference BLAS). C must not overlap A or B. Nothing is allocated (the Java kernel packs a
 * transposed B into a per-thread panel that is allocated once).
 *
 * <p>The dispatcher is global configuration, fixed at start-up by {@link GemmThresholds#inForce} (the platform rule,
 * the single rule when asked for, or the system properties that override them), so a shape goes to the same backend
 * for the whole run;
 * {@link #setThresholds} changes it for every caller in the JVM.
 */
public final class Gemm {
    private Gemm() {}

    /** Which implementation computes a product. */
    public enum Backend {
        /** {@link GemmKernel}, the Vector API kernel. */
        JAVA,
        /** OpenBLAS's {@code cblas_dgemm} through {@link Blas#dgemmUnchecked}. */
        OPENBLAS
    }

    private static final GemmThresholds.InForce AT_START = GemmThresholds.inForce(false);
    private static volatile GemmThresholds thresholds = AT_START.thresholds();
    private static volatile String origin = AT_START.origin();

    /**
     * The dispatcher's current thresholds.
     *
     * @return the thresholds the dispatcher uses now
     */
    public static GemmThresholds thresholds() {
        return thresholds;
    }

    /**
     * Replaces the dispatch thresholds for the whole JVM (global configuration, meant for start-up or calibration,
     * not for per-call tuning). Thread-safe.
     */
    public static void setThresholds(GemmThresholds t) {
        if (t == null) throw new IllegalArgumentException("thresholds must be non-null");
        thresholds = t;
        origin = "set at run time (Gemm.setThresholds)";
    }

    /** Puts back the thresholds in force at start-up (the rule, or the system properties' override). Thread-safe. */
    public static void resetThresholds() {
        thresholds = AT_START.thresholds();
        origin = AT_START.origin();
    }

    /**
     * Where the current thresholds came from.
     *
     * @return e.g. "platform rule for 512-bit Java vectors, OpenBLAS SkylakeX (512-bit kernels) (…)", an override by
     *         system properties, or "set at run time (Gemm.setThresholds)"
     */
    public static String thresholdsOrigin() {
        return origin;
    }

    /**
     * The backend chosen for a product {@code A·Bᵀ} (the forward layout {@code X·Wᵀ}: transA = NO, transB = YES).
     *
     * @return the backend {@link #dgemm} uses for an {@code m × n × k} product in that layout now
     */
    public static Backend backendFor(int m, int n, int k) {
        return Blas.isAvailable() && thresholds.preferBlas(m, n, k) ? Backend.OPENBLAS : Backend.JAVA;
    }

    /**
     * The backend chosen for a product in a given layout.
     *
     * @return the backend {@link #dgemm} uses for an {@code op(A)·op(B)} product of {@code m × n × k} now
     */
    public static Backend backendFor(Transpose ta, Transpose tb, int m, int n, int k) {
        return Blas.isAvailable() && thresholds.preferBlas(ta == Transpose.NO && tb == Transpose.YES, m, n, k)
                ? Backend.OPENBLAS : Backend.JAVA;
    }

    /**
     * Checked, dispatched dgemm.
     *
     * @throws IllegalArgumentException  when a transpose flag or an array is null, m, n or k is negative, α or β is
     *                                   not finite, a leading dimension is below its minimum
     *                                   (row-major: {@code lda ≥ max(1, columns of A as stored)}), or C overlaps A or B
     * @throws IndexOutOfBoundsException when an offset is negative or a matrix extends past the end of its array
     */
    public static void dgemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        if (!valid(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
            explain(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
        if (m == 0 || n == 0) return;
        if (k > 0 && alpha != 0.0 && backendFor(ta, tb, m, n, k) == Backend.OPENBLAS) {
            Blas.dgemmUnchecked(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            GemmKernel.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Checked Java kernel, never OpenBLAS: for callers that need results independent of the native library. */
    public static void dgemmJava(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                                 double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                 double beta, double[] c, int cOff, int ldc) {
        if (!valid(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
            explain(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
        GemmKernel.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The naive triple loop: the oracle every backend is tested against. Unchecked. */
    public static void naive(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0.0;
                for (int p = 0; p < k; p++) {
                    double av = ta == Transpose.NO ? a[aOff + i * lda + p] : a[aOff + p * lda + i];
                    double bv = tb == Transpose.NO ? b[bOff + p * ldb + j] : b[bOff + j * ldb + p];
                    acc += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * acc + (beta == 0.0 ? 0.0 : beta * c[ci]);
            }
        }
    }

    /**
     * {@link GemmArguments#valid} on these arrays: false also when an array is null, or when C shares an array with A
     * or B and overlaps it ({@link GemmArguments#explain} then names the rule).
     */
    private static boolean valid(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                                 double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                 double beta, double[] c, int cOff, int ldc) {
        if (a == null | b == null | c == null) return false;
        return GemmArguments.valid(ta, tb, m, n, k, alpha, beta, a.length, aOff, lda, b.length, bOff, ldb,
                c.length, cOff, ldc, c == a, c == b);
    }

    private static void explain(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                                double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                double beta, double[] c, int cOff, int ldc) {
        GemmArguments.explain("Gemm.dgemm", ta, tb, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }
}
