package dev.panode.adjoint.training;

/**
 * A first-order optimiser over one flat parameter vector θ (the layout of
 * {@link dev.panode.adjoint.models.DifferentiableField#parameters()}).
 *
 * <p>An optimiser is immutable configuration (learning rate, moments, ...) and can be shared between threads and
 * runs. The per-run state (moment estimates, step count) lives in a {@link State} created by {@link #start(int)}, one
 * per training run; a step updates θ in place and allocates nothing.
 */
public sealed interface Optimizer permits Adam, RmsProp, Sgd {

    /** Creates the per-run state for a parameter vector of length {@code parameterCount} (all moments zero). */
    State start(int parameterCount);

    /** The mutable state of one run of an {@link Optimizer}; owned by one thread. */
    interface State {
        /**
         * One update {@code θ ← θ − step(g)} in place.
         *
         * @param theta    the parameters, length {@link #parameterCount()}, updated in place
         * @param gradient dL/dθ, same length; read only
         * @throws IllegalArgumentException if a length differs
         */
        default void step(double[] theta, double[] gradient) {
            step(theta, gradient, 1.0);
        }

        /**
         * One update with the learning rate multiplied by {@code learningRateScale} (what a learning-rate schedule
         * such as {@link LearningRateSchedule#cosine} sets per iteration).
         *
         * @throws IllegalArgumentException if a length differs or the scale is negative or not finite
         */
        void step(double[] theta, double[] gradient, double learningRateScale);

        /** The number of steps taken so far. */
        long steps();

        /** The parameter count this state was created for. */
        int parameterCount();
    }

    /** Shared argument check of {@link State#step}. */
    static void checkStep(int parameterCount, double[] theta, double[] gradient, double scale) {
        if (!(scale >= 0.0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("learningRateScale must be finite and >= 0, got " + scale);
        }
        if (theta == null || theta.length != parameterCount) {
            throw new IllegalArgumentException("theta.length must be " + parameterCount + ", got "
                    + (theta == null ? "null" : theta.length));
        }
        if (gradient == null || gradient.length != parameterCount) {
            throw new IllegalArgumentException("gradient.length must be " + parameterCount + ", got "
                    + (gradient == null ? "null" : gradient.length));
        }
    }

    /** Shared check of a parameter count. */
    static void checkCount(int parameterCount) {
        if (parameterCount < 0) {
            throw new IllegalArgumentException("parameterCount must be >= 0, got " + parameterCount);
        }
    }
}
