package dev.panode.solvers;

/**
 * Cubic Hermite interpolation inside a step from (y, f) at both ends, third order:
 * {@code y(t + θh) = h00·y0 + h01·y1 + h·(h10·f0 + h11·f1)} with the Hermite basis h00 = 2θ³ − 3θ² + 1,
 * h10 = θ³ − 2θ² + θ, h01 = −2θ³ + 3θ², h11 = θ³ − θ².
 */
final class HermiteCubic {
    private HermiteCubic() {}

    /** Writes y(t + θh) for {@code n} components to {@code out[outOff ..]}. */
    static void interpolate(double theta, double h, double[] y0, double[] f0, double[] y1, double[] f1,
                            double[] out, int outOff, int n) {
        double t2 = theta * theta;
        double t3 = t2 * theta;
        double h00 = 2 * t3 - 3 * t2 + 1;
        double h10 = t3 - 2 * t2 + theta;
        double h01 = -2 * t3 + 3 * t2;
        double h11 = t3 - t2;
        for (int i = 0; i < n; i++) {
            out[outOff + i] = h00 * y0[i] + h01 * y1[i] + h * (h10 * f0[i] + h11 * f1[i]);
        }
    }
}
