package dev.panode.cli;

/**
 * One of the demo's periodic tests, in two steps: the trained parameters captured (on the training thread), then the
 * model they define measured (on one thread at a time, which may be another). {@link PeriodicEvaluation} is the demo's.
 */
interface PeriodicTest {
    /** Copies {@code parameters} (the model being trained, now) into the test's own buffer. */
    void capture(double[] parameters);

    /** The mean absolute error of the captured model's trajectories; NaN when its solve fails. */
    double meanAbsoluteError();
}
