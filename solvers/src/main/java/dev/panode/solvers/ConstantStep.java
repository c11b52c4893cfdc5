package dev.panode.solvers;

/**
 * A fixed step: either a step size {@code dt} (the last step before t1 or a tstop is shortened to land on it) or a
 * number of equal steps over [t0, t1]. Used with fixed-step methods (euler ... rk4) or to run an embedded pair
 * without error control.
 *
 * <p>Grid points are {@code anchor + m·h} (not a running sum), so a grid of n steps ends on t1 up to rounding and
 * the solver then lands exactly on t1.
 *
 * @param dt    the step size magnitude, or NaN when {@code steps} is used
 * @param steps the number of equal steps over [t0, t1], or 0 when {@code dt} is used
 */
public record ConstantStep(double dt, int steps) implements StepSizeController {

    /** Checks that exactly one of {@code dt} (finite, &gt; 0) and {@code steps} (≥ 1) is given. */
    public ConstantStep {
        boolean byDt = !Double.isNaN(dt);
        if (!byDt && steps < 1)
            throw new IllegalArgumentException("INVALID_ARGUMENT: steps must be >= 1, got " + steps);
        if (byDt && steps != 0)
            throw new IllegalArgumentException("INVALID_ARGUMENT: give exactly one of dt (got " + dt + ") and steps (got "
                    + steps + ")");
        if (byDt && !(dt > 0 && Double.isFinite(dt)))
            throw new IllegalArgumentException("INVALID_ARGUMENT: dt must be finite and > 0, got " + dt);
    }

    /** Steps of size {@code dt} (its sign is taken from the direction of integration). */
    public static ConstantStep of(double dt) {
        return new ConstantStep(dt, 0);
    }

    /** {@code n} equal steps over [t0, t1]. */
    public static ConstantStep steps(int n) {
        return new ConstantStep(Double.NaN, n);
    }

    /** The step magnitude for the interval [t0, t1]. */
    public double stepFor(double t0, double t1) {
        return steps != 0 ? Math.abs(t1 - t0) / steps : dt;
    }

    /** {@link #stepFor}. */
    @Override
    public double fixedStep(double t0, double t1) {
        return stepFor(t0, t1);
    }

    @Override
    public boolean isAdaptive() {
        return false;
    }

    @Override
    public double factor(double ratio, boolean accepted, int q, double[] history) {
        return 1.0;
    }
}
