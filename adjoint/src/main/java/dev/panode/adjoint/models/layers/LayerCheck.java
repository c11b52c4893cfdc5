package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.SplitMix64;

/**
 * Checks a {@link Layer}'s backward pass against central finite differences of its forward pass, the quick test to run
 * on a hand-written layer before training with it (for a whole solve, see
 * {@link dev.panode.adjoint.gradients.GradientCheck}).
 *
 * <p>At random x, θ, t and ȳ (uniform in [−1, 1], seeded), with random directions δx and δθ, it compares
 * {@code x̄·δx}, {@code θ̄·δθ} and the returned time derivative with the derivative of
 * {@code s ↦ ȳ·y(x + sδx, θ + sδθ, t + s)} along each direction by the fourth-order central difference
 * {@code (−g(2h) + 8g(h) − 8g(−h) + g(−2h)) / 12h}. The relative error of each is
 * {@code (|analytic − fd| − noise) / max(|fd|, |analytic|, typical)} (0 when the difference is within the
 * rounding noise of the difference quotient), where {@code typical = ‖gradient‖·‖δ‖/√n} is the size
 * of a directional derivative along a random direction, so a direction that happens to be nearly orthogonal to the
 * gradient does not inflate the error. A correct VJP gives errors around 1e-9 at the default h; a wrong one, errors
 * of order 1. Cost: one backward and twelve forward passes.
 *
 * <p>Not for layers with kinks near the sampled points (relu at 0): the difference quotient straddles the kink with
 * probability about h per element.
 */
public final class LayerCheck {
    /** The default step h of the central differences. */
    public static final double DEFAULT_STEP = 1e-4;

    private LayerCheck() {}

    /**
     * The relative errors of one check.
     *
     * @param input      of {@code x̄·δx}
     * @param parameters of {@code θ̄·δθ} (0 for a layer without parameters)
     * @param time       of the time derivative
     */
    public record Errors(double input, double parameters, double time) {
        /** The largest of the three. */
        public double max() {
            return Math.max(input, Math.max(parameters, time));
        }
    }

    /** {@link #check(Layer, int, long, double)} with {@link #DEFAULT_STEP}. */
    public static Errors check(Layer layer, int rows, long seed) {
        return check(layer, rows, seed, DEFAULT_STEP);
    }

    /**
     * Checks {@code layer} on {@code rows} random rows drawn from {@code seed}, with central-difference step {@code h}.
     *
     * @throws IllegalArgumentException on a null layer, rows below 1 or a step that is not finite and positive
     */
    public static Errors check(Layer layer, int rows, long seed, double h) {
        if (layer == null) throw new IllegalArgumentException("layer must be non-null");
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        if (!(h > 0) || !Double.isFinite(h)) throw new IllegalArgumentException("h must be finite and > 0, got " + h);
        SplitMix64 rng = new SplitMix64(seed);
        int nx = rows * layer.inputWidth();
        int ny = rows * layer.outputWidth();
        int p = layer.parameterCount();
        double[] x = uniform(rng, nx);
        double[] theta = uniform(rng, p);
        double t = rng.uniform(-1, 1);
        double[] yBar = uniform(rng, ny);
        double[] dx = uniform(rng, nx);
        double[] dTheta = uniform(rng, p);
        LayerWorkspace ws = layer.newWorkspace(rows);

        double[] y = new double[ny];
        double[] xBar = new double[nx];
        double[] thetaBar = new double[p];
        Times time = Times.of(t);
        layer.forward(x, y, rows, time, theta, 0, ws);
        double tBar = layer.backward(x, y, yBar, xBar, rows, time, theta, 0, thetaBar, true, ws);

        double[] fdX = directional(layer, x, theta, t, yBar, dx, null, 0.0, rows, h, ws);
        double[] fdTheta = p == 0 ? null : directional(layer, x, theta, t, yBar, null, dTheta, 0.0, rows, h, ws);
        double[] fdT = directional(layer, x, theta, t, yBar, null, null, 1.0, rows, h, ws);
        return new Errors(
                relative(dot(xBar, dx), fdX, norm(xBar) * norm(dx) / Math.sqrt(nx)),
                p == 0 ? 0.0 : relative(dot(thetaBar, dTheta), fdTheta, norm(thetaBar) * norm(dTheta) / Math.sqrt(p)),
                relative(tBar, fdT, 0.0));
    }

    /**
     * {@code |analytic − fd|} less the rounding noise of the difference quotient, over
     * {@code max(|fd|, |analytic|, typical)}; 0 when the difference is within the noise.
     */
    private static double relative(double analytic, double[] fd, double typical) {
        double excess = Math.abs(analytic - fd[0]) - fd[1];
        if (excess <= 0) return 0.0;
        return excess / Math.max(Math.max(Math.abs(fd[0]), Math.abs(analytic)), typical);
    }

    /** {fd, its rounding noise ≈ 18·ε·max_k Σ|ȳ_i·y_i(s_k)| / 12h}. */
    private static double[] directional(Layer layer, double[] x, double[] theta, double t, double[] yBar, double[] dx,
                                      double[] dTheta, double dt, int rows, double h, LayerWorkspace ws) {
        double[] xs = x.clone();
        double[] ts = theta.clone();
        double[] y = new double[yBar.length];
        double[] steps = {-2 * h, -h, h, 2 * h};
        double[] g = new double[4];
        double magnitude = 0.0;
        for (int k = 0; k < 4; k++) {
            double s = steps[k];
            if (dx != null) for (int i = 0; i < xs.length; i++) xs[i] = x[i] + s * dx[i];
            if (dTheta != null) for (int i = 0; i < ts.length; i++) ts[i] = theta[i] + s * dTheta[i];
            layer.forward(xs, y, rows, Times.of(t + s * dt), ts, 0, ws);
            g[k] = dot(yBar, y);
            double m = 0.0;
            for (int i = 0; i < y.length; i++) m += Math.abs(yBar[i] * y[i]);
            magnitude = Math.max(magnitude, m);
        }
        return new double[] {(g[0] - 8 * g[1] + 8 * g[2] - g[3]) / (12 * h), 18 * 0x1p-52 * magnitude / (12 * h)};
    }

    private static double[] uniform(SplitMix64 rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
        return a;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
