package dev.panode.adjoint.training;

/**
 * The factor by which a {@link Trainer} scales the optimiser's learning rate at each iteration.
 * Implementations must be pure functions of their arguments (runs stay deterministic).
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate at an iteration.
     *
     * @param iteration  0-based iteration
     * @param iterations the total number of iterations
     * @return the factor, finite and ≥ 0
     */
    double factor(int iteration, int iterations);

    /** Factor 1 throughout. */
    static LearningRateSchedule constant() {
        return (i, n) -> 1.0;
    }

    /**
     * Cosine annealing (Loshchilov &amp; Hutter, SGDR, 2017; {@code torch.optim.lr_scheduler.CosineAnnealingLR} over one
     * period): {@code f(i) = m + (1 − m)·(1 + cos(π i / n))/2}, from 1 at the start down to {@code m} at the end. It lets
     * a noisy mini-batch loss settle at the end of a short run.
     *
     * @param finalFactor m in [0, 1]
     */
    static LearningRateSchedule cosine(double finalFactor) {
        if (!(finalFactor >= 0.0 && finalFactor <= 1.0)) {
            throw new IllegalArgumentException("finalFactor must be in [0, 1], got " + finalFactor);
        }
        return (i, n) -> finalFactor + (1.0 - finalFactor) * 0.5 * (1.0 + Math.cos(Math.PI * i / n));
    }
}
