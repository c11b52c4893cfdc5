package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.Activation;

/**
 * An element-wise activation a on stacked primal and tangent rows (see {@link CnfNetwork}), forward and reverse, with
 * the first and second derivatives written in terms of u and a = a(u): tanh' = 1 − a², tanh'' = −2a(1 − a²);
 * softplus' = σ(u), softplus'' = σ(u)(1 − σ(u)); sigmoid' = a(1 − a), sigmoid'' = a(1 − a)(1 − 2a);
 * sin' = cos u, sin'' = −a; identity' = 1, identity'' = 0.
 */
final class ActivationForward {
    private ActivationForward() {}

    /** Primal rows {@code y = a(x)}; tangent rows {@code y_m = a'(x_p) ⊙ x_m}. */
    static void apply(Activation act, double[] x, double[] y, int rows, int stacked, int width) {
        int n = rows * width;
        act.kernel().apply(x, 0, y, 0, n);
        for (int i = 0; i < n; i++) {
            double d = first(act, x[i], y[i]);
            for (int p = n + i; p < stacked * width; p += n) y[p] = d * x[p];
        }
    }

    /**
     * The reverse of {@link #apply}: {@code x̄_p = a' ȳ_p + a'' Σ_m x_m ȳ_m} and {@code x̄_m = a' ȳ_m}, with a', a''
     * at the primal x.
     */
    static void reverse(Activation act, double[] x, double[] y, double[] yBar, double[] xBar, int rows, int stacked,
                        int width) {
        int n = rows * width;
        int total = stacked * width;
        for (int i = 0; i < n; i++) {
            double u = x[i], a = y[i];
            double d = first(act, u, a);
            double curvature = 0.0;
            for (int p = n + i; p < total; p += n) {
                curvature += x[p] * yBar[p];
                xBar[p] = d * yBar[p];
            }
            xBar[i] = d * yBar[i] + second(act, u, a, d) * curvature;
        }
    }

    /** a'(u) given a = a(u). */
    static double first(Activation act, double u, double a) {
        return switch (act) {
            case TANH -> 1.0 - a * a;
            case SOFTPLUS, SIGMOID, SIN, IDENTITY, RELU -> act.kernel().derivative(u, a);
        };
    }

    /** a''(u) given a = a(u) and d = a'(u). */
    static double second(Activation act, double u, double a, double d) {
        return switch (act) {
            case TANH -> -2.0 * a * d;
            case SOFTPLUS -> d * (1.0 - d);
            case SIGMOID -> d * (1.0 - 2.0 * a);
            case SIN -> -a;
            case IDENTITY, RELU -> 0.0;
        };
    }
}
