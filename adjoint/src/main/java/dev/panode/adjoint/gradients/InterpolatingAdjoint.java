package dev.panode.adjoint.gradients;

/**
 * The interpolating (checkpointed) continuous adjoint: the forward pass stores checkpoints off-heap; the backward
 * pass solves (a, a_θ, a_t) backwards interval by interval, and whenever it needs y(t) it re-solves forward from the
 * nearest checkpoint with the recorded step sizes and reads the method's dense output. y is never integrated
 * backwards, so this is safe for dissipative and chaotic dynamics, where {@link BacksolveAdjoint} is not.
 *
 * <p>With an implicit forward method ({@link dev.panode.solvers.Esdirk}, {@link dev.panode.solvers.Rosenbrock}) the
 * re-solved steps solve their stage equations exactly (Newton with the Jacobian from VJPs), y(t) comes from the
 * stepper's own dense output, and the backward solve uses the same implicit method on the augmented system, whose
 * Jacobian (−Jᵀ and −(∂f/∂θ)ᵀ in the columns of a) is assembled from n VJPs. For stiff problems this is the adjoint to
 * use when backprop's memory is too much: the backward system is as stiff as the forward one.
 *
 * <p>Memory: the checkpoints (one state per stored step, within {@link #checkpointing()}), plus the dense output of
 * two segments on the heap. Cost: at most about one extra forward solve, plus the backward solve. With fewer slots
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
