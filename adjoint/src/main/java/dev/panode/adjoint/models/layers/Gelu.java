package dev.panode.adjoint.models.layers;

/**
 * The Gaussian error linear unit (Hendrycks &amp; Gimpel 2016), element-wise over {@code width} columns, as
 * {@code torch.nn.GELU}: exact {@code y = x·Φ(x)} with Φ the standard normal distribution function, or with
 * {@code tanhApproximation} torch's {@code approximate='tanh'} form
 * {@code y = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}. No parameters.
 *
 * <p>Backward: {@code x̄ = ȳ ⊙ (Φ(x) + x·φ(x))} (exact) or the derivative of the tanh form. Scalar code (Φ through
 * {@link #erfc}, within a few ulp of the true value); about ten times the cost of a tanh, which matters only for very
 * wide layers.
 *
 * @param width            columns, ≥ 1
 * @param tanhApproximation whether to use the tanh approximation instead of Φ
 */
public record Gelu(int width, boolean tanhApproximation) implements ShapePreserving {
    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double CUBIC = 0.044715;

    /** @throws IllegalArgumentException on a width below 1 */
    public Gelu {
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
    }

    /** The exact GELU ({@code torch.nn.GELU()}). */
    public Gelu(int width) {
        this(width, false);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        int n = rows * width;
        for (int i = 0; i < n; i++) y[i] = value(x[i]);
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        int n = rows * width;
        for (int i = 0; i < n; i++) xBar[i] = yBar[i] * slope(x[i]);
        return 0.0;
    }

    /** GELU of one value. */
    public double value(double u) {
        if (tanhApproximation) return 0.5 * u * (1.0 + Math.tanh(SQRT_2_OVER_PI * (u + CUBIC * u * u * u)));
        return u * normalCdf(u);
    }

    /** d GELU/du at one value. */
    public double slope(double u) {
        if (tanhApproximation) {
            double th = Math.tanh(SQRT_2_OVER_PI * (u + CUBIC * u * u * u));
            return 0.5 * (1.0 + th) + 0.5 * u * (1.0 - th * th) * SQRT_2_OVER_PI * (1.0 + 3.0 * CUBIC * u * u);
        }
        return normalCdf(u) + u * INV_SQRT_2PI * Math.exp(-0.5 * u * u);
    }

    /** Φ(u) = ½·erfc(−u/√2), accurate in the lower tail too. */
    static double normalCdf(double u) {
        return 0.5 * erfc(-u * SQRT_HALF);
    }

    /**
     * The complementary error function, relative error about 1e-15: for |z| &lt; 2.5 as {@code 1 − erf(z)} with
     * erf from the everywhere-positive series {@code erf z = (2/√π)·e^{−z²}·Σ 2ⁿz^{2n+1}/(1·3·…·(2n+1))}; above that
     * from Laplace's continued fraction {@code erfc z = e^{−z²}/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + …))))}, evaluated
     * backwards over 50 terms (Abramowitz &amp; Stegun 7.1.6 and 7.1.14).
     */
    static double erfc(double z) {
        if (Double.isNaN(z)) return z;
        double a = Math.abs(z);
        if (a < 2.5) {
            double term = a;
            double sum = a;
            double twoZ2 = 2.0 * a * a;
            for (int n = 1; term > 1e-17 * sum; n++) {
                term *= twoZ2 / (2 * n + 1);
                sum += term;
            }
            double erf = 2.0 * INV_SQRT_PI * Math.exp(-a * a) * sum;
            return z >= 0 ? 1.0 - erf : 1.0 + erf;
        }
        double f = a;
        for (int k = 50; k >= 1; k--) f = a + 0.5 * k / f;
        double tail = INV_SQRT_PI * Math.exp(-a * a) / f;
        return z >= 0 ? tail : 2.0 - tail;
    }
}
