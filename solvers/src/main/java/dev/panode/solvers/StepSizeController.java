package dev.panode.solvers;

/**
 * Chooses step sizes: {@link ConstantStep} (fixed grid), {@link IController} (torchdiffeq's integral controller) or
 * {@link PidController} (diffrax's PID controller, Söderlind). Controllers are immutable and thread-safe; the little
 * history a PID controller needs lives in the solve's workspace and is handed to {@link #factor}.
 */
public sealed interface StepSizeController permits ConstantStep, IController, PidController {

    /** True for controllers that adapt h from an error estimate (the method must then have one). */
    boolean isAdaptive();

    /**
     * The step magnitude of a controller that does not adapt, for the interval [t0, t1]; NaN for an adaptive one
     * (the solver then picks the first step).
     */
    default double fixedStep(double t0, double t1) {
        return Double.NaN;
    }

    /**
     * The factor by which to multiply the step just attempted, given its scaled error {@code ratio}.
     *
     * @param ratio    the scaled error norm of the attempt; NaN or infinite for a non-finite attempt
     * @param accepted whether the attempt was accepted ({@code ratio ≤ 1})
     * @param q        the exponent order: {@code errorOrder + 1} of the method (5 for dopri5 and tsit5, 3 for bosh3)
     * @param history  controller memory of length {@link #HISTORY_LENGTH}, initialised by {@link #resetHistory}
     */
    double factor(double ratio, boolean accepted, int q, double[] history);

    /** Resets the controller memory at the start of a solve. */
    default void resetHistory(double[] history) {
        java.util.Arrays.fill(history, 1.0);
    }

    /** The length of the history array every controller accepts. */
    int HISTORY_LENGTH = 2;
}
