package dev.panode.solvers;

/**
 * Called after every accepted step, before the solver moves on; e.g. to record the accepted (t, h) sequence and to
 * store checkpoints for a backward pass. The view's arrays are only valid during the call. An observer that allocates
 * nothing keeps the solve allocation-free.
 */
@FunctionalInterface
public interface StepObserver {
    /** One accepted step; see {@link StepView}. */
    void onAcceptedStep(StepView step);
}
