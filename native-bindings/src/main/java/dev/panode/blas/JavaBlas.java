package dev.panode.blas;

/**
 * Plain Java versions of the {@link Blas} routines, used when no native library is loaded. Unchecked (the facade
 * checks first), single-threaded, correct but not fast: the loops are ordered for unit-stride inner access and
 * nothing more. simd-core's {@code Gemm} is the fast Java path; this class only keeps {@link Blas} total.
 */
final class JavaBlas {
    private JavaBlas() {}

    static void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        boolean ta = transA == Transpose.YES, tb = transB == Transpose.YES;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0.0 ? 0.0 : beta * c[ci + j];
            }
            if (alpha == 0.0) {
                continue;
            }
            for (int p = 0; p < k; p++) {
                double aip = alpha * (ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    static void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        boolean ta = transA == Transpose.YES, tb = transB == Transpose.YES;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0.0f ? 0.0f : beta * c[ci + j];
            }
            if (alpha == 0.0f) {
                continue;
            }
            for (int p = 0; p < k; p++) {
                float aip = alpha * (ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    static void dgemv(Transpose trans, int m, int n, double alpha, double[] a, int aOff, int lda,
                      double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        if (trans == Transpose.NO) {
            for (int i = 0; i < m; i++) {
                double acc = 0.0;
                int ai = aOff + i * lda;
                for (int j = 0; j < n; j++) {
                    acc += a[ai + j] * x[xOff + j * incx];
                }
                int yi = yOff + i * incy;
                y[yi] = alpha * acc + (beta == 0.0 ? 0.0 : beta * y[yi]);
            }
        } else {
            for (int j = 0; j < n; j++) {
                int yj = yOff + j * incy;
                y[yj] = beta == 0.0 ? 0.0 : beta * y[yj];
            }
            for (int i = 0; i < m; i++) {
                double axi = alpha * x[xOff + i * incx];
                int ai = aOff + i * lda;
                for (int j = 0; j < n; j++) {
                    y[yOff + j * incy] += axi * a[ai + j];
                }
            }
        }
    }

    static void sgemv(Transpose trans, int m, int n, float alpha, float[] a, int aOff, int lda,
                      float[] x, int xOff, int incx, float beta, float[] y, int yOff, int incy) {
        if (trans == Transpose.NO) {
            for (int i = 0; i < m; i++) {
                float acc = 0.0f;
                int ai = aOff + i * lda;
                for (int j = 0; j < n; j++) {
                    acc += a[ai + j] * x[xOff + j * incx];
                }
                int yi = yOff + i * incy;
                y[yi] = alpha * acc + (beta == 0.0f ? 0.0f : beta * y[yi]);
            }
        } else {
            for (int j = 0; j < n; j++) {
                int yj = yOff + j * incy;
                y[yj] = beta == 0.0f ? 0.0f : beta * y[yj];
            }
            for (int i = 0; i < m; i++) {
                float axi = alpha * x[xOff + i * incx];
                int ai = aOff + i * lda;
                for (int j = 0; j < n; j++) {
                    y[yOff + j * incy] += axi * a[ai + j];
                }
            }
        }
    }

    static void daxpy(int n, double alpha, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        for (int i = 0; i < n; i++) {
            y[yOff + i * incy] += alpha * x[xOff + i * incx];
        }
    }

    static double ddot(int n, double[] x, int xOff, int incx, double[] y, int yOff, int incy) {
        double acc = 0.0;
        for (int i = 0; i < n; i++) {
            acc += x[xOff + i * incx] * y[yOff + i * incy];
        }
        return acc;
    }
}
