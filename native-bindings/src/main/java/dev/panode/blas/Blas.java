package dev.panode.blas;

/**
 * The checked facade over OpenBLAS's CBLAS, row-major. API contract (stable); the bodies are being written
 * (issue "Foundation"): every dimension, leading dimension, offset and array length is validated before the downcall,
 * with {@link IllegalArgumentException} / {@link IndexOutOfBoundsException} naming the argument.
 */
public final class Blas {
    private Blas() {}

    /** @return true when OpenBLAS was found and loaded (once, at first use). */
    public static boolean isAvailable() {
        return false;
    }

    /** Checked row-major {@code C = α·op(A)·op(B) + β·C}; {@code op(A)} is m×k, {@code op(B)} k×n. */
    public static void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        throw new IllegalStateException("OpenBLAS is not loaded");
    }

    /**
     * The same product with no argument checks, for callers (the GEMM dispatcher) that have already checked
     * exactly what {@link #dgemm} checks. A wrong argument here can crash the JVM.
     */
    public static void dgemmUnchecked(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
        throw new IllegalStateException("OpenBLAS is not loaded");
    }
}
