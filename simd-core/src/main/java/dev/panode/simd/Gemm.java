package dev.panode.simd;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import java.util.Objects;

/**
 * Row-major {@code C = α·op(A)·op(B) + β·C} with {@code op(A)} m×k and {@code op(B)} k×n: the one entry point for every
 * matrix product in panode. It checks its arguments, then dispatches by size to the register-blocked Java kernel
 * ({@link GemmKernel}) or to OpenBLAS (when loaded), by the thresholds of {@link #thresholds()}.
 *
 * <p>API contract (stable): leading dimensions are row strides of the arrays as stored (before the transpose);
 * β = 0 means C is overwritten (NaNs in C are not propagated); α = 0 or k = 0 gives {@code C = β·C} without reading A
 * or B (as in the reference BLAS). C must not overlap A or B. Nothing is allocated (the Java kernel packs a
 * transposed B into a per-thread panel that is allocated once).
 *
 * <p>The dispatcher is global configuration: {@link #setThresholds} changes it for every caller in the JVM (the
 * initial value comes from {@link GemmThresholds#fromSystemProperties()}).
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

    private static volatile GemmThresholds thresholds = GemmThresholds.fromSystemProperties();

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
        thresholds = Objects.requireNonNull(t, "thresholds");
    }

    /**
     * The backend chosen for a product shape.
     *
     * @return the backend {@link #dgemm} uses for an {@code m × n × k} product now
     */
    public static Backend backendFor(int m, int n, int k) {
        return Blas.isAvailable() && thresholds.preferBlas(m, n, k) ? Backend.OPENBLAS : Backend.JAVA;
    }

    /**
     * Checked, dispatched dgemm.
     *
     * @throws NullPointerException      when a transpose flag or an array is null
     * @throws IllegalArgumentException  when m, n or k is negative, α or β is not finite (as {@code Blas.dgemm}),
     *                                   a leading dimension is below its minimum
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
        if (k > 0 && alpha != 0.0 && backendFor(m, n, k) == Backend.OPENBLAS) {
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
     * Every argument rule as one expression, without a branch per rule: the dispatcher's whole overhead, which matters
     * for products of a fraction of a microsecond. False also when C shares an array with A or B, which is legal when
     * they do not overlap: {@link #explain} then decides.
     */
    private static boolean valid(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                                 double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                 double beta, double[] c, int cOff, int ldc) {
        if (ta == null | tb == null | a == null | b == null | c == null | c == a | c == b) return false;
        boolean aNo = ta == Transpose.NO, bNo = tb == Transpose.NO;
        // α·0 + β·0 is 0 exactly when both are finite (∞·0 and NaN·0 are NaN)
        return (m | n | k | aOff | bOff | cOff) >= 0 & alpha * 0.0 + beta * 0.0 == 0.0
                & fits(a.length, aOff, aNo ? m : k, aNo ? k : m, lda)
                & fits(b.length, bOff, bNo ? k : n, bNo ? n : k, ldb)
                & fits(c.length, cOff, m, n, ldc);
    }

    // valid() and fits() are kept under C2's limit for inlining a hot method (325 bytes of bytecode): as one method the
    // check was called, not inlined, and cost 10–13 ns instead of 2–3.
    /** Whether a rows × cols matrix with leading dimension ld ≥ max(1, cols) from off (≥ 0) lies within length. */
    static boolean fits(int length, int off, int rows, int cols, int ld) {
        return ld >= Math.max(1, cols) & (rows == 0 | cols == 0 || off + (long) (rows - 1) * ld + cols <= length);
    }

    /**
     * Checks rule by rule and throws the exception that names the first broken one; returns when there is none
     * (C shares an array with A or B without overlapping them). The arrays are {@code double[]} or, for
     * {@link GemmF32}, {@code float[]}: one rule set for both precisions.
     */
    static void explain(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                        Object a, int aOff, int lda, Object b, int bOff, int ldb,
                        double beta, Object c, int cOff, int ldc) {
        Objects.requireNonNull(ta, "ta");
        Objects.requireNonNull(tb, "tb");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        if (m < 0) throw new IllegalArgumentException("m must be >= 0, got " + m);
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (k < 0) throw new IllegalArgumentException("k must be >= 0, got " + k);
        if (!Double.isFinite(alpha)) throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        if (!Double.isFinite(beta)) throw new IllegalArgumentException("beta must be finite, got " + beta);
        int aRows = ta == Transpose.NO ? m : k;
        int aCols = ta == Transpose.NO ? k : m;
        int bRows = tb == Transpose.NO ? k : n;
        int bCols = tb == Transpose.NO ? n : k;
        leading("lda", lda, aCols, "ta", ta, ta == Transpose.NO ? "k" : "m");
        leading("ldb", ldb, bCols, "tb", tb, tb == Transpose.NO ? "n" : "k");
        leading("ldc", ldc, n, null, null, "n");
        long aEnd = extent("a", a, aOff, aRows, aCols, lda);
        long bEnd = extent("b", b, bOff, bRows, bCols, ldb);
        long cEnd = extent("c", c, cOff, m, n, ldc);
        if (m > 0 && n > 0) {
            if (c == a && cOff < aEnd && aOff < cEnd && aRows > 0 && aCols > 0) {
                throw new IllegalArgumentException("c must not overlap a: c[" + cOff + ", " + cEnd + ") and a["
                        + aOff + ", " + aEnd + ") are in the same array");
            }
            if (c == b && cOff < bEnd && bOff < cEnd && bRows > 0 && bCols > 0) {
                throw new IllegalArgumentException("c must not overlap b: c[" + cOff + ", " + cEnd + ") and b["
                        + bOff + ", " + bEnd + ") are in the same array");
            }
        }
    }

    private static void leading(String name, int ld, int cols, String flagName, Transpose flag, String dimName) {
        if (ld < Math.max(1, cols)) {
            String why = (flag == null ? "" : flagName + " = " + flag + ", ") + dimName + " = " + cols;
            throw new IllegalArgumentException(name + " must be >= max(1, " + cols + ") (" + why + "), got " + ld);
        }
    }

    /** @return one past the last element read or written */
    private static long extent(String name, Object x, int off, int rows, int cols, int ld) {
        if (off < 0) throw new IndexOutOfBoundsException(name + "Off must be >= 0, got " + off);
        if (rows == 0 || cols == 0) return off;
        long end = off + (long) (rows - 1) * ld + cols;
        int length = java.lang.reflect.Array.getLength(x);
        if (end > length) {
            throw new IndexOutOfBoundsException(name + " is " + rows + "×" + cols + " with ld = " + ld + " from offset "
                    + off + ": needs length >= " + end + ", got " + length);
        }
        return end;
    }
}
