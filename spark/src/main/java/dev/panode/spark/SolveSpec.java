package dev.panode.spark;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.solvers.Methods;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The solver and gradient choices as they travel to the executors: the method by its {@link Methods} name, the
 * tolerances or a fixed step count, the step budget and the gradient method by name. The core's
 * {@link SolveOptions}, methods and gradient methods are not {@link Serializable}; each task rebuilds them from this
 * spec (a few small objects per partition).
 *
 * @param method   a Runge–Kutta method name of {@link Methods#rungeKuttaNames()}, e.g. {@code "dopri5"}
 * @param steps    equal steps over the time grid's span (fixed-step control), or 0 for adaptive steps
 * @param rtol     relative tolerance of adaptive steps
 * @param atol     absolute tolerance of adaptive steps
 * @param maxSteps the step budget of one solve (a row that exceeds it reports {@code MAX_STEPS_REACHED})
 * @param gradient {@code backprop}, {@code adjoint}, {@code adjoint-seminorm}, {@code interpolating} or
 *                 {@code interpolating-seminorm} (only read by gradients)
 */
public record SolveSpec(String method, int steps, double rtol, double atol, long maxSteps, String gradient)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The gradient method names {@link #gradientMethod()} accepts. */
    public static final List<String> GRADIENTS =
            List.of("backprop", "adjoint", "adjoint-seminorm", "interpolating", "interpolating-seminorm");

    /** Checks every choice once, on the driver, so that a typo fails the job before it starts. */
    public SolveSpec {
        if (method == null) throw new IllegalArgumentException("method must be non-null, got null");
        method = method.toLowerCase(Locale.ROOT);
        Methods.rungeKutta(method);
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0 (0: adaptive), got " + steps);
        if (steps == 0 && !Methods.rungeKutta(method).isAdaptive()) {
            throw new IllegalArgumentException("steps must be >= 1 for " + method + ", which has no error estimate; got 0");
        }
        if (!(rtol > 0) || !Double.isFinite(rtol)) throw new IllegalArgumentException("rtol must be > 0, got " + rtol);
        if (!(atol > 0) || !Double.isFinite(atol)) throw new IllegalArgumentException("atol must be > 0, got " + atol);
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        if (gradient == null || !GRADIENTS.contains(gradient.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("gradient must be one of " + GRADIENTS + ", got " + gradient);
        }
        gradient = gradient.toLowerCase(Locale.ROOT);
    }

    /** Adaptive dopri5 with the given tolerances, a budget of 100 000 steps and backprop. */
    public static SolveSpec adaptive(String method, double rtol, double atol) {
        return new SolveSpec(method, 0, rtol, atol, 100_000, "backprop");
    }

    /** {@code steps} equal steps of {@code method}, backprop. */
    public static SolveSpec fixedSteps(String method, int steps) {
        return new SolveSpec(method, steps, 1e-6, 1e-8, 100_000, "backprop");
    }

    /** The same with another gradient method. */
    public SolveSpec withGradient(String name) {
        return new SolveSpec(method, steps, rtol, atol, maxSteps, name);
    }

    /** The Runge–Kutta method. */
    public RungeKutta rungeKutta() {
        return Methods.rungeKutta(method);
    }

    /**
     * The solve options for a grid from {@code t0} to {@code t1}: adaptive with rtol/atol, or {@code steps} equal
     * steps (dt = (t1 − t0)/steps).
     *
     * @param throwOnFailure false for ensembles (a failed row is a result code), true for gradients
     */
    public SolveOptions options(double t0, double t1, boolean throwOnFailure) {
        SolveOptions.Builder b = SolveOptions.builder().maxSteps(maxSteps).throwOnFailure(throwOnFailure);
        if (steps > 0) b.dt(Math.abs(t1 - t0) / steps);
        else b.rtol(rtol).atol(atol);
        return b.build();
    }

    /** The gradient method named by {@link #gradient()}. */
    public GradientMethod gradientMethod() {
        return switch (gradient) {
            case "backprop" -> Backprop.storeAll();
            case "adjoint" -> BacksolveAdjoint.of(AdjointNorm.FULL);
            case "adjoint-seminorm" -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            case "interpolating" -> InterpolatingAdjoint.of(AdjointNorm.FULL);
            case "interpolating-seminorm" -> InterpolatingAdjoint.of(AdjointNorm.SEMINORM);
            default -> throw new IllegalStateException("unreachable: " + gradient);
        };
    }

    /** One line for logs and progress. */
    public String describe() {
        return steps > 0 ? method + " with " + steps + " steps"
                : String.format(Locale.ROOT, "%s (rtol %.0e, atol %.0e)", method, rtol, atol);
    }
}
