package dev.panode.solvers;

import java.util.Arrays;

/**
 * What a solve saves: the state at t1 only, at given times, after every accepted step, or densely (every step with
 * its interpolant, so that {@link Solution#evaluate} works anywhere in [t0, t1]).
 *
 * <p>Given times must be strictly monotone in the direction of integration and inside [t0, t1] (checked by the
 * solve); they may include t0 and t1. They never force steps: a time inside a step is interpolated with the method's
 * dense output (dopri5 and tsit5: their native quartics; other Runge–Kutta methods: cubic Hermite). Use
 * {@link SolveOptions.Builder#tstops} to force steps onto times, e.g. at discontinuities.
 *
 * <p>{@link #steps()} and {@link #dense()} store a growing amount of output and so allocate while stepping;
 * {@link #t1()} and {@link #times} allocate their output once, before the first step.
 */
public final class SaveAt {
    /** The kind of save policy. */
    public enum Kind {
        /** The end state only. */
        T1,
        /** The states at given times. */
        TIMES,
        /** The state after every accepted step. */
        STEPS,
        /** Every step with its dense output, to evaluate anywhere in the span. */
        DENSE
    }

    private static final SaveAt T1 = new SaveAt(Kind.T1, null);
    private static final SaveAt STEPS = new SaveAt(Kind.STEPS, null);
    private static final SaveAt DENSE = new SaveAt(Kind.DENSE, null);

    private final Kind kind;
    private final double[] times;

    private SaveAt(Kind kind, double[] times) {
        this.kind = kind;
        this.times = times;
    }

    /** Save only the state at t1 (the default). */
    public static SaveAt t1() {
        return T1;
    }

    /** Save t0 and the state after every accepted step. */
    public static SaveAt steps() {
        return STEPS;
    }

    /** Save every step with its interpolant; see {@link Solution#evaluate}. Runge–Kutta methods only. */
    public static SaveAt dense() {
        return DENSE;
    }

    /**
     * Save at the given times, strictly increasing (forward solve) or strictly decreasing (backward solve).
     *
     * @throws IllegalArgumentException if a time is not finite, or the times are empty or not strictly monotone
     */
    public static SaveAt times(double... times) {
        if (times == null || times.length == 0)
            throw new IllegalArgumentException("INVALID_ARGUMENT: times must be non-empty, got "
                    + (times == null ? null : "[]"));
        for (int i = 0; i < times.length; i++)
            if (!Double.isFinite(times[i]))
                throw new IllegalArgumentException("INVALID_ARGUMENT: times[" + i + "] must be finite, got " + times[i]);
        if (times.length > 1) {
            double dir = Math.signum(times[1] - times[0]);
            for (int i = 1; i < times.length; i++)
                if (dir == 0 || Math.signum(times[i] - times[i - 1]) != dir)
                    throw new IllegalArgumentException("INVALID_ARGUMENT: times must be strictly monotone; times["
                            + (i - 1) + "] = " + times[i - 1] + ", times[" + i + "] = " + times[i]);
        }
        return new SaveAt(Kind.TIMES, times.clone());
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** A copy of the requested times ({@link Kind#TIMES} only), otherwise an empty array. */
    public double[] times() {
        return times == null ? new double[0] : times.clone();
    }

    /** The requested times themselves ({@link Kind#TIMES} only, else null): read-only. */
    double[] timesView() {
        return times;
    }

    int timeCount() {
        return times == null ? 0 : times.length;
    }

    double time(int i) {
        return times[i];
    }

    @Override
    public String toString() {
        return kind == Kind.TIMES ? "SaveAt.times" + Arrays.toString(times) : "SaveAt." + kind.name().toLowerCase();
    }
}
