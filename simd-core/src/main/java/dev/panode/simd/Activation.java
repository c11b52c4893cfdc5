package dev.panode.simd;

/**
 * Element-wise activations of the MLP and their derivatives.
 *
 * <p>API contract (stable; the bodies may be vectorised): {@link #biasActivate} computes
 * {@code U = X + 1·bᵀ} and {@code A = σ(U)} over a {@code rows × cols} row-major block in one pass;
 * {@link #derivativeTimes} multiplies a cotangent by {@code σ'} computed from the stored pre-activation {@code U}
 * and output {@code A} (whichever is cheaper for the function). Nothing is allocated.
 */
public enum Activation {
    TANH, SOFTPLUS, RELU, SIGMOID, SIN, IDENTITY;

    /** Scalar σ(u): the oracle. */
    public double apply(double u) {
        return switch (this) {
            case TANH -> Math.tanh(u);
            case SOFTPLUS -> u > 20.0 ? u : Math.log1p(Math.exp(u));
            case RELU -> u > 0.0 ? u : 0.0;
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-u));
            case SIN -> Math.sin(u);
            case IDENTITY -> u;
        };
    }

    /** Scalar σ'(u) given u and a = σ(u): the oracle. */
    public double derivative(double u, double a) {
        return switch (this) {
            case TANH -> 1.0 - a * a;
            case SOFTPLUS -> 1.0 / (1.0 + Math.exp(-u));
            case RELU -> u > 0.0 ? 1.0 : 0.0;
            case SIGMOID -> a * (1.0 - a);
            case SIN -> Math.cos(u);
            case IDENTITY -> 1.0;
        };
    }

    /**
     * {@code u[uOff + r·cols + c] = x[xOff + r·cols + c] + bias[bOff + c]} and {@code a[...] = σ(u[...])}, for a
     * {@code rows × cols} block. {@code u} may alias {@code x}; {@code a} may alias {@code u} only for
     * {@link #IDENTITY} or when the pre-activation is not needed later.
     */
    public void biasActivate(double[] x, int xOff, double[] bias, int bOff, int rows, int cols,
                             double[] u, int uOff, double[] a, int aOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = x[xOff + r * cols + c] + bias[bOff + c];
                u[uOff + r * cols + c] = v;
                a[aOff + r * cols + c] = apply(v);
            }
        }
    }

    /** {@code g[gOff+j] *= σ'(u[uOff+j])} for {@code j < n}, using the stored output {@code a} where cheaper. */
    public void derivativeTimes(double[] u, int uOff, double[] a, int aOff, double[] g, int gOff, int n) {
        for (int j = 0; j < n; j++) g[gOff + j] *= derivative(u[uOff + j], a[aOff + j]);
    }
}
