package dev.panode.solvers;

/**
 * The part of a {@link Stepper} that every method shares: the record of the last attempt (t, h, tEnd, y, yOut) and the
 * batch size, and the {@link StepView} accessors that read them. Subclasses set {@link #rows} in {@code start} and
 * call {@link #recordAttempt} at the end of {@code attempt}.
 */
abstract class AbstractStepper implements Stepper {
    /** The number of samples of the current solve. */
    int rows;
    /** The last attempt: from (t, y) with step h to (tEnd, yOut). */
    double t, h, tEnd;
    double[] y, yOut;

    /** Remembers the attempt just made, for dense output and for {@link StepView}. */
    final void recordAttempt(double t, double h, double tEnd, double[] y, double[] yOut) {
        this.t = t;
        this.h = h;
        this.tEnd = tEnd;
        this.y = y;
        this.yOut = yOut;
    }

    @Override
    public final double t() {
        return t;
    }

    @Override
    public final double h() {
        return h;
    }

    @Override
    public final double tEnd() {
        return tEnd;
    }

    @Override
    public final double[] yBefore() {
        return y;
    }

    @Override
    public final double[] yAfter() {
        return yOut;
    }

    @Override
    public final int rows() {
        return rows;
    }
}
