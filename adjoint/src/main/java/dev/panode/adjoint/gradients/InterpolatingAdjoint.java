package dev.panode.adjoint.gradients;

/**
 * The interpolating continuous adjoint: the backward pass solves (a, a_θ, a_t) backwards over the observation
 * intervals and reads y(t) from the forward solve's dense output. With an explicit Runge–Kutta method the forward
 * pass records every accepted step (its state and stages) and nothing is re-solved; otherwise, or when that record
 * would outgrow {@link #checkpointing()}'s budget, it stores checkpoints off-heap and the backward pass re-solves
 * forward from the nearest one with the recorded step sizes (the same bits either way). y is never integrated
 * backwards, so this is safe for dissipative and chaotic dynamics, where {@link BacksolveAdjoint} is not. The backward
 * solve lands on every observation time and, after the first interval, starts each from the step size the previous
 * one proposed (no initial-step selection per interval; docs/ALGORITHMS.md §9.2).
 *
 * <p>With an implicit forward method ({@link dev.panode.solvers.Esdirk}, {@link dev.panode.solvers.Rosenbrock}) the
 * re-solved steps solve their stage equations exactly (Newton with the Jacobian from VJPs), y(t) comes from the
 * stepper's own dense output, and the backward solve uses the same implicit method on the augmented system, whose
 * Jacobian (−Jᵀ and −(∂f/∂θ)ᵀ in the columns of a) is assembled from n VJPs. For stiff problems this is the adjoint to
 * use when backprop's memory is too much: the backward system is as stiff as the forward one.
 *
 * <p>Memory: recorded, (s + 1) states per step on the heap (s the stages), counted against {@link #checkpointing()}'s
 * byte budget and at most half the heap, kept from one gradient to the next; cost: the copies, plus the backward
 * solve. Re-solved: the checkpoints (one state per stored step, within {@link #checkpointing()}), plus the dense output
 * of two segments on the heap; cost: at most about one extra forward solve, plus the backward solve. With fewer slots
 * than steps, every k-th step is kept (k doubling whenever the slots run out), so segments hold up to 2n/c steps.
 *
 * @param checkpointing which forward states are kept ({@link Checkpointing.Binomial} means "at most that many")
 * @param norm          error norm of the backward solve over (a, a_θ, a_t): FULL or SEMINORM (a only)
 * @param rtol          relative tolerance of the backward solve; NaN means the forward solve's
 * @param atol          absolute tolerance of the backward solve; NaN means the forward solve's
 * @param method        the method of the backward solve; null means the forward solve's
 */
public record InterpolatingAdjoint(Checkpointing checkpointing, AdjointNorm norm, double rtol, double atol,
                                   dev.panode.solvers.RungeKutta method) implements GradientMethod {

    /**
     * An interpolating adjoint with the given checkpointing, error norm, backward tolerances and backward method.
     *
     * @throws IllegalArgumentException on a null checkpointing or norm, or a negative or infinite tolerance
     */
    public InterpolatingAdjoint {
        if (checkpointing == null) throw new IllegalArgumentException("checkpointing must be non-null");
        if (norm == null) throw new IllegalArgumentException("norm must be non-null");
        AdjointTolerances.check(rtol, atol);
    }

    /** Every step checkpointed; the forward solve's method and tolerances. */
    public static InterpolatingAdjoint of(AdjointNorm norm) {
        return new InterpolatingAdjoint(Checkpointing.all(), norm, Double.NaN, Double.NaN, null);
    }

    /** A copy with the given backward tolerances. */
    public InterpolatingAdjoint withTolerances(double rtol, double atol) {
        return new InterpolatingAdjoint(checkpointing, norm, rtol, atol, method);
    }

    /** A copy with the given checkpointing. */
    public InterpolatingAdjoint withCheckpointing(Checkpointing checkpointing) {
        return new InterpolatingAdjoint(checkpointing, norm, rtol, atol, method);
    }
}
