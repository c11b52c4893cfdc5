package dev.panode.adjoint.gradients;

/**
 * What a gradient cost.
 *
 * @param forwardNfe      field evaluations of the forward solve
 * @param backwardNfe     evaluations in the backward pass: for the adjoints, evaluations of the augmented dynamics
 *                        (one VJP each, torchdiffeq's {@code nfe_backward}); for backprop, the VJPs plus the field
 *                        evaluations that rebuild stages and recomputed steps
 * @param checkpointBytes off-heap bytes taken by the checkpoint store of states
 * @param stepsRecomputed forward steps recomputed in the backward pass (backprop's checkpoint schedule, or the
 *                        interpolating adjoint's segment re-solves)
 * @param forwardSteps    accepted steps of the forward solve
 * @param backwardSteps   accepted steps of the backward solve (adjoints) or reversed steps (backprop)
 * @param stagesSaved     whether the backward pass ran every VJP from stage evaluations saved by the forward pass
 *                        ({@link dev.panode.adjoint.models.DifferentiableField#vjpFromSaved}: backprop within its budget) rather than rebuilding
 *                        the stages and recomputing each VJP's forward pass; for the interpolating adjoint, whether
 *                        y(t) came from the forward solve's recorded steps rather than from re-solved segments
 * @param savedStageBytes heap bytes of the saved stage evaluations (or the interpolating adjoint's recorded steps)
 *                        this gradient kept (0 when none is kept)
 */
public record GradientStats(long forwardNfe, long backwardNfe, long checkpointBytes, long stepsRecomputed,
                            long forwardSteps, long backwardSteps, boolean stagesSaved, long savedStageBytes) {

    /** Statistics of a gradient that saved no stage evaluations. */
    public GradientStats(long forwardNfe, long backwardNfe, long checkpointBytes, long stepsRecomputed,
                         long forwardSteps, long backwardSteps) {
        this(forwardNfe, backwardNfe, checkpointBytes, stepsRecomputed, forwardSteps, backwardSteps, false, 0);
    }
}
