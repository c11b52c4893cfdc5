package dev.panode.adjoint.training;

/**
 * The loss of a model on one batch of windows and its gradient dL/dθ: what a {@link Trainer} asks for once per
 * iteration. An implementation solves the model forward from the batch's initial states over its save times, compares
 * with the targets, and runs a gradient method backwards (see {@link BatchGradients}).
 *
 * <p>An implementation may keep per-run scratch; it is used by one thread.
 */
@FunctionalInterface
public interface BatchGradient extends AutoCloseable {

    /**
     * Computes the loss on {@code batch} at the model's current parameters and writes dL/dθ into {@code gradient}
     * (overwritten, length P).
     *
     * @return the loss and the work it took
     */
    Step compute(TrajectoryDataset.Batch batch, double[] gradient);

    /**
     * As {@link #compute}, returning only the loss and writing the work into {@code nfe[0]} (forward evaluations)
     * and {@code nfe[1]} (backward): the form a {@link Trainer} calls, which allocates nothing in the implementations
     * of {@link BatchGradients}. The default calls {@link #compute}.
     */
    default double computeLoss(TrajectoryDataset.Batch batch, double[] gradient, long[] nfe) {
        Step step = compute(batch, gradient);
        nfe[0] = step.nfeForward();
        nfe[1] = step.nfeBackward();
        return step.loss();
    }

    /** Frees what the implementation holds (off-heap checkpoints, worker threads); the default holds nothing. */
    @Override
    default void close() {
    }

    /**
     * The outcome of one gradient evaluation.
     *
     * @param loss        the loss value
     * @param nfeForward  vector-field evaluations of the forward solve
     * @param nfeBackward vector-field evaluations (or VJPs) of the backward pass
     */
    record Step(double loss, long nfeForward, long nfeBackward) {}
}
