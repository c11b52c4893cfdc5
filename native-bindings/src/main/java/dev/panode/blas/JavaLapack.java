package dev.panode.blas;

/**
 * Plain Java versions of the {@link Lapack} routines, used when no native library (or none with LAPACK) is loaded:
 * LAPACK's unblocked right-looking LU with partial pivoting ({@code dgetf2}: the largest magnitude in the column is
 * the pivot, the first one on ties), and the triangular solves of {@code dgetrs}. Column-major, unchecked (the facade
 * checks first), allocation-free. O(n³/3) multiply-adds for the factorisation, O(n²) per right-hand side for a solve.
 */
final class JavaLapack {
    private JavaLapack() {}

    static int dgetrf(int m, int n, double[] a, int aOff, int lda, int[] ipiv, int ipivOff) {
        int info = 0;
        int steps = Math.min(m, n);
        for (int j = 0; j < steps; j++) {
            int col = aOff + j * lda;
            int p = j;
            double max = Math.abs(a[col + j]);
            for (int i = j + 1; i < m; i++) {
                double v = Math.abs(a[col + i]);
                if (v > max) {
                    max = v;
                    p = i;
                }
            }
            ipiv[ipivOff + j] = p + 1;
            double pivot = a[col + p];
            if (pivot != 0.0) {
                if (p != j) {
                    for (int c = 0; c < n; c++) {
                        int o = aOff + c * lda;
                        double t = a[o + j];
                        a[o + j] = a[o + p];
                        a[o + p] = t;
                    }
                }
                double r = 1.0 / pivot;
                for (int i = j + 1; i < m; i++) a[col + i] *= r;
            } else if (info == 0) {
                info = j + 1;
            }
            for (int c = j + 1; c < n; c++) {
                int o = aOff + c * lda;
                double u = a[o + j];
                if (u != 0.0) {
                    for (int i = j + 1; i < m; i++) a[o + i] -= a[col + i] * u;
                }
            }
        }
        return info;
    }

    static void dgetrs(boolean transpose, int n, int nrhs, double[] a, int aOff, int lda, int[] ipiv, int ipivOff,
                       double[] b, int bOff, int ldb) {
        for (int r = 0; r < nrhs; r++) {
            int x = bOff + r * ldb;
            if (!transpose) {
                for (int i = 0; i < n; i++) {
                    int p = ipiv[ipivOff + i] - 1;
                    if (p != i) {
                        double t = b[x + i];
                        b[x + i] = b[x + p];
                        b[x + p] = t;
                    }
                }
                for (int j = 0; j < n; j++) { // L·z = P·b, unit diagonal
                    double v = b[x + j];
                    if (v != 0.0) {
                        int col = aOff + j * lda;
                        for (int i = j + 1; i < n; i++) b[x + i] -= v * a[col + i];
                    }
                }
                for (int j = n - 1; j >= 0; j--) { // U·x = z
                    int col = aOff + j * lda;
                    double v = b[x + j] / a[col + j];
                    b[x + j] = v;
                    if (v != 0.0) {
                        for (int i = 0; i < j; i++) b[x + i] -= v * a[col + i];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) { // Uᵀ·z = b
                    int col = aOff + j * lda;
                    double s = b[x + j];
                    for (int i = 0; i < j; i++) s -= a[col + i] * b[x + i];
                    b[x + j] = s / a[col + j];
                }
                for (int j = n - 1; j >= 0; j--) { // Lᵀ·w = z, unit diagonal
                    int col = aOff + j * lda;
                    double s = b[x + j];
                    for (int i = j + 1; i < n; i++) s -= a[col + i] * b[x + i];
                    b[x + j] = s;
                }
                for (int i = n - 1; i >= 0; i--) { // x = Pᵀ·w
                    int p = ipiv[ipivOff + i] - 1;
                    if (p != i) {
                        double t = b[x + i];
                        b[x + i] = b[x + p];
                        b[x + p] = t;
                    }
                }
            }
        }
    }

    static int sgetrf(int m, int n, float[] a, int aOff, int lda, int[] ipiv, int ipivOff) {
        int info = 0;
        int steps = Math.min(m, n);
        for (int j = 0; j < steps; j++) {
            int col = aOff + j * lda;
            int p = j;
            float max = Math.abs(a[col + j]);
            for (int i = j + 1; i < m; i++) {
                float v = Math.abs(a[col + i]);
                if (v > max) {
                    max = v;
                    p = i;
                }
            }
            ipiv[ipivOff + j] = p + 1;
            float pivot = a[col + p];
            if (pivot != 0.0f) {
                if (p != j) {
                    for (int c = 0; c < n; c++) {
                        int o = aOff + c * lda;
                        float t = a[o + j];
                        a[o + j] = a[o + p];
                        a[o + p] = t;
                    }
                }
                float r = 1.0f / pivot;
                for (int i = j + 1; i < m; i++) a[col + i] *= r;
            } else if (info == 0) {
                info = j + 1;
            }
            for (int c = j + 1; c < n; c++) {
                int o = aOff + c * lda;
                float u = a[o + j];
                if (u != 0.0f) {
                    for (int i = j + 1; i < m; i++) a[o + i] -= a[col + i] * u;
                }
            }
        }
        return info;
    }

    static void sgetrs(boolean transpose, int n, int nrhs, float[] a, int aOff, int lda, int[] ipiv, int ipivOff,
                       float[] b, int bOff, int ldb) {
        for (int r = 0; r < nrhs; r++) {
            int x = bOff + r * ldb;
            if (!transpose) {
                for (int i = 0; i < n; i++) {
                    int p = ipiv[ipivOff + i] - 1;
                    if (p != i) {
                        float t = b[x + i];
                        b[x + i] = b[x + p];
                        b[x + p] = t;
                    }
                }
                for (int j = 0; j < n; j++) {
                    float v = b[x + j];
                    if (v != 0.0f) {
                        int col = aOff + j * lda;
                        for (int i = j + 1; i < n; i++) b[x + i] -= v * a[col + i];
                    }
                }
                for (int j = n - 1; j >= 0; j--) {
                    int col = aOff + j * lda;
                    float v = b[x + j] / a[col + j];
                    b[x + j] = v;
                    if (v != 0.0f) {
                        for (int i = 0; i < j; i++) b[x + i] -= v * a[col + i];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int col = aOff + j * lda;
                    float s = b[x + j];
                    for (int i = 0; i < j; i++) s -= a[col + i] * b[x + i];
                    b[x + j] = s / a[col + j];
                }
                for (int j = n - 1; j >= 0; j--) {
                    int col = aOff + j * lda;
                    float s = b[x + j];
                    for (int i = j + 1; i < n; i++) s -= a[col + i] * b[x + i];
                    b[x + j] = s;
                }
                for (int i = n - 1; i >= 0; i--) {
                    int p = ipiv[ipivOff + i] - 1;
                    if (p != i) {
                        float t = b[x + i];
                        b[x + i] = b[x + p];
                        b[x + p] = t;
                    }
                }
            }
        }
    }
}
