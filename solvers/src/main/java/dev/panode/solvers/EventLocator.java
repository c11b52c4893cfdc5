package dev.panode.solvers;

/**
 * The observer behind {@link Events}: watches the sign of every condition at the ends of each accepted step, locates
 * the earliest qualifying root inside the step on the stepper's dense output (Illinois regula falsi on θ ∈ [0, 1]),
 * and ends the solve by throwing {@link Stop}. One per solve; allocates only at construction and at the event.
 */
final class EventLocator implements StepObserver {
    /**
     * Ends the solve at an event: the solver catches it, saves what lies at or before the event time and appends the
     * event state (see {@link Solver}). No stack trace.
     */
    static final class Stop extends RuntimeException {
        final double time;
        final double[] state;

        Stop(double time, double[] state) {
            super("event", null, false, false);
            this.time = time;
            this.state = state;
        }
    }

    private static final int MAX_ITERATIONS = 200;

    private final Event event;
    private final int count;
    private final double[] gBefore, gAfter;
    private final StepObserver next;
    private double[] buffer = new double[0];
    private long accepted;
    private int condition = -1;
    private double time = Double.NaN;
    private double[] state;

    EventLocator(Event event, double t0, double[] y0, double dir, StepObserver next) {
        this.event = event;
        this.count = event.conditions().size();
        this.gBefore = new double[count];
        this.gAfter = new double[count];
        this.next = next;
        for (int k = 0; k < count; k++) gBefore[k] = event.conditions().get(k).value(t0, y0);
    }

    @Override
    public void onAcceptedStep(StepView step) {
        accepted++;
        double t = step.t(), tEnd = step.tEnd();
        double[] yAfter = step.yAfter();
        int best = -1;
        double bestTheta = Double.POSITIVE_INFINITY;
        for (int k = 0; k < count; k++) {
            gAfter[k] = event.conditions().get(k).value(tEnd, yAfter);
            if (event.directions().get(k).accepts(gBefore[k], gAfter[k])) {
                double theta = locate(step, k, gBefore[k], gAfter[k]);
                if (theta < bestTheta) {
                    bestTheta = theta;
                    best = k;
                }
            }
        }
        if (best >= 0) {
            condition = best;
            time = bestTheta == 1.0 ? tEnd : t + bestTheta * (tEnd - t);
            int n = step.rows() * step.dim();
            state = new double[n];
            if (bestTheta == 1.0) System.arraycopy(yAfter, 0, state, 0, n);
            else ((Stepper) step).interpolate(bestTheta, state, 0);
            throw new Stop(time, state);
        }
        System.arraycopy(gAfter, 0, gBefore, 0, count);
        if (next != null) next.onAcceptedStep(step);
    }

    /** The θ ∈ (0, 1] of condition k's root inside the step, to the event's tolerance in t. */
    private double locate(StepView step, int k, double g0, double g1) {
        if (g1 == 0.0) return 1.0;
        double span = Math.abs(step.tEnd() - step.t());
        double tolTheta = event.tolerance() / span;
        double a = 0.0, b = 1.0, ga = g0, gb = g1;
        int side = 0;
        for (int it = 0; it < MAX_ITERATIONS && (b - a) > tolTheta; it++) {
            double c = (a * gb - b * ga) / (gb - ga);
            if (!(c > a && c < b)) c = 0.5 * (a + b);
            double gc = valueAt(step, k, c);
            if (gc == 0.0) return c;
            if ((gc < 0) == (ga < 0)) {
                a = c;
                ga = gc;
                if (side == -1) gb *= 0.5; // Illinois: halve the stale end's value
                side = -1;
            } else {
                b = c;
                gb = gc;
                if (side == 1) ga *= 0.5;
                side = 1;
            }
        }
        return b; // the end at or past the root, so that g has crossed at the reported time
    }

    private double valueAt(StepView step, int k, double theta) {
        int n = step.rows() * step.dim();
        if (buffer.length < n) buffer = new double[n];
        ((Stepper) step).interpolate(theta, buffer, 0);
        return event.conditions().get(k).value(step.t() + theta * (step.tEnd() - step.t()), buffer);
    }

    int condition() {
        return condition;
    }

    double time() {
        return time;
    }

    double[] state() {
        return state;
    }

    long accepted() {
        return accepted;
    }
}
