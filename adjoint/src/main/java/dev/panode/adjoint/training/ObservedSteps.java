package dev.panode.adjoint.training;

/**
 * Each window's estimated steps from its own observations, for {@link BalancedSplit}: the solver's initial-step rule
 * (Hairer, Nørsett and Wanner I §II.4), as {@link BalancedSplit} applies it to the field, with the field's values
 * replaced by the data's. The rule's d1 = ‖f(y₀)‖ becomes ‖y′(t₀)‖, and its d2 = ‖f(y₀ + h₀f₀) − f₀‖/h₀, a difference
 * quotient of f along the flow, becomes ‖y″(t₀)‖, which it approximates (f′(y)·f(y) = y″ for an autonomous field);
 * the norms are the solver's scaled RMS norms with the error scale atol + rtol·|y₀|, and the result is the window's
 * 1/h, in the same units as the evaluated estimate. Both derivatives are the derivatives at t₀ of the cubic through
 * the window's first four observations z₀ … z₃ (Newton's divided differences:
 * p′(t₀) = [z₀z₁] + [z₀z₁z₂](t₀ − t₁) + [z₀z₁z₂z₃](t₀ − t₁)(t₀ − t₂) and
 * p″(t₀) = 2[z₀z₁z₂] + 2[z₀z₁z₂z₃]((t₀ − t₁) + (t₀ − t₂)); on a uniform grid of spacing Δ,
 * (−11z₀ + 18z₁ − 9z₂ + 2z₃)/(6Δ) and (2z₀ − 5z₁ + 4z₂ − z₃)/Δ², third- and second-order accurate; Fornberg,
 * Math. Comp. 51 (1988), 699–706). Three observations are not enough: their second difference is y″ at t₁, not t₀,
 * first-order off (12% on the demo's fastest windows, docs/BENCHMARKS.md §82).
 *
 * <p>What it estimates is the steps of the system the data came from, not of the model being trained: the two agree
 * as far as the model fits the data (an untrained model's steps may rank the windows differently). The cost is a
 * function of the batch's observations and the tolerances alone: no field evaluation, O(n·dim) arithmetic and one
 * {@code pow} per window (about 0.6 µs for 20 windows of dimension 2), nothing allocated unless the batch size
 * changes. When not to use: with noisy observations (the second derivative's weights turn observation noise ε into
 * about 7ε/Δ²) or observations too sparse to resolve the window's curvature.
 */
final class ObservedSteps {
    /** Observations per window the estimate needs: y′ and y″ from the cubic through the first four. */
    static final int OBSERVATIONS = 4;

    private final BalancedSplit rule;
    private final int dim;
    /** Per component: y′(t₀), y″(t₀) and the error scale atol + rtol·|y₀|. */
    private double[] velocity = new double[0], acceleration = new double[0], scale = new double[0];

    /** @param rule the split whose step rule and tolerances the estimate uses */
    ObservedSteps(BalancedSplit rule, int dim) {
        this.rule = rule;
        this.dim = dim;
    }

    /** Makes room for batches of {@code n} windows. */
    void resize(int n) {
        velocity = new double[n * dim];
        acceleration = new double[n * dim];
        scale = new double[n * dim];
    }

    /**
     * Writes into {@code steps} each window's estimated 1/h from its first four observations ({@link #resize}d for
     * the batch's size first).
     */
    void estimate(TrajectoryDataset.Batch batch, double[] steps) {
        int n = batch.size(), m = n * dim;
        double[] t = batch.times(), z = batch.targets(), y0 = batch.y0();
        double h1 = t[1] - t[0], h2 = t[2] - t[1], h3 = t[3] - t[2];
        double over1 = 1.0 / h1, over2 = 1.0 / h2, over3 = 1.0 / h3;
        double over02 = 1.0 / (h1 + h2), over13 = 1.0 / (h2 + h3), over03 = 1.0 / (h1 + h2 + h3);
        // the cubic's derivatives at t0: p′ = [01] + [012]·(t0 − t1) + [0123]·(t0 − t1)(t0 − t2),
        // p″ = 2·[012] + 2·[0123]·((t0 − t1) + (t0 − t2))
        double a1 = -h1, b1 = h1 * (h1 + h2), b2 = -2 * (2 * h1 + h2);
        for (int i = 0, j = 0; i < m; i++, j = j + 1 == dim ? 0 : j + 1) {
            double z0 = z[i], z1 = z[m + i], z2 = z[2 * m + i], z3 = z[3 * m + i];
            double d01 = (z1 - z0) * over1, d12 = (z2 - z1) * over2, d23 = (z3 - z2) * over3;
            double d012 = (d12 - d01) * over02, d123 = (d23 - d12) * over13;
            double d0123 = (d123 - d012) * over03;
            velocity[i] = d01 + a1 * d012 + b1 * d0123;
            acceleration[i] = 2 * d012 + b2 * d0123;
            scale[i] = rule.scale(j, y0[i]);
        }
        for (int r = 0; r < n; r++) {
            double d0 = rule.rowNorm(y0, null, r, scale), d1 = rule.rowNorm(velocity, null, r, scale);
            steps[r] = rule.steps(rule.firstGuess(d0, d1), d1, rule.rowNorm(acceleration, null, r, scale));
        }
    }
}
