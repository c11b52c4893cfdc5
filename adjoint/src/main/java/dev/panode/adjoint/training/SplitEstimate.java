package dev.panode.adjoint.training;

/**
 * Where a balanced batch gradient ({@link BatchGradients#meanAbsoluteErrorBalanced(
 * dev.panode.adjoint.models.DifferentiableField, dev.panode.solvers.OdeMethod, dev.panode.solvers.SolveOptions,
 * dev.panode.adjoint.gradients.GradientMethod, int, int, SplitEstimate)}) takes each window's estimated steps from.
 * Both apply the solver's initial-step rule (Hairer, Nørsett and Wanner I §II.4) to each window; the cut is then the
 * same grouping of the windows by those costs.
 */
public enum SplitEstimate {
    /**
     * The model's field: two evaluations of the whole batch per call (split over the threads, one region before the
     * chunks). Ranks the windows by the steps of the model being trained.
     */
    EVALUATED,
    /**
     * The windows' observations: the data's first and second difference quotients in place of the two evaluations,
     * on the calling thread, no evaluation and no hand-over (less than a microsecond for the demo's 20 windows).
     * Ranks the windows by the steps of the system the data came from, which the model's approach as it fits them.
     * Windows of fewer than four observations fall back to {@link #EVALUATED}.
     */
    OBSERVED
}
