package dev.panode.adjoint.gradients;

/**
 * How {@link Gradients#compute} differentiates a solve: {@link Backprop} (discretise, then optimise: the exact
 * gradient of the numerical solution), {@link BacksolveAdjoint} (optimise, then discretise, reconstructing y
 * backwards) or {@link InterpolatingAdjoint} (optimise, then discretise, with y from forward checkpoints).
 * Immutable and shareable.
 */
public sealed interface GradientMethod permits Backprop, BacksolveAdjoint, InterpolatingAdjoint {
}
