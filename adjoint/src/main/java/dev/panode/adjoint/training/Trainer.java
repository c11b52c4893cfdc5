package dev.panode.adjoint.training;

import dev.panode.adjoint.models.DifferentiableField;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training loop of a neural ODE: per iteration, draw a batch of windows from a {@link TrajectoryDataset}, ask a
 * {@link BatchGradient} for the loss and dL/dθ, and let an {@link Optimizer} update the field's parameters in place.
 * This is the loop of torchdiffeq's {@code ode_demo.py}.
 *
 * <p>A run is deterministic for a given {@link Config#seed()}: the seed fixes the windows drawn, and nothing else in
 * the loop is random. The trainer holds only configuration and may be reused; each call of {@link #train} has its
 * own state.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final Config config;
    private final LearningRateSchedule schedule;

    /** A trainer with a constant learning rate. */
    public Trainer(Optimizer optimizer, Config config) {
        this(optimizer, config, LearningRateSchedule.constant());
    }

    /**
     * A trainer with the given update rule and loop configuration.
     *
     * @param optimizer the update rule
     * @param config    iterations, batch size, window length and seed
     * @param schedule  the learning-rate factor per iteration
     */
    public Trainer(Optimizer optimizer, Config config, LearningRateSchedule schedule) {
        if (optimizer == null) throw new IllegalArgumentException("optimizer must be non-null");
        if (config == null) throw new IllegalArgumentException("config must be non-null");
        if (schedule == null) throw new IllegalArgumentException("schedule must be non-null");
        this.optimizer = optimizer;
        this.config = config;
        this.schedule = schedule;
    }

    /** The optimiser. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /**
     * Trains {@code field} in place.
     *
     * @param field    the model; its {@link DifferentiableField#parameters()} are updated after every iteration
     * @param data     the observations; windows of {@link Config#windowLength()} (0 = every trajectory in full)
     * @param gradient the loss and gradient on a batch, bound to {@code field} (see {@link BatchGradients})
     * @param listener called after every iteration (may be {@link Listener#NONE})
     * @return the loss history and totals
     * @throws IllegalArgumentException if the batch does not fit the data
     * @throws IllegalStateException    if the loss or the gradient becomes non-finite, naming the iteration
     */
    public TrainingResult train(DifferentiableField field, TrajectoryDataset data, BatchGradient gradient,
                                Listener listener) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (data == null) throw new IllegalArgumentException("data must be non-null");
        if (gradient == null) throw new IllegalArgumentException("gradient must be non-null");
        if (listener == null) throw new IllegalArgumentException("listener must be non-null");
        if (field.dim() != -1 && field.dim() != data.dim()) {
            throw new IllegalArgumentException("field.dim() = " + field.dim() + " differs from data.dim() = " + data.dim());
        }
        boolean windows = config.windowLength > 0;
        TrajectoryDataset.Batch batch = windows ? data.newBatch(config.batchSize, config.windowLength) : data.fullBatch();
        SplittableRandom random = new SplittableRandom(config.seed);
        double[] theta = field.parameters();
        double[] grad = new double[theta.length];
        Optimizer.State state = optimizer.start(theta.length);
        double[] losses = new double[config.iterations];
        long nfeForward = 0, nfeBackward = 0;
        long[] nfe = new long[2];
        long start = System.nanoTime();
        for (int it = 0; it < config.iterations; it++) {
            if (windows) data.sampleWindows(random, batch);
            Arrays.fill(grad, 0.0);
            double loss = gradient.computeLoss(batch, grad, nfe);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("the loss became " + loss + " at iteration " + (it + 1)
                        + ": lower the learning rate (now " + describe(optimizer) + ") or tighten the solver tolerances");
            }
            double norm = 0.0;
            for (double g : grad) norm += g * g;
            norm = Math.sqrt(norm);
            if (!Double.isFinite(norm)) {
                throw new IllegalStateException("the gradient became non-finite at iteration " + (it + 1)
                        + " (loss " + loss + "): lower the learning rate or tighten the solver tolerances");
            }
            state.step(theta, grad, schedule.factor(it, config.iterations));
            losses[it] = loss;
            nfeForward += nfe[0];
            nfeBackward += nfe[1];
            if (listener != Listener.NONE) {
                listener.afterIteration(new Iteration(it + 1, config.iterations, loss, norm, nfe[0], nfe[1],
                        System.nanoTime() - start));
            }
        }
        return new TrainingResult(losses, nfeForward, nfeBackward, System.nanoTime() - start);
    }

    private static String describe(Optimizer optimizer) {
        return switch (optimizer) {
            case Adam a -> "Adam lr=" + a.learningRate();
            case RmsProp r -> "RMSprop lr=" + r.learningRate();
            case Sgd s -> "SGD lr=" + s.learningRate();
        };
    }

    /**
     * What a training run does. Build it with named choices:
     * <pre>{@code
     * Trainer.Config c = Trainer.Config.builder().iterations(2000).batchSize(20).windowLength(10).seed(0).build();
     * Trainer.Config full = Trainer.Config.builder().iterations(300).fullTrajectories().build();
     * }</pre>
     *
     * @param iterations   the number of optimiser steps ≥ 1
     * @param batchSize    windows per batch ≥ 1 (ignored when {@code windowLength} is 0)
     * @param windowLength observations per window ≥ 2, or 0 to train on every trajectory in full each iteration
     * @param seed         the seed of the window draws
     */
    public record Config(int iterations, int batchSize, int windowLength, long seed) {
        /** Validates the ranges. */
        public Config {
            if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            if (windowLength != 0 && windowLength < 2) {
                throw new IllegalArgumentException("windowLength must be 0 (full trajectories) or >= 2, got " + windowLength);
            }
            if (windowLength != 0 && batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
        }

        /** A builder: 100 iterations, batches of 16 windows of 10 observations, seed 0 until told otherwise. */
        public static Builder builder() {
            return new Builder();
        }

        /** Named choices for a {@link Config}; {@link #build()} checks the ranges. */
        public static final class Builder {
            private int iterations = 100;
            private int batchSize = 16;
            private int windowLength = 10;
            private long seed;

            private Builder() {}

            /** The number of optimiser steps, ≥ 1. */
            public Builder iterations(int iterations) {
                this.iterations = iterations;
                return this;
            }

            /** Windows per batch, ≥ 1. */
            public Builder batchSize(int batchSize) {
                this.batchSize = batchSize;
                return this;
            }

            /** Observations per window, ≥ 2. */
            public Builder windowLength(int windowLength) {
                this.windowLength = windowLength;
                return this;
            }

            /** Trains on every trajectory in full each iteration instead of on windows. */
            public Builder fullTrajectories() {
                this.windowLength = 0;
                return this;
            }

            /** The seed of the window draws. */
            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            /** The validated configuration. */
            public Config build() {
                return new Config(iterations, batchSize, windowLength, seed);
            }
        }
    }

    /**
     * The report after one iteration.
     *
     * @param iteration    1-based index
     * @param iterations   the total planned
     * @param loss         the batch loss before the update
     * @param gradientNorm the Euclidean norm of dL/dθ
     * @param nfeForward   forward evaluations of this iteration
     * @param nfeBackward  backward evaluations of this iteration
     * @param elapsedNanos wall time since the run started
     */
    public record Iteration(int iteration, int iterations, double loss, double gradientNorm, long nfeForward,
                            long nfeBackward, long elapsedNanos) {}

    /** A callback after each iteration (progress bars, logging, early evaluation). */
    @FunctionalInterface
    public interface Listener {
        /** Does nothing. */
        Listener NONE = it -> {};

        /** Called once per iteration, after the parameters were updated. */
        void afterIteration(Iteration iteration);
    }

    /**
     * The outcome of a run.
     *
     * @param losses            the batch loss of each iteration
     * @param nfeForward        total forward evaluations
     * @param nfeBackward       total backward evaluations
     * @param wallNanos         wall time of the loop
     */
    public record TrainingResult(double[] losses, long nfeForward, long nfeBackward, long wallNanos) {
        /** The loss of the last iteration. */
        public double finalLoss() {
            return losses[losses.length - 1];
        }
    }
}
