package dev.panode.solvers;

/**
 * The mutable per-solve side of an {@link OdeMethod}: its buffers (stages, history) and the steps themselves. Created
 * by {@link OdeMethod#newStepper}, driven by the solver in this order:
 *
 * <pre>
 * start(t0, y0, rows)                                   once per solve; evaluates f(t0, y0) (see derivative())
 * repeat:
 *     attempt(t, h, y, yOut, errOut)                     candidate step from (t, y)
 *     if accepted: [interpolate(θ, ...)]* ; accept()     yOut becomes the next y
 * </pre>
 *
 * <p>Every call returns the number of field evaluations it made so the solver can count NFE. After warm-up nothing
 * here may allocate. A stepper is not thread-safe. Between attempt and accept the stepper is also the
 * {@link StepView} handed to observers.
 */
public interface Stepper extends StepView {
    /** True when this stepper was made for exactly this method and field and has room for {@code rows × dim}. */
    boolean fits(OdeMethod method, VectorField field, int rows, int dim);

    /** Begins a solve at (t0, y0) with {@code rows} samples: resets history and evaluates f(t0, y0). Returns the NFE. */
    int start(double t0, double[] y0, int rows);

    /** f(t, y) at the current point; valid right after {@link #start}, used by the initial-step heuristic. */
    double[] derivative();

    /** One evaluation of the field through this stepper's field workspace: {@code out = f(t, y)}. */
    void evaluate(double t, double[] y, double[] out);

    /**
     * How many leading components of a state the initial-step heuristic must form and evaluate: those the field reads
     * and those the error norm measures ({@link VectorField#componentsRead}, {@link ErrorNorm#componentsMeasured}),
     * valid after {@link #start}; {@link Integer#MAX_VALUE} (all) by default.
     */
    default int probeComponents() {
        return Integer.MAX_VALUE;
    }

    /**
     * {@link #evaluate} of which the caller reads only the first {@code leading} components of {@code out}, at least
     * {@link #probeComponents}; the others may be left stale. The default evaluates them all.
     */
    default void evaluateLeading(double t, double[] y, double[] out, int leading) {
        evaluate(t, y, out);
    }

    /**
     * The workspace this stepper evaluates its field with, for the solver's {@link FieldWorkspace#holdParameters()
     * hold} around a solve; {@link FieldWorkspace#NONE} (no hold) by default.
     */
    default FieldWorkspace fieldWorkspace() {
        return FieldWorkspace.NONE;
    }

    /**
     * Attempts a step of signed size h from (t, y), where y is the state given to {@link #start} or the {@code yOut} of
     * the last accepted attempt. {@code tEnd} is where the step ends: {@code t + h}, or exactly the time it lands on
     * (t1 or a tstop), and is the time of the derivative at the end of the step. Writes the candidate state to
     * {@code yOut} and, for adaptive methods, the local error estimate to {@code errOut} (ignored when null).
     * Returns the NFE.
     */
    int attempt(double t, double h, double tEnd, double[] y, double[] yOut, double[] errOut);

    /**
     * Dense output inside the last attempt, after it was accepted and before {@link #accept()}: writes
     * y(t + θh), θ ∈ [0, 1], to {@code out[outOff .. outOff + rows·dim)}. Returns the NFE (e.g. one for a Hermite
     * interpolant that needs f at the end of the step, which the next step then reuses).
     */
    int interpolate(double theta, double[] out, int outOff);

    /**
     * After the last attempt was accepted and before {@link #accept()}: makes {@link #stages()} hold everything the
     * method's {@link OdeMethod#interpolant()} reads for that step (e.g. f at the step's end and extra stages), so
     * that the step can be kept for dense output. Returns the NFE; 0 by default (nothing beyond the stages).
     */
    default int completeStages() {
        return 0;
    }

    /**
     * The scaled error of the last attempt, the quantity the controller compares with 1: {@code norm} of its error
     * estimate {@code err} (by default), or a method's own combination of several estimates (dop853's
     * {@link RungeKutta#combinedError}). The arguments are those of {@link ErrorNorm#measure}.
     */
    default double errorRatio(ErrorNorm norm, double[] err, double[] y, double[] yNew, int rows, int dim, double atol,
                              double rtol, double[] atolVec, double[] rtolVec) {
        return norm.measure(err, y, yNew, rows, dim, atol, rtol, atolVec, rtolVec);
    }

    /** Accepts the last attempt: the next attempt starts from its {@code yOut} at its {@code tEnd}. */
    void accept();

    /**
     * Hands the solve's error norm and tolerances to the stepper before {@link #start}; implicit methods measure their
     * Newton iterations with them. Explicit methods ignore them (the default). The arrays are the solver's expanded
     * per-component tolerances ({@code rows·dim} long) or null when both are scalar.
     */
    default void useTolerances(ErrorNorm norm, double atol, double rtol, double[] atolVec, double[] rtolVec) {
    }

    /** Jacobian evaluations since {@link #start} ({@link Stats#jacobians()}); 0 for explicit methods. */
    default long jacobianEvaluations() {
        return 0;
    }

    /** LU factorisations of the iteration matrix since {@link #start} ({@link Stats#factorisations()}). */
    default long factorisations() {
        return 0;
    }
}
