package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.solvers.ConstantStep;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A gradient self-check: every applicable gradient method against central finite differences of the loss along random
 * directions of θ and of y0, and against each other, with a verdict. It is how a user trusts a hand-written field or
 * layer VJP before training with it (a wrong VJP shows as errors of order 1).
 *
 * <pre>{@code
 * GradientCheck.Report r = GradientCheck.run(GradientCheck.Problem.of(OdeProblem.batch(field, y0, rows, 0.0, 0.5, 1.0),
 *         Loss.sumOfSquaresAtEnd(), RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-6).atol(1e-8).build()));
 * System.out.print(r.table());
 * if (!r.passed()) ...
 * }</pre>
 *
 * <p><b>Finite differences.</b> Along a Rademacher direction u (entries ±1, seeded) of θ or of y0, the derivative of
 * the loss is {@code D₁ = (L(v + hu) − L(v − hu)) / 2h}; {@code D₂} is the same with 2h. The loss is solved with the
 * problem's method at tolerances a thousand times tighter than the problem's (at least 1e-12 relative, 1e-14
 * absolute), or, with fixed steps, with the problem's own steps (then the loss is the smooth function the methods
 * differentiate). With ε the relative accuracy of that loss (its relative tolerance, or 1e-13 with fixed steps), the
 * step is {@code h = ε^{1/3}·max(rms(v), 0.1)}, which balances truncation (O(h²)) against the solve's noise (O(ε/h)),
 * and the finite difference's own error is estimated as {@code e_fd = |D₁ − D₂|/3 + 2ε·|L|/h}.
 *
 * <p><b>Expected accuracy.</b> A method's gradient g is compared through {@code g·u}: its error is
 * {@code |g·u − D₁| / max(|D₁|, |g·u|, ‖g‖)} (‖g‖ is the typical size of g·u for a Rademacher u, so a direction
 * nearly orthogonal to g does not inflate the error). It passes when that is at most
 * {@code τ + e_fd / max(…)}, where τ is what the method can promise against the exact gradient:
 * <ul>
 *   <li>adaptive steps: {@code τ = 100·max(rtol, atol)} for every method (backprop differentiates the solver's steps,
 *       the adjoints solve the adjoint equation to the same tolerances; global errors are typically a few to tens
 *       of times the local tolerance);</li>
 *   <li>fixed steps: backprop is the exact derivative of the same discrete solve the finite differences see,
 *       {@code τ = 1e-6}; the adjoints approximate the continuous gradient, {@code τ = 1e-6 + 100·δ} with δ the
 *       relative change of the loss when the steps are halved (the discretisation error).</li>
 * </ul>
 * Two methods agree when {@code ‖g_a − g_b‖ / max(‖g_a‖, ‖g_b‖) ≤ τ_a + τ_b} over θ and y0 together.
 *
 * <p>Cost: one gradient per method plus {@code 4·directions} loss solves for θ and as many for y0 (at the tighter
 * tolerances), plus two for δ with fixed steps. The field's parameters are perturbed in place during the check and
 * restored afterwards (also when a solve throws): no other thread may use the field meanwhile.
 */
public final class GradientCheck {
    /** Random directions along θ and along y0 by default. */
    public static final int DEFAULT_DIRECTIONS = 3;
    /** The safety factor between a solve's tolerance and the accuracy a method promises. */
    public static final double TOLERANCE_FACTOR = 100.0;
    /** What backprop promises with fixed steps, and the floor of every promise with fixed steps. */
    public static final double FIXED_STEP_FLOOR = 1e-6;
    private static final double FIXED_STEP_LOSS_ACCURACY = 1e-13;

    private GradientCheck() {}

    /**
     * What is differentiated: the loss over a solve of {@code field} from {@code y0}, as {@link Gradients#compute}
     * takes it.
     *
     * @param field   the field (its parameters are perturbed and restored during the check)
     * @param y0      initial states, {@code rows × dim}
     * @param rows    samples, ≥ 1
     * @param times   observation times t_0 &lt; … &lt; t_N
     * @param loss    the loss
     * @param method  the forward method
     * @param options the solve options (tolerances or fixed steps)
     */
    public record Problem(DifferentiableField field, double[] y0, int rows, double[] times, Loss loss, OdeMethod method,
                          SolveOptions options) {
        /**
         * @throws IllegalArgumentException on an argument {@link Gradients#compute} would reject (null, rows below 1,
         *                                  y0 of the wrong length or not finite, times not increasing)
         */
        public Problem {
            Gradients.validate(field, y0, rows, times, loss, method, options, BacksolveAdjoint.of(AdjointNorm.FULL),
                    false);
            y0 = y0.clone();
            times = times.clone();
        }

        /** The problem of an {@link OdeProblem}: its field, y0, rows and time grid (the loss sees every time). */
        public static Problem of(OdeProblem<? extends DifferentiableField> problem, Loss loss, OdeMethod method,
                                 SolveOptions options) {
            if (problem == null) throw new IllegalArgumentException("problem must be non-null");
            return new Problem(problem.field(), problem.y0(), problem.rows(), problem.times(), loss, method, options);
        }

        boolean fixedSteps() {
            return !method.isAdaptive() || !options.controller().isAdaptive();
        }
    }

    /**
     * One method's outcome.
     *
     * @param name        the method as the command line names it (backprop, adjoint, adjoint-seminorm, …)
     * @param method      the method
     * @param thetaError  the largest relative error of g·u against finite differences over the θ directions
     * @param y0Error     the same over the y0 directions
     * @param expected    τ, the accuracy the method promises
     * @param bound       τ plus the largest finite-difference error estimate (relative), the printed bound
     * @param passed      whether every direction was within its bound
     * @param failure     the message when the method could not run (null otherwise)
     * @param gradient    dL/dθ and dL/dy0, null when the method failed
     */
    public record MethodResult(String name, GradientMethod method, double thetaError, double y0Error, double expected,
                               double bound, boolean passed, String failure, GradientResult gradient) {
    }

    /**
     * Two methods compared.
     *
     * @param first      a method's name
     * @param second     the other's
     * @param difference {@code ‖g_a − g_b‖ / max(‖g_a‖, ‖g_b‖)} over θ and y0 together
     * @param bound      {@code τ_a + τ_b}
     * @param passed     whether the difference is within the bound
     */
    public record Agreement(String first, String second, double difference, double bound, boolean passed) {
    }

    /**
     * The outcome of a check.
     *
     * @param description   the solve, the directions and the finite-difference steps, in words
     * @param methods       one result per method
     * @param agreements    every pair of methods that ran
     * @param directions    random directions along θ and along y0
     */
    public record Report(String description, List<MethodResult> methods, List<Agreement> agreements, int directions) {
        /** Whether every method agreed with the finite differences and with every other method. */
        public boolean passed() {
            return methods.stream().allMatch(MethodResult::passed) && agreements.stream().allMatch(Agreement::passed);
        }

        /** The report as a text table with a verdict line. */
        public String table() {
            StringBuilder b = new StringBuilder(description).append('\n');
            b.append(String.format(Locale.ROOT, "%-24s %12s %12s %12s  %s%n", "method", "error dL/dθ", "error dL/dy0",
                    "bound", "verdict"));
            for (MethodResult m : methods) {
                if (m.failure() != null) {
                    b.append(String.format(Locale.ROOT, "%-24s %12s %12s %12s  FAIL (%s)%n", m.name(), "-", "-", "-",
                            m.failure()));
                } else {
                    b.append(String.format(Locale.ROOT, "%-24s %12.2e %12.2e %12.2e  %s%n", m.name(), m.thetaError(),
                            m.y0Error(), m.bound(), m.passed() ? "ok" : "FAIL"));
                }
            }
            if (!agreements.isEmpty()) {
                b.append(String.format(Locale.ROOT, "%-48s %12s %12s  %s%n", "methods against each other",
                        "difference", "bound", "verdict"));
                for (Agreement a : agreements) {
                    b.append(String.format(Locale.ROOT, "%-48s %12.2e %12.2e  %s%n", a.first() + " vs " + a.second(),
                            a.difference(), a.bound(), a.passed() ? "ok" : "FAIL"));
                }
            }
            b.append(passed() ? "verdict: PASS (every method agrees with finite differences and with the others)"
                    : "verdict: FAIL (" + failedNames() + " beyond the expected accuracy)").append('\n');
            return b.toString();
        }

        private String failedNames() {
            List<String> names = new ArrayList<>();
            for (MethodResult m : methods) if (!m.passed()) names.add(m.name());
            for (Agreement a : agreements) if (!a.passed()) names.add(a.first() + " vs " + a.second());
            return String.join(", ", names);
        }
    }

    /**
     * The gradient methods that apply to {@code method}: backprop, the backsolve adjoint with the full norm and with
     * the seminorm, and the interpolating adjoint; backprop and the interpolating adjoint only for a
     * {@link RungeKutta} method.
     */
    public static List<GradientMethod> applicableMethods(OdeMethod method) {
        List<GradientMethod> list = new ArrayList<>();
        if (method instanceof RungeKutta) list.add(Backprop.storeAll());
        list.add(BacksolveAdjoint.of(AdjointNorm.FULL));
        list.add(BacksolveAdjoint.of(AdjointNorm.SEMINORM));
        if (method instanceof RungeKutta) list.add(InterpolatingAdjoint.of(AdjointNorm.FULL));
        return list;
    }

    /**
     * The command-line name of a method: backprop, adjoint, adjoint-seminorm, interpolating, interpolating-seminorm,
     * multistep-backprop.
     */
    public static String name(GradientMethod m) {
        return switch (m) {
            case Backprop b -> "backprop";
            case BacksolveAdjoint a -> a.norm() == AdjointNorm.SEMINORM ? "adjoint-seminorm" : "adjoint";
            case InterpolatingAdjoint i -> i.norm() == AdjointNorm.SEMINORM ? "interpolating-seminorm" : "interpolating";
            case MultistepBackprop mb -> "multistep-backprop";
        };
    }

    /** Checks every {@link #applicableMethods applicable method} (or the given ones) along 3 directions, seed 1. */
    public static Report run(Problem problem, GradientMethod... methods) {
        List<GradientMethod> list = methods.length == 0 ? applicableMethods(problem.method()) : List.of(methods);
        return run(problem, list, DEFAULT_DIRECTIONS, 1L);
    }

    /**
     * Checks {@code methods} along {@code directions} random directions of θ and of y0 drawn from {@code seed}.
     *
     * @throws IllegalArgumentException on an empty method list, directions below 1, or a problem
     *                                  {@link Gradients#compute} rejects
     * @throws dev.panode.solvers.SolveException when a finite-difference solve fails
     */
    public static Report run(Problem problem, List<GradientMethod> methods, int directions, long seed) {
        if (methods == null || methods.isEmpty()) throw new IllegalArgumentException("methods must name at least one method");
        if (directions < 1) throw new IllegalArgumentException("directions must be >= 1, got " + directions);
        DifferentiableField field = problem.field();
        double[] theta = field.parameters();
        double[] saved = theta.clone();
        try {
            return check(problem, methods, directions, seed);
        } finally {
            System.arraycopy(saved, 0, theta, 0, theta.length);
        }
    }

    private static Report check(Problem problem, List<GradientMethod> methods, int directions, long seed) {
        boolean fixed = problem.fixedSteps();
        SolveOptions o = problem.options();
        SolveOptions fdOptions = fixed ? o : o.toBuilder()
                .rtol(Math.max(maxTolerance(o.rtol(), o.rtolPerComponent()) * 1e-3, 1e-12))
                .atol(Math.max(maxTolerance(o.atol(), o.atolPerComponent()) * 1e-3, 1e-14)).build();
        double eps = fixed ? FIXED_STEP_LOSS_ACCURACY : fdOptions.rtol();
        double loss0 = loss(problem, problem.y0(), fdOptions);

        double expectedAdjoint;
        double expectedBackprop;
        String accuracy;
        if (fixed) {
            double delta = Math.abs(loss0 - loss(problem, problem.y0(), halved(o))) / Math.max(Math.abs(loss0), 1e-300);
            expectedBackprop = FIXED_STEP_FLOOR;
            expectedAdjoint = FIXED_STEP_FLOOR + TOLERANCE_FACTOR * delta;
            accuracy = String.format(Locale.ROOT, "fixed steps: discretisation error of the loss %.1e (steps halved)", delta);
        } else {
            double tol = Math.max(maxTolerance(o.rtol(), o.rtolPerComponent()), maxTolerance(o.atol(), o.atolPerComponent()));
            expectedBackprop = TOLERANCE_FACTOR * tol;
            expectedAdjoint = expectedBackprop;
            accuracy = String.format(Locale.ROOT, "adaptive steps: expected accuracy %.0f × max(rtol, atol) = %.1e",
                    TOLERANCE_FACTOR, expectedAdjoint);
        }

        SplitMix64 rng = new SplitMix64(seed);
        double[] theta = problem.field().parameters();
        int p = theta.length;
        int n = problem.y0().length;
        double hTheta = Math.cbrt(eps) * Math.max(rms(theta), 0.1);
        double hY0 = Math.cbrt(eps) * Math.max(rms(problem.y0()), 0.1);
        List<Direction> thetaDirs = new ArrayList<>();
        List<Direction> y0Dirs = new ArrayList<>();
        for (int k = 0; k < directions; k++) {
            if (p > 0) thetaDirs.add(thetaDirection(problem, rademacher(rng, p), hTheta, eps, fdOptions));
            y0Dirs.add(y0Direction(problem, rademacher(rng, n), hY0, eps, fdOptions));
        }

        List<MethodResult> results = new ArrayList<>();
        for (GradientMethod m : methods) {
            double expected = m instanceof Backprop || m instanceof MultistepBackprop ? expectedBackprop : expectedAdjoint;
            GradientResult g;
            try {
                g = Gradients.compute(problem.field(), problem.y0(), problem.rows(), problem.times(), problem.loss(),
                        problem.method(), o, m);
            } catch (RuntimeException e) {
                results.add(new MethodResult(name(m), m, Double.NaN, Double.NaN, expected, Double.NaN, false,
                        e.getClass().getSimpleName() + ": " + e.getMessage(), null));
                continue;
            }
            double[] worst = {0, 0, 0};
            boolean passed = score(g.dLdTheta(), thetaDirs, expected, worst, 0);
            passed &= score(g.dLdy0(), y0Dirs, expected, worst, 1);
            results.add(new MethodResult(name(m), m, worst[0], worst[1], expected, expected + worst[2], passed, null, g));
        }

        List<Agreement> agreements = new ArrayList<>();
        for (int a = 0; a < results.size(); a++) {
            for (int b = a + 1; b < results.size(); b++) {
                MethodResult ra = results.get(a);
                MethodResult rb = results.get(b);
                if (ra.gradient() == null || rb.gradient() == null) continue;
                double d = difference(ra.gradient(), rb.gradient());
                double bound = ra.expected() + rb.expected();
                agreements.add(new Agreement(ra.name(), rb.name(), d, bound, d <= bound));
            }
        }
        String description = String.format(Locale.ROOT,
                "gradient check: %s, %s; %d random directions along θ (%d parameters) and y0 (%d values)%n"
                        + "finite differences: central, h_θ = %.1e, h_y0 = %.1e, loss solved %s%n%s",
                problem.method().name(), fixed ? "fixed steps" : String.format(Locale.ROOT, "rtol %.0e, atol %.0e",
                        o.rtol(), o.atol()), directions, p, n, hTheta, hY0,
                fixed ? "with the same steps" : String.format(Locale.ROOT, "at rtol %.0e, atol %.0e", fdOptions.rtol(),
                        fdOptions.atol()), accuracy);
        return new Report(description, List.copyOf(results), List.copyOf(agreements), directions);
    }

    /** A direction u, the finite-difference derivative D₁ along it and its estimated error. */
    private record Direction(double[] u, double derivative, double error) {
    }

    private static Direction thetaDirection(Problem problem, double[] u, double h, double eps, SolveOptions fd) {
        double[] theta = problem.field().parameters();
        double[] base = theta.clone();
        double[] l = new double[4];
        double[] steps = {h, -h, 2 * h, -2 * h};
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < theta.length; i++) theta[i] = base[i] + steps[k] * u[i];
            l[k] = loss(problem, problem.y0(), fd);
        }
        System.arraycopy(base, 0, theta, 0, theta.length);
        return direction(u, l, h, eps);
    }

    private static Direction y0Direction(Problem problem, double[] u, double h, double eps, SolveOptions fd) {
        double[] y0 = problem.y0();
        double[] y = new double[y0.length];
        double[] l = new double[4];
        double[] steps = {h, -h, 2 * h, -2 * h};
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < y.length; i++) y[i] = y0[i] + steps[k] * u[i];
            l[k] = loss(problem, y, fd);
        }
        return direction(u, l, h, eps);
    }

    private static Direction direction(double[] u, double[] l, double h, double eps) {
        double d1 = (l[0] - l[1]) / (2 * h);
        double d2 = (l[2] - l[3]) / (4 * h);
        double magnitude = Math.max(Math.max(Math.abs(l[0]), Math.abs(l[1])), Math.max(Math.abs(l[2]), Math.abs(l[3])));
        return new Direction(u, d1, Math.abs(d1 - d2) / 3 + 2 * eps * magnitude / h);
    }

    /** Scores g along each direction; records the worst error and the worst relative FD error in worst[slot], worst[2]. */
    private static boolean score(double[] g, List<Direction> dirs, double expected, double[] worst, int slot) {
        boolean passed = true;
        double norm = norm(g);
        for (Direction d : dirs) {
            double a = dot(g, d.u());
            double scale = Math.max(Math.max(Math.abs(d.derivative()), Math.abs(a)), norm);
            double err = scale == 0 ? 0.0 : Math.abs(a - d.derivative()) / scale;
            double fdRelative = scale == 0 ? 0.0 : d.error() / scale;
            worst[slot] = Math.max(worst[slot], err);
            worst[2] = Math.max(worst[2], fdRelative);
            passed &= err <= expected + fdRelative;
        }
        return passed;
    }

    private static double difference(GradientResult a, GradientResult b) {
        double diff = 0.0;
        double na = 0.0;
        double nb = 0.0;
        double[][] pairs = {a.dLdTheta(), b.dLdTheta(), a.dLdy0(), b.dLdy0()};
        for (int k = 0; k < 4; k += 2) {
            for (int i = 0; i < pairs[k].length; i++) {
                double x = pairs[k][i];
                double y = pairs[k + 1][i];
                diff += (x - y) * (x - y);
                na += x * x;
                nb += y * y;
            }
        }
        double scale = Math.sqrt(Math.max(na, nb));
        return scale == 0 ? 0.0 : Math.sqrt(diff) / scale;
    }

    /** The loss of a forward solve from {@code y0} with {@code options} (saving at the observation times). */
    private static double loss(Problem p, double[] y0, SolveOptions options) {
        double[] t = p.times();
        int n = y0.length;
        int dim = n / p.rows();
        SolveOptions o = options.toBuilder().saveAt(SaveAt.times(Arrays.copyOfRange(t, 1, t.length)))
                .throwOnFailure(true).build();
        Solution sol = Solver.solve(p.field(), y0, p.rows(), t[0], t[t.length - 1], p.method(), o);
        double[][] states = new double[t.length][n];
        System.arraycopy(y0, 0, states[0], 0, n);
        for (int i = 1; i < t.length; i++) sol.state(i - 1, states[i]);
        return p.loss().evaluate(t.clone(), states, p.rows(), dim, new double[t.length][n]);
    }

    /** The same solve with the fixed steps halved. */
    private static SolveOptions halved(SolveOptions o) {
        if (o.controller() instanceof ConstantStep c) {
            ConstantStep finer = c.steps() != 0 ? ConstantStep.steps(2 * c.steps()) : ConstantStep.of(c.dt() / 2);
            return o.toBuilder().controller(finer).build();
        }
        return o; // a fixed-step method under an adaptive controller: its own steps cannot be halved from here
    }

    private static double maxTolerance(double scalar, double[] perComponent) {
        if (perComponent == null) return scalar;
        double m = 0.0;
        for (double v : perComponent) m = Math.max(m, v);
        return m;
    }

    private static double[] rademacher(SplitMix64 rng, int n) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = (rng.nextLong() & 1L) == 0 ? 1.0 : -1.0;
        return u;
    }

    private static double rms(double[] v) {
        return v.length == 0 ? 0.0 : norm(v) / Math.sqrt(v.length);
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
