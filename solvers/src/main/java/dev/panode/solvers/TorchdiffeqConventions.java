package dev.panode.solvers;

/**
 * Where torchdiffeq's conventions differ from panode's defaults, in one place; a solve follows them when
 * {@link SolveOptions#torchdiffeqCompatible()} is on:
 * <ul>
 *   <li><b>method:</b> dopri5 runs with Shampine's embedded weights ({@link RungeKutta#dopri5Torchdiffeq()}), whose
 *       error estimate is 2/3 of Dormand and Prince's; every other method is used as given;</li>
 *   <li><b>landing:</b> an adaptive step is never shortened to land on t1 (the solve steps past t1 and interpolates
 *       back); tstops are still landed on (torchdiffeq's {@code step_t});</li>
 *   <li><b>after landing:</b> the next step grows from the shortened step, not from the proposal it replaced.</li>
 * </ul>
 * With these, the {@link IController#torchdiffeq()} controller and the initial-step heuristic, a solve takes
 * torchdiffeq's steps (same NFE).
 */
public final class TorchdiffeqConventions {
    private TorchdiffeqConventions() {}

    /** The method a solve with {@code options} runs when given {@code method}. */
    public static OdeMethod method(OdeMethod method, SolveOptions options) {
        return method == RungeKutta.dopri5() ? method(RungeKutta.dopri5(), options) : method;
    }

    /** As {@link #method(OdeMethod, SolveOptions)} for a Runge–Kutta method. */
    public static RungeKutta method(RungeKutta method, SolveOptions options) {
        return options.torchdiffeqCompatible() && method == RungeKutta.dopri5() ? RungeKutta.dopri5Torchdiffeq() : method;
    }

    /** Whether adaptive steps may end beyond t1. */
    static boolean stepsPastEnd(SolveOptions options) {
        return options.torchdiffeqCompatible();
    }

    /** Whether the step after one shortened to land starts from the shortened size. */
    static boolean keepsShortenedStep(SolveOptions options) {
        return options.torchdiffeqCompatible();
    }
}
