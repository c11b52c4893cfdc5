package dev.panode.adjoint.gradients;

/**
 * The continuous backsolve adjoint ("optimise, then discretise"; Chen, Rubanova, Bettencourt &amp; Duvenaud 2018):
 * the augmented state (y, a, a_θ, a_t) is solved backwards interval by interval between observation times, with y
 * re-anchored to its forward value and the loss gradient added to a at each observation (docs/ALGORITHMS.md §9). Each
 * interval is a fresh solve, with its own initial-step selection, as in torchdiffeq.
 *
 * <p>Memory O(1) in the number of steps; cost one forward solve plus the backward solve, whose evaluations are VJPs.
 * The gradient is that of the exact flow up to the adjoint's tolerances, not the exact gradient of the numerical
 * solution (for that, {@link Backprop}).
 *
 * <p><b>When not to use:</b> y is reconstructed by integrating backwards, which is unstable for dissipative or chaotic
 * dynamics (the backward flow amplifies errors) and then gives wrong gradients without warning; use
 * {@link InterpolatingAdjoint} or {@link Backprop} there, as diffrax's documentation also advises.
 *
 * @param norm   the error norm of the backward solve: {@link AdjointNorm#FULL} (torchdiffeq's default) or
 *               {@link AdjointNorm#SEMINORM} (Kidger et al. 2021)
 * @param rtol   relative tolerance of the backward solve; NaN means the forward solve's
 * @param atol   absolute tolerance of the backward solve; NaN means the forward solve's
 * @param method the method of the backward solve; null means the forward solve's
 */
public record BacksolveAdjoint(AdjointNorm norm, double rtol, double atol, dev.panode.solvers.RungeKutta method)
        implements GradientMethod {

    /**
     * A backsolve adjoint with the given error norm, backward tolerances and backward method.
     *
     * @throws IllegalArgumentException if the norm is null or a tolerance is negative or infinite
     */
    public BacksolveAdjoint {
        if (norm == null) throw new IllegalArgumentException("norm must be non-null");
        AdjointTolerances.check(rtol, atol);
    }

    /** The backsolve adjoint with the forward solve's method and tolerances. */
    public static BacksolveAdjoint of(AdjointNorm norm) {
        return new BacksolveAdjoint(norm, Double.NaN, Double.NaN, null);
    }

    /** A copy with the given backward tolerances. */
    public BacksolveAdjoint withTolerances(double rtol, double atol) {
        return new BacksolveAdjoint(norm, rtol, atol, method);
    }
}
