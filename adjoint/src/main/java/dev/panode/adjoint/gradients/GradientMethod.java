package dev.panode.adjoint.gradients;

/**
 * How {@link Gradients#compute} differentiates a solve: {@link Backprop} (discretise, then optimise: the exact
 * gradient of the numerical solution), {@link BacksolveAdjoint} (optimise, then discretise, reconstructing y
 * backwards), {@link InterpolatingAdjoint} (optimise, then discretise, with y from forward checkpoints) or
 * {@link MultistepBackprop} (backprop through a fixed-step linear multistep method, with the leapfrog corrections).
 * Immutable and shareable.
 */
public sealed interface GradientMethod permits Backprop, BacksolveAdjoint, InterpolatingAdjoint, MultistepBackprop {
}
