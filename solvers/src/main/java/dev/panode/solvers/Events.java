package dev.panode.solvers;

/**
 * Solves with terminating events: as {@link Solver#solve}, but stops at the first zero crossing of an {@link Event}'s
 * condition, located on the method's dense output (the stepper's {@link Stepper#interpolate}) by the Illinois variant
 * of regula falsi (Dowell and Jarratt 1971) to the event's tolerance in t. Works with every method that has dense
 * output (Runge–Kutta, multistep, the implicit methods).
 *
 * <p>How: the detection is a {@link StepObserver} chained before the caller's own; after each accepted step it compares
 * g at both ends, and on a crossing it locates the root and ends the solve. The solve up to the event is an ordinary
 * one; the event's state comes from the interpolant of the step that contains it (the interpolation's own
 * evaluations, if the method needs any, are not counted).
 *
 * <p>The trajectory up to the event: {@link EventSolution#solution()} holds what the options' {@link SaveAt} asked for
 * up to t*, then the event point. With {@link SaveAt#times} the requested times ≤ t* (in the direction of
 * integration; those inside the event's step from its interpolant), then (t*, y(t*)) unless t* is itself a requested
 * time; with {@link SaveAt#steps()} every accepted step's end before the event's step, then (t*, y(t*)); with
 * {@link SaveAt#t1()} only (t*, y(t*)). The caller's observer does not see the event's step.
 *
 * <p>Cost: one evaluation of each condition per accepted step, plus about 5–20 interpolations and condition evaluations
 * per located root. When not to use: conditions that are not continuous along the solution.
 *
 * <p>Gradients of a loss of (t*, y(t*)) follow from the implicit-function theorem: with g(t*, y(t*)) = 0,
 * dt* / dp = −(∂g/∂y · ∂y(t*)/∂p)/(∂g/∂t + ∂g/∂y · f), so dL/dp = w · ∂y(t*)/∂p with the cotangent
 * w = ∂L/∂y − ((∂L/∂t + ∂L/∂y · f)/(∂g/∂t + ∂g/∂y · f)) ∂g/∂y, and w · ∂y(t*)/∂p is an ordinary adjoint solve from t*
 * ({@link #eventCotangent}).
 */
public final class Events {
    private Events() {}

    /** Solves until the first event or t1 with a fresh workspace. */
    public static EventSolution solve(VectorField field, double[] y0, int rows, double t0, double t1, OdeMethod method,
                                      SolveOptions options, Event event) {
        return solve(field, y0, rows, t0, t1, method, options, event, new SolverWorkspace());
    }

    /** Solves until the first event or t1, reusing {@code workspace}. Bad arguments: as {@link Solver#solve}. */
    public static EventSolution solve(VectorField field, double[] y0, int rows, double t0, double t1, OdeMethod method,
                                      SolveOptions options, Event event, SolverWorkspace workspace) {
        if (event == null) throw new IllegalArgumentException("INVALID_ARGUMENT: event must be non-null");
        if (options == null) throw new IllegalArgumentException("INVALID_ARGUMENT: options must be non-null");
        if (y0 == null) throw new IllegalArgumentException("INVALID_ARGUMENT: y0 must be non-null");
        EventLocator locator = new EventLocator(event, t0, y0, Math.signum(t1 - t0), options.observer());
        SolveOptions withLocator = options.toBuilder().observer(locator).build();
        Solution s = Solver.solve(field, y0, rows, t0, t1, method, withLocator, workspace);
        if (locator.condition() < 0) return new EventSolution(-1, Double.NaN, null, s.stats().accepted(), s);
        return new EventSolution(locator.condition(), locator.time(), locator.state(), locator.accepted(), s);
    }

    /**
     * The cotangent w of the implicit-function theorem for a loss L(t*, y*) at an event of condition g (see the class
     * comment): {@code w = ∂L/∂y − ((∂L/∂t + ∂L/∂y · f)/(∂g/∂t + ∂g/∂y · f)) ∂g/∂y}, all at (t*, y*). Then
     * dL/dp = w · ∂y(t*)/∂p for p = y0 or the field's parameters, which an adjoint solve from t* with terminal
     * cotangent w gives. Throws when the crossing is tangential (∂g/∂t + ∂g/∂y · f = 0): t* is then not differentiable.
     *
     * @param dLdt ∂L/∂t*
     * @param dLdy ∂L/∂y*, {@code n} values
     * @param dgdt ∂g/∂t at the event
     * @param dgdy ∂g/∂y at the event, {@code n} values
     * @param f    f(t*, y*), {@code n} values
     * @param out  w, {@code n} values
     * @return c = (∂L/∂t + ∂L/∂y · f)/(∂g/∂t + ∂g/∂y · f), the factor removed along ∂g/∂y
     */
    public static double eventCotangent(double dLdt, double[] dLdy, double dgdt, double[] dgdy, double[] f, double[] out) {
        int n = dLdy.length;
        if (dgdy.length != n || f.length != n || out.length != n)
            throw new IllegalArgumentException("dLdy, dgdy, f and out must have the same length, got " + n + ", "
                    + dgdy.length + ", " + f.length + ", " + out.length);
        double lf = dLdt, gf = dgdt;
        for (int i = 0; i < n; i++) {
            lf += dLdy[i] * f[i];
            gf += dgdy[i] * f[i];
        }
        if (gf == 0.0 || !Double.isFinite(gf))
            throw new ArithmeticException("the event is tangential: dg/dt along the solution = " + gf
                    + ", so the event time is not differentiable");
        double c = lf / gf;
        for (int i = 0; i < n; i++) out[i] = dLdy[i] - c * dgdy[i];
        return c;
    }
}
