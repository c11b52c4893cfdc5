package dev.panode.spark.cli;

import dev.panode.spark.SolveSpec;
import picocli.CommandLine.Option;

/** The solver options shared by the Spark commands, spelt as in {@code panode solve}. */
final class SolveChoices {
    @Option(names = "--method", paramLabel = "NAME", defaultValue = "dopri5",
            description = "Runge–Kutta method: dopri5, tsit5, bosh3, dop853, rk4, ... (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "0",
            description = "Equal steps over the time grid (default: adaptive steps)")
    int steps;

    @Option(names = "--rtol", defaultValue = "1e-6", description = "Relative tolerance (default: ${DEFAULT-VALUE})")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-8", description = "Absolute tolerance (default: ${DEFAULT-VALUE})")
    double atol;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "100000",
            description = "Step budget per solve; a row beyond it reports MAX_STEPS_REACHED (default: ${DEFAULT-VALUE})")
    long maxSteps;

    SolveSpec spec(String gradient) {
        return new SolveSpec(method, steps, rtol, atol, maxSteps, gradient);
    }
}
