package dev.panode.adjoint.gradients;

/**
 * The outcome of a float32 gradient ({@link BackpropF32#compute}, {@link BacksolveF32#compute},
 * {@link InterpolatingF32#compute}): the loss (evaluated in double), the saved states
 * at the grid times, ∂L/∂y0 ({@code rows × dim}) and ∂L/∂θ (the field's parameter layout) in float, and the counts.
 *
 * @param loss        L
 * @param states      y(t_i) for every grid time, {@code rows × dim} each
 * @param dLdy0       ∂L/∂y0
 * @param dLdTheta    ∂L/∂θ
 * @param forwardNfe  evaluations of the forward solve
 * @param backwardNfe evaluations and VJPs of the reverse pass
 * @param steps       accepted steps of the forward solve
 * @param backwardSteps steps of the reverse pass (backprop: the forward's, reversed) or of the backward solves
 * @param checkpointBytes heap bytes of the forward states (and stage inputs for backprop, stages for the
 *                        interpolating adjoint) the gradient kept for its reverse pass, within its
 *                        {@link Checkpointing} budget (0 for the backsolve adjoint)
 * @param savedStageBytes heap bytes of the saved stage evaluations backprop kept (0 when none)
 * @param stepsRecomputed forward steps recomputed from kept states (backprop's binomial schedule, the interpolating
 *                        adjoint's replayed segments)
 */
public record GradientResultF32(double loss, float[][] states, float[] dLdy0, float[] dLdTheta, long forwardNfe,
                                long backwardNfe, long steps, long backwardSteps, long checkpointBytes,
                                long savedStageBytes, long stepsRecomputed) {

    /** A result that kept no checkpoints and recomputed no steps. */
    public GradientResultF32(double loss, float[][] states, float[] dLdy0, float[] dLdTheta, long forwardNfe,
                             long backwardNfe, long steps, long backwardSteps) {
        this(loss, states, dLdy0, dLdTheta, forwardNfe, backwardNfe, steps, backwardSteps, 0, 0, 0);
    }
}
