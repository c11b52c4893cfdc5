package dev.panode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.Checkpointing;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panode grad --problem FILE}: loss, dL/dz0 and dL/dθ (reference layout) and the statistics, as JSON. */
@Command(name = "grad", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compute a loss over a problem file's neural ODE solve and its gradients.",
            "",
            "Losses (as in the reference data): final = sum over batch and components of z(t[-1])^2;"
                    + " multi = the same summed over every save time but t[0].",
            "Output (JSON): {\"loss\", \"dL_dz0\" (batch x D), \"dL_dtheta\" ([{\"W\": out x in, \"b\": out}, ...],"
                    + " the layout of model.layers), \"stats\" (nfe_forward, nfe_backward, ...)}.",
            "",
            "--dtype float32 (or \"dtype\": \"float32\" in the problem or model) differentiates the single-precision"
                    + " solve (any --gradient; the interpolating ones need dopri5, tsit5 or bosh3) at torchdiffeq's float32"
                    + " tolerances unless --rtol/--atol say otherwise."})
final class GradCommand extends ProblemCommand {
    @Option(names = "--gradient", paramLabel = "NAME", defaultValue = "backprop",
            description = "backprop, adjoint, adjoint-seminorm, interpolating, interpolating-seminorm "
                    + "(default: ${DEFAULT-VALUE})")
    String gradient = "backprop";

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "final",
            description = "final or multi (default: ${DEFAULT-VALUE})")
    String loss = "final";

    @Override
    public Integer call() throws Exception {
        ProblemFile p = problem.read();
        ObjectNode root = JsonInterface.gradient(p, solver, GradientChoice.parse(gradient), loss,
                Numerics.options(solver, Numerics.method(solver.method)).maxSteps(), Checkpointing.all());
        PrintWriter out = spec.commandLine().getOut();
        out.println(JsonWarmUp.indented(root));
        out.flush();
        return 0;
    }
}
