package dev.panode.simd;

/**
 * Runge–Kutta stage combinations over contiguous {@code double[]} states.
 *
 * <p>API contract (stable; the bodies may be vectorised): stage {@code i} lives in {@code k[i][kOff .. kOff+n)};
 * coefficients equal to zero are skipped; nothing is allocated. Arguments are checked by the callers' public edges;
 * these kernels trust their input.
 */
public final class StageKernels {
    private StageKernels() {}

    /** {@code out[outOff+j] = y[yOff+j] + h·Σ_{i<s} c[i]·k[i][kOff+j]} for {@code j < n}. {@code out} may alias {@code y}. */
    public static void combine(double[] y, int yOff, double h, double[] c, int s, double[][] k, int kOff,
                               double[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            double acc = 0.0;
            for (int i = 0; i < s; i++) {
                if (c[i] != 0.0) acc += c[i] * k[i][kOff + j];
            }
            out[outOff + j] = y[yOff + j] + h * acc;
        }
    }

    /** {@code out[outOff+j] = h·Σ_{i<s} e[i]·k[i][kOff+j]}: the embedded error estimate. */
    public static void errorEstimate(double h, double[] e, int s, double[][] k, int kOff,
                                     double[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            double acc = 0.0;
            for (int i = 0; i < s; i++) {
                if (e[i] != 0.0) acc += e[i] * k[i][kOff + j];
            }
            out[outOff + j] = h * acc;
        }
    }
}
