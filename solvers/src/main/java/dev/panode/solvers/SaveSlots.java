package dev.panode.solvers;

import java.util.Arrays;

/**
 * The saved states of one solve and the rules that fill them, shared by the double solve loop ({@link Solver.Run})
 * and the float one ({@link RunF32}): {@link SaveAt#t1()} stores y(t1), {@link SaveAt#times} every requested time
 * reached, {@link SaveAt#steps()} (and dense output) every accepted step and then y(t1). A time at a step's end is
 * copied; one inside the step is interpolated by the caller's dense output ({@link Interpolation}), never stepped
 * onto. The states array is a {@code double[]} or a {@code float[]} of {@code capacity × n} elements (states are moved
 * by {@link System#arraycopy}, which takes either), grown by doubling for the open-ended policies.
 *
 * <p>Cost per accepted step: the comparisons of its end with the next save times, and per save one copy or one
 * interpolation of n elements. Nothing is allocated unless a {@code STEPS} or {@code DENSE} solve outgrows its arrays.
 */
final class SaveSlots {
    /** The precision-specific step of saving: the interpolant of the step just accepted. */
    interface Interpolation {
        /**
         * Writes y(t + θ·h) of the step just accepted into {@code states} (the {@code double[]} or {@code float[]} of
         * the slots) from {@code offset}.
         *
         * @return the field evaluations it cost
         */
        long interpolate(double theta, Object states, int offset);
    }

    private SaveAt saveAt;
    private double t0, t1, dir;
    private int n;
    private double[] times;
    private Object states;
    private int count;
    /** For {@link SaveAt#times}: the index of the next requested time not yet saved. */
    private int next;

    /**
     * Starts a solve: the given arrays, or new ones sized for the policy (1 for t1, the number of times, 64 steps to
     * start with) when null; {@code doubles} chooses the states' type for new arrays.
     */
    void reset(SaveAt saveAt, double t0, double t1, int n, double[] times, Object states, boolean doubles) {
        this.saveAt = saveAt;
        this.t0 = t0;
        this.t1 = t1;
        this.dir = t1 > t0 ? 1.0 : -1.0;
        this.n = n;
        int cap = switch (saveAt.kind()) {
            case T1 -> 1;
            case TIMES -> saveAt.timeCount();
            case STEPS, DENSE -> 64;
        };
        this.times = times != null ? times : new double[cap];
        this.states = states != null ? states : doubles ? new double[cap * n] : new float[cap * n];
        this.count = 0;
        this.next = 0;
    }

    /** Drops the references to the caller's objects. */
    void release() {
        saveAt = null;
        states = null;
    }

    double[] times() {
        return times;
    }

    Object states() {
        return states;
    }

    int count() {
        return count;
    }

    /** Saves the initial state where the policy asks for it (every-step policies, a first requested time at t0). */
    void start(Object y) {
        switch (saveAt.kind()) {
            case STEPS, DENSE -> append(t0, y);
            case TIMES -> {
                if (saveAt.time(0) == t0) {
                    System.arraycopy(y, 0, states, 0, n);
                    times[0] = t0;
                    count = 1;
                    next = 1;
                }
            }
            case T1 -> { }
        }
    }

    /**
     * The saves that fall in the step from t to tNew just accepted (yNew its end state).
     *
     * @return the field evaluations the interpolations cost
     */
    long inStep(double t, double hStep, double tNew, Object yNew, Interpolation ip) {
        return switch (saveAt.kind()) {
            case T1 -> dir * (tNew - t1) >= 0 ? store(0, t1, t, hStep, tNew, yNew, ip) : 0;
            case TIMES -> timesUpTo(tNew, yNew, t, hStep, tNew, yNew, ip);
            case STEPS, DENSE -> {
                if (dir * (tNew - t1) < 0) {
                    append(tNew, yNew);
                    yield 0;
                }
                ensureCapacity(count + 1);
                yield store(count, t1, t, hStep, tNew, yNew, ip);
            }
        };
    }

    /**
     * For {@link SaveAt#times}: every requested time up to {@code until} inside the step from t to tNew just accepted
     * — a time equal to {@code until} is the state {@code atUntil} (the step's end, or a terminating event's state),
     * the others are interpolated.
     *
     * @return the field evaluations the interpolations cost
     */
    long timesUpTo(double until, Object atUntil, double t, double hStep, double tNew, Object yNew, Interpolation ip) {
        long nfe = 0;
        int k = saveAt.timeCount();
        while (next < k && dir * (saveAt.time(next) - until) <= 0) {
            double ts = saveAt.time(next);
            if (ts == until) {
                times[next] = ts;
                System.arraycopy(atUntil, 0, states, next * n, n);
                count = next + 1;
            } else {
                nfe += store(next, ts, t, hStep, tNew, yNew, ip);
            }
            next++;
        }
        return nfe;
    }

    /** Whether the last saved time is {@code ts}. */
    boolean lastSavedAt(double ts) {
        return count > 0 && times[count - 1] == ts;
    }

    /** Saves y(ts) into slot i: the step end itself, or the interpolant inside the step. */
    private long store(int i, double ts, double t, double hStep, double tNew, Object yNew, Interpolation ip) {
        times[i] = ts;
        long nfe = 0;
        if (ts == tNew) System.arraycopy(yNew, 0, states, i * n, n);
        else nfe = ip.interpolate((ts - t) / hStep, states, i * n);
        count = i + 1;
        return nfe;
    }

    /** Appends (t, y) after the last save, growing the arrays when full. */
    void append(double t, Object y) {
        ensureCapacity(count + 1);
        times[count] = t;
        System.arraycopy(y, 0, states, count * n, n);
        count++;
    }

    private void ensureCapacity(int size) {
        if (size <= times.length) return;
        int cap = Math.max(size, 2 * times.length);
        times = Arrays.copyOf(times, cap);
        states = states instanceof double[] d ? Arrays.copyOf(d, cap * n) : Arrays.copyOf((float[]) states, cap * n);
    }
}
