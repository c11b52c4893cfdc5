package dev.panode.spark;

import dev.panode.adjoint.training.Adam;
import dev.panode.adjoint.training.Optimizer;
import dev.panode.adjoint.training.Trainer;

/**
 * Data-parallel full-batch training on Spark: each iteration broadcasts the parameters, the executors compute the
 * gradient of their shards ({@link DataParallelGradients}), and the driver takes one {@link Adam} step. With the same
 * initial model, data and fixed steps it follows the loss curve of single-JVM {@link Trainer} training with
 * {@code Trainer.Config.Builder#fullTrajectories()} and {@code BatchGradients.meanSquaredError} (to rounding, which
 * Adam's normalisation keeps from growing over a short run).
 *
 * <p>Cost per iteration: one Spark job (see {@link DataParallelGradients}) and O(P) on the driver. When not to use:
 * a data set a single machine handles in the time one Spark job takes to schedule (a few milliseconds per task).
 */
public final class DataParallelTrainer {
    private final Adam optimizer;
    private final int iterations;

    /**
     * @param optimizer  Adam with its learning rate
     * @param iterations ≥ 1
     */
    public DataParallelTrainer(Adam optimizer, int iterations) {
        if (optimizer == null) throw new IllegalArgumentException("optimizer must be non-null, got null");
        if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        this.optimizer = optimizer;
        this.iterations = iterations;
    }

    /**
     * The outcome: the loss at each iteration (before its step) and the final model.
     *
     * @param losses the loss history
     * @param model  the trained model
     */
    public record Result(double[] losses, ModelSpec model) {}

    /**
     * Trains {@code initial} on {@code gradients}' data set.
     *
     * @param listener told after every iteration (iteration, loss, gradient norm, NFE, elapsed time)
     * @throws IllegalStateException when the loss or the gradient becomes non-finite, naming the iteration
     */
    public Result train(ModelSpec initial, DataParallelGradients gradients, Trainer.Listener listener) {
        if (initial == null) throw new IllegalArgumentException("initial must be non-null, got null");
        if (gradients == null) throw new IllegalArgumentException("gradients must be non-null, got null");
        if (listener == null) throw new IllegalArgumentException("listener must be non-null, got null");
        double[] theta = initial.model().parameters().clone();
        Optimizer.State state = optimizer.start(theta.length);
        double[] losses = new double[iterations];
        long start = System.nanoTime();
        ModelSpec current = initial;
        for (int it = 0; it < iterations; it++) {
            GradientSum g = gradients.compute(current);
            double norm = g.gradientNorm();
            if (!Double.isFinite(g.loss()) || !Double.isFinite(norm)) {
                throw new IllegalStateException("the loss became " + g.loss() + " (gradient norm " + norm
                        + ") at iteration " + (it + 1) + ": lower the learning rate (now " + optimizer.learningRate()
                        + ") or tighten the solver tolerances");
            }
            state.step(theta, g.gradient(), 1.0);
            losses[it] = g.loss();
            current = initial.withParameters(theta);
            listener.afterIteration(new Trainer.Iteration(it + 1, iterations, g.loss(), norm, g.nfeForward(),
                    g.nfeBackward(), System.nanoTime() - start));
        }
        return new Result(losses, current);
    }
}
