package dev.panode.blas;

/** Triple-loop oracles, written from the definitions (and accumulated in double for the float routines). */
final class Naive {
    private Naive() {}

    static void dgemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta == Transpose.YES ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = tb == Transpose.YES ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * acc + (beta == 0 ? 0 : beta * c[ci]);
            }
        }
    }

    /** The float product computed in double, as the oracle for sgemm: {@link #dgemm} on the exactly widened inputs. */
    static void sgemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        dgemm(ta, tb, m, n, k, alpha, toDouble(a), aOff, lda, toDouble(b), bOff, ldb, beta, c, cOff, ldc);
    }

    static void dgemv(Transpose t, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff, int incx,
                      double beta, double[] y, int yOff, int incy) {
        int rows = t == Transpose.NO ? m : n, cols = t == Transpose.NO ? n : m;
        for (int i = 0; i < rows; i++) {
            double acc = 0;
            for (int j = 0; j < cols; j++) {
                double av = t == Transpose.NO ? a[aOff + i * lda + j] : a[aOff + j * lda + i];
                acc += av * x[xOff + j * incx];
            }
            int yi = yOff + i * incy;
            y[yi] = alpha * acc + (beta == 0 ? 0 : beta * y[yi]);
        }
    }

    /** The float product computed in double, as the oracle for sgemv: {@link #dgemv} on the exactly widened inputs. */
    static void sgemv(Transpose t, int m, int n, double alpha, float[] a, int aOff, int lda, float[] x, int xOff, int incx,
                      double beta, double[] y, int yOff, int incy) {
        dgemv(t, m, n, alpha, toDouble(a), aOff, lda, toDouble(x), xOff, incx, beta, y, yOff, incy);
    }

    /** max |x - y| / max(max |y|, tiny): a norm-wise relative error. */
    static double relativeError(double[] actual, double[] expected) {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / Math.max(scale, Double.MIN_NORMAL);
    }

    static double[] random(java.util.SplittableRandom rnd, int length) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
