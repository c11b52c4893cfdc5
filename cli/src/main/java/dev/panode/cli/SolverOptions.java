package dev.panode.cli;

import dev.panode.io.Precision;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The solver options shared by {@code demo}, {@code solve}, {@code grad} and the requests of {@code serve}. */
public final class SolverOptions {
    @Option(names = "--method", paramLabel = "NAME",
            description = "Runge–Kutta method: rk4 (classic), rk4-38 (Kutta's 3/8 rule, torchdiffeq's \"rk4\"), "
                    + "euler, midpoint, heun, bosh3, dopri5, tsit5, dop853 (default: ${DEFAULT-VALUE})",
            defaultValue = "dopri5")
    String method = "dopri5";

    @Option(names = "--steps", paramLabel = "N",
            description = "Equal steps over [t0, t_end] for a fixed-step method (default: adaptive steps for "
                    + "embedded methods; 100 for fixed-step ones)")
    Integer steps;

    @Option(names = "--rtol", description = "Relative tolerance of adaptive methods (default: 1e-6 in float64, "
            + "1e-4 in float32)")
    Double rtol;

    @Option(names = "--atol", description = "Absolute tolerance of adaptive methods (default: 1e-8 in float64, "
            + "1e-6 in float32)")
    Double atol;

    @Option(names = "--dtype", paramLabel = "TYPE", description = "float64 or float32: the precision of the solve "
            + "(default: the problem's or the model's \"dtype\", else float64)")
    String dtype;

    @Option(names = "--max-steps", paramLabel = "N",
            description = "Most steps (accepted and rejected) of one solve before it fails with MAX_STEPS_REACHED "
                    + "(default: the library's, ${DEFAULT-VALUE})", defaultValue = "100000")
    long maxSteps = 100_000;

    SolverOptions() {}

    /**
     * @param method a method name as {@link Numerics#method} reads it
     * @param steps  equal steps over the span, or null for adaptive steps (100 for a fixed-step method)
     * @param rtol   relative tolerance of adaptive methods
     * @param atol   absolute tolerance of adaptive methods
     */
    public SolverOptions(String method, Integer steps, double rtol, double atol) {
        this.method = method;
        this.steps = steps;
        this.rtol = rtol;
        this.atol = atol;
    }

    /** The precision to compute in: {@code --dtype} when given, else the one the files declare. */
    Precision precision(Precision declared) {
        return dtype != null ? Precision.parse("--dtype", dtype) : declared;
    }

    /** The relative tolerance: {@code --rtol}, or the default of the precision (1e-6, or torchdiffeq's float32 1e-4). */
    double rtol(Precision p) {
        return rtol != null ? rtol : p == Precision.FLOAT32 ? 1e-4 : 1e-6;
    }

    /** The absolute tolerance: {@code --atol}, or the default of the precision (1e-8, or 1e-6 in float32). */
    double atol(Precision p) {
        return atol != null ? atol : p == Precision.FLOAT32 ? 1e-6 : 1e-8;
    }

    /** The method name as the solvers module spells it. */
    String methodName() {
        return method.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-').replace('/', '-');
    }

    String describe() {
        return describe(Precision.FLOAT64);
    }

    String describe(Precision p) {
        return steps != null ? method + " with " + steps + " steps"
                : String.format(Locale.ROOT, "%s (rtol %.0e, atol %.0e)", method, rtol(p), atol(p));
    }
}
