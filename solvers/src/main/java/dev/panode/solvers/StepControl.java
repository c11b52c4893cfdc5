package dev.panode.solvers;

/**
 * Step-size control of one trajectory (one row of a batch, or a whole batch sharing one step): the one place that
 * decides where the next step ends, whether an attempt is accepted, how large the next step is and why a solve stops.
 * {@link Solver}, {@link PerSampleRun} (one instance per sample) and {@link MultistepSolver} all step through it.
 *
 * <pre>
 * configure(controller, errorOrder, options); start(t0, t1, h0, tstops)
 * while (running()):
 *     if (!propose()) break                 the step from t() to tNew(), of size hStep(); or a failure
 *     attempt the step, measure its scaled error ratio (NaN when non-finite, 0 for a fixed step)
 *     if (decide(ratio)) save the step      accept iff ratio ≤ 1; next h from the controller, clipped
 * result(), message()
 * </pre>
 *
 * <p>The rules (Hairer, Nørsett &amp; Wanner I §II.4 for the adaptive part): a fixed step walks the grid
 * {@code anchor + m·h} and lands exactly on t1 and on tstops (re-anchoring there); an adaptive step is shortened to
 * land exactly on tstops and, in the default convention, on t1 (torchdiffeq's convention steps past t1 and
 * interpolates back, {@link TorchdiffeqConventions}); the next magnitude is {@code |hStep|·factor} from the
 * {@link StepSizeController}, at most dtMax and at least dtMin (a rejection that would need less than dtMin fails);
 * a non-finite attempt is rejected and cut, and {@link #MAX_NONFINITE_REJECTIONS} cuts in a row fail. Failure codes:
 * {@link Result#MAX_STEPS_REACHED}, {@link Result#DT_MIN_REACHED}, {@link Result#NONFINITE_STATE}.
 *
 * <p>Allocation: none, except the message of a failure. Not thread-safe; reusable across solves.
 */
final class StepControl {
    /** Consecutive non-finite rejections before giving up: h has shrunk by dfactor^40 (1e-28 for 0.2). */
    static final int MAX_NONFINITE_REJECTIONS = 40;

    private static final double[] NO_STOPS = new double[0];
    private static final StepSizeController UNIFORM = ConstantStep.steps(1);

    // configuration
    private StepSizeController controller;
    private boolean adaptive;
    private int q;
    private double dtMin, dtMax;
    private long maxSteps;
    /** Adaptive steps may end beyond t1 (torchdiffeq); tstops are still landed on. */
    private boolean stepPast;
    /** After a step shortened to land, keep the proposal it replaced unless the controller asks for more. */
    private boolean keepProposalAfterLanding;
    private final double[] history = new double[StepSizeController.HISTORY_LENGTH];

    // the trajectory
    private double t0, t1, dir, t, h, anchor;
    private double[] tstops = NO_STOPS;
    private int stopIdx, nonFiniteRun;
    private long gridIndex, accepted, rejected;
    private Result result;
    private String message;

    // the attempt
    private double hStep, tNew;
    private boolean landed, onStop;

    /**
     * Sets the rules for the next trajectories.
     *
     * @param controller the step-size controller
     * @param errorOrder the method's {@link OdeMethod#errorOrder()} (the controller's exponent is errorOrder + 1)
     * @param options    step bounds, maxSteps and the convention; its tstops are given to {@link #start}
     * @return this
     */
    StepControl configure(StepSizeController controller, int errorOrder, SolveOptions options) {
        return configure(controller, errorOrder + 1, options.dtMin(), options.dtMax(), options.maxSteps(),
                TorchdiffeqConventions.stepsPastEnd(options), !TorchdiffeqConventions.keepsShortenedStep(options));
    }

    /** Fixed steps on a uniform grid, no step limit: {@link MultistepSolver}'s stepping. */
    StepControl configureUniform() {
        return configure(UNIFORM, 1, 0.0, Double.POSITIVE_INFINITY, Long.MAX_VALUE, false, true);
    }

    private StepControl configure(StepSizeController controller, int q, double dtMin, double dtMax, long maxSteps,
                                  boolean stepPast, boolean keepProposalAfterLanding) {
        this.controller = controller;
        this.adaptive = controller.isAdaptive();
        this.q = q;
        this.dtMin = dtMin;
        this.dtMax = dtMax;
        this.maxSteps = maxSteps;
        this.stepPast = stepPast && adaptive;
        this.keepProposalAfterLanding = keepProposalAfterLanding;
        this.accepted = 0;
        this.rejected = 0;
        this.result = null;
        this.message = null;
        return this;
    }

    /**
     * Begins a trajectory at t0 towards t1 (t1 ≠ t0, both finite).
     *
     * @param h0     the first step magnitude: the controller's {@link StepSizeController#fixedStep} for a fixed step;
     *               for an adaptive one dt0 or the initial-step heuristic's, clipped here to [dtMin, dtMax]
     * @param tstops the times to land on, monotone in the direction of integration (those at or before t0 are
     *               skipped); not copied
     */
    void start(double t0, double t1, double h0, double[] tstops) {
        this.t0 = t0;
        this.t1 = t1;
        this.dir = t1 > t0 ? 1.0 : -1.0;
        this.t = t0;
        this.anchor = t0;
        this.h = dir * (adaptive ? Math.min(dtMax, Math.max(dtMin, h0)) : h0);
        this.tstops = tstops;
        int i = 0;
        while (i < tstops.length && dir * (tstops[i] - t0) <= 0) i++;
        this.stopIdx = i;
        this.nonFiniteRun = 0;
        this.gridIndex = 0;
        this.accepted = 0;
        this.rejected = 0;
        this.result = null;
        this.message = null;
        controller.resetHistory(history);
    }

    /** Whether the trajectory still has to step: it has not reached t1 and has not failed. */
    boolean running() {
        return result == null && dir * (t1 - t) > 0;
    }

    /**
     * Chooses the next attempt: from {@link #t()} to {@link #tNew()} with the signed size {@link #hStep()}. Returns
     * false, with the {@link #result()} set, when maxSteps is reached or the step no longer changes t.
     */
    boolean propose() {
        if (accepted + rejected >= maxSteps) return failMaxSteps();
        boolean hasStop = stopIdx < tstops.length;
        double limit = hasStop ? tstops[stopIdx] : t1;
        landed = false;
        if (!adaptive) {
            double grid = anchor + (gridIndex + 1) * h;
            if (dir * (grid - limit) >= -1e-10 * Math.abs(h)) {
                tNew = limit;
                landed = true;
            } else {
                tNew = grid;
            }
            hStep = tNew - t;
        } else if ((hasStop || !stepPast) && dir * (t + h - limit) >= 0) {
            tNew = limit;
            hStep = limit - t;
            landed = true;
        } else {
            hStep = h;
            tNew = t + h;
        }
        onStop = landed && hasStop;
        if (tNew == t || hStep == 0.0) return failStalled();
        return true;
    }

    /**
     * Decides the attempt just made from its scaled error {@code ratio} (NaN or infinite when the attempt is
     * non-finite; 0 or NaN for a fixed step): accepted iff ratio ≤ 1. On acceptance t moves to {@link #tNew()}; then
     * the next step size is chosen. A failure (see the class comment) sets {@link #result()} and stops the trajectory.
     *
     * @return whether the attempt was accepted
     */
    boolean decide(double ratio) {
        boolean accept = ratio <= 1.0;
        if (!adaptive) {
            if (!accept) return failNonFiniteFixed();
            accepted++;
            advance();
            if (landed) {
                anchor = tNew;
                gridIndex = 0;
            } else {
                gridIndex++;
            }
            return true;
        }
        if (accept) {
            accepted++;
            nonFiniteRun = 0;
            advance();
        } else {
            rejected++;
            if (Double.isNaN(ratio)) nonFiniteRun++;
        }
        double hNew = hStep * controller.factor(ratio, accept, q, history);
        // A step shortened to land on a tstop says little about the next one: keep the proposal it replaced unless
        // the controller now asks for more (torchdiffeq keeps the shortened one).
        if (accept && landed && keepProposalAfterLanding) hNew = dir * Math.max(Math.abs(hNew), Math.abs(h));
        double mag = Math.min(dtMax, Math.abs(hNew));
        if (mag < dtMin) {
            if (!accept) return failBelowDtMin(mag);
            mag = dtMin;
        }
        if (nonFiniteRun >= MAX_NONFINITE_REJECTIONS) return failNonFiniteAdaptive();
        h = dir * mag;
        return accept;
    }

    private void advance() {
        t = tNew;
        if (onStop && tNew == tstops[stopIdx]) stopIdx++;
    }

    // ---------------------------------------------------------------- state

    /** The current time: t0, or the end of the last accepted step. */
    double t() {
        return t;
    }

    /** The magnitude of the next step the controller would try (after the last decision). */
    double proposal() {
        return Math.abs(h);
    }

    /** The signed size of the proposed attempt. */
    double hStep() {
        return hStep;
    }

    /** The end of the proposed attempt: t + hStep, or exactly the time it lands on. */
    double tNew() {
        return tNew;
    }

    /** +1 forwards, −1 backwards. */
    double direction() {
        return dir;
    }

    long accepted() {
        return accepted;
    }

    long rejected() {
        return rejected;
    }

    /** Null while running; {@link Result#SUCCESSFUL} once t1 is reached; the failure code otherwise. */
    Result result() {
        if (result == null && !(dir * (t1 - t) > 0)) return Result.SUCCESSFUL;
        return result;
    }

    /** What went wrong (without the code and hint), or "" on success. */
    String message() {
        return message == null ? "" : message;
    }

    /** Stops the trajectory with a failure found outside the step control (e.g. a non-finite f(t0, y0)). */
    /** Ends the trajectory successfully before t1 (a terminating event). */
    void stop() {
        result = Result.SUCCESSFUL;
        message = "";
    }

    void fail(Result code, String what) {
        result = code;
        message = what;
    }

    /** Drops the references to the caller's objects (controller, tstops) that a reused control must not keep alive. */
    void release() {
        controller = null;
        tstops = NO_STOPS;
    }

    // ---------------------------------------------------------------- failures (kept out of the hot methods)

    private boolean failMaxSteps() {
        fail(Result.MAX_STEPS_REACHED, "reached maxSteps = " + maxSteps + " at t = " + t + " of [" + t0 + ", " + t1
                + "] (accepted " + accepted + ", rejected " + rejected + ")");
        return false;
    }

    private boolean failStalled() {
        if (nonFiniteRun > 0)
            fail(Result.NONFINITE_STATE, "the attempted steps past t = " + t + " stayed non-finite until the step "
                    + "size " + h + " no longer changed t");
        else fail(Result.DT_MIN_REACHED, "the step size " + h + " no longer changes t = " + t);
        return false;
    }

    private boolean failNonFiniteFixed() {
        fail(Result.NONFINITE_STATE, "the state became non-finite in the step from t = " + t + " to " + tNew
                + " (fixed step h = " + hStep + ")");
        return false;
    }

    private boolean failBelowDtMin(double mag) {
        if (nonFiniteRun > 0)
            fail(Result.NONFINITE_STATE, "the state or its error estimate is non-finite at t = " + t + " even with "
                    + "steps down to dtMin = " + dtMin);
        else fail(Result.DT_MIN_REACHED, "at t = " + t + " the controller needs |h| = " + mag + " < dtMin = " + dtMin);
        return false;
    }

    private boolean failNonFiniteAdaptive() {
        fail(Result.NONFINITE_STATE, "the attempted step from t = " + t + " stayed non-finite after " + nonFiniteRun
                + " step-size cuts (last |h| = " + Math.abs(hStep) + ")");
        return false;
    }

    // ---------------------------------------------------------------- the initial step

    /**
     * First guess h0 of the initial-step heuristic (Hairer, Nørsett and Wanner I §II.4; torchdiffeq's
     * {@code _select_initial_step}) from d0 = ‖y0‖ and d1 = ‖f(t0, y0)‖ (scaled norms); f is then evaluated at
     * y0 + h0·f0 to get d2 for {@link #initialStep}.
     */
    static double initialGuess(double d0, double d1) {
        return (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    }

    /** The initial step magnitude from h0, d1 and d2 = ‖f(t0+h0, y1) − f0‖ / h0, for the method's error order. */
    static double initialStep(double h0, double d1, double d2, int errorOrder) {
        int q = errorOrder + 1;
        double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? Math.max(1e-6, h0 * 1e-3)
                : Math.pow(0.01 / Math.max(d1, d2), 1.0 / q);
        double h = Math.min(100 * h0, h1);
        return Double.isFinite(h) && h > 0 ? h : 1e-6;
    }
}
