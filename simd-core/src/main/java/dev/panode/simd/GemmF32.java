package dev.panode.simd;

import dev.panode.blas.Arguments;
import dev.panode.blas.GemmArguments;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;

/**
 * Row-major single-precision {@code C = α·op(A)·op(B) + β·C} with {@code op(A)} m×k and {@code op(B)} k×n: the float
 * counterpart of {@link Gemm}, with the same argument rules (checked by the same code) and the same API contract
 * (leading dimensions are row strides as stored; β = 0 overwrites C; α = 0 or k = 0 gives {@code C = β·C}; C must not
 * overlap A or B; nothing is allocated after the first call on a thread). It dispatches by size to the Java kernel
 * {@link GemmKernelF32} or to OpenBLAS's {@code cblas_sgemm} (through {@link Blas#sgemmUnchecked}) when loaded.
 *
 * <p>The thresholds ({@link #thresholds()}) start as {@code GemmThresholds.inForce(true)}: the float row of the rule
 * for this platform, or the system properties that override it (the same properties as {@link Gemm}'s). They are
 * global configuration, independent of {@link Gemm}'s: {@link #setThresholds} changes them for every float caller.
 *
 * <p>Float accumulates in float: a dot product of length k carries a relative error up to about
 * {@code k·2⁻²⁴·Σ|aᵢbᵢ| / |Σaᵢbᵢ|}. Use {@link Gemm} when that matters.
 */
public final class GemmF32 {
    private GemmF32() {}

    private static final GemmThresholds.InForce AT_START = GemmThresholds.inForce(true);
    private static volatile GemmThresholds thresholds = AT_START.thresholds();
    private static volatile String origin = AT_START.origin();

    /** @return the thresholds the float dispatcher uses now */
    public static GemmThresholds thresholds() {
        return thresholds;
    }

    /** Replaces the float dispatch thresholds for the whole JVM (start-up or calibration, not per call). Thread-safe. */
    public static void setThresholds(GemmThresholds t) {
        thresholds = Arguments.nonNull(t, "thresholds");
        origin = "set at run time (GemmF32.setThresholds)";
    }

    /** Puts back the thresholds in force at start-up (the rule, or the system properties' override). Thread-safe. */
    public static void resetThresholds() {
        thresholds = AT_START.thresholds();
        origin = AT_START.origin();
    }

    /** @return where the current thresholds came from (as {@link Gemm#thresholdsOrigin()}) */
    public static String thresholdsOrigin() {
        return origin;
    }

    /** @return the backend {@link #sgemm} uses for an {@code m × n × k} product {@code A·Bᵀ} now */
    public static Gemm.Backend backendFor(int m, int n, int k) {
        return Blas.isAvailable() && thresholds.preferBlas(m, n, k) ? Gemm.Backend.OPENBLAS : Gemm.Backend.JAVA;
    }

    /** @return the backend {@link #sgemm} uses for an {@code op(A)·op(B)} product of {@code m × n × k} now */
    public static Gemm.Backend backendFor(Transpose ta, Transpose tb, int m, int n, int k) {
        return Blas.isAvailable() && thresholds.preferBlas(ta == Transpose.NO && tb == Transpose.YES, m, n, k)
                ? Gemm.Backend.OPENBLAS : Gemm.Backend.JAVA;
    }

    /**
     * Checked, dispatched sgemm.
     *
     * @throws IllegalArgumentException  when a transpose flag or an array is null, m, n or k is negative, α or β is
     *                                   not finite, a leading dimension is below its minimum (row-major:
     *                                   {@code lda ≥ max(1, columns of A as stored)}), or C overlaps A or B
     * @throws IndexOutOfBoundsException when an offset is negative or a matrix extends past the end of its array
     */
    public static void sgemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (!valid(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
            GemmArguments.explain("GemmF32.sgemm", ta, tb, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff,
                    ldc);
        }
        if (m == 0 || n == 0) return;
        if (k > 0 && alpha != 0.0f && backendFor(ta, tb, m, n, k) == Gemm.Backend.OPENBLAS) {
            Blas.sgemmUnchecked(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            GemmKernelF32.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Checked Java kernel, never OpenBLAS: for callers that need results independent of the native library. */
    public static void sgemmJava(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc) {
        if (!valid(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
            GemmArguments.explain("GemmF32.sgemm", ta, tb, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff,
                    ldc);
        }
        GemmKernelF32.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The shared GEMM rules ({@link GemmArguments}) on float arrays; false sends the call to the explanation. */
    private static boolean valid(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc) {
        if (a == null | b == null | c == null) return false;
        return GemmArguments.valid(ta, tb, m, n, k, alpha, beta, a.length, aOff, lda, b.length, bOff, ldb,
                c.length, cOff, ldc, c == a, c == b);
    }
}
