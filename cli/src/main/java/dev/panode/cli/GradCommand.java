package dev.panode.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.GradientStats;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.io.MlpJson;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panode grad --problem FILE}: loss, dL/dz0 and dL/dθ (reference layout) and the statistics, as JSON. */
@Command(name = "grad", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compute a loss over a problem file's neural ODE solve and its gradients.",
            "",
            "Losses (as in the reference data): final = sum over batch and components of z(t[-1])^2;"
                    + " multi = the same summed over every save time but t[0].",
            "Output (JSON): {\"loss\", \"dL_dz0\" (batch x D), \"dL_dtheta\" ([{\"W\": out x in, \"b\": out}, ...],"
                    + " the layout of model.layers), \"stats\" (nfe_forward, nfe_backward, ...)}."})
final class GradCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProblemOptions problem = new ProblemOptions();

    @Mixin
    SolverOptions solver = new SolverOptions();

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
        ObjectNode root = compute(p, solver, GradientChoice.parse(gradient), loss);
        PrintWriter out = spec.commandLine().getOut();
        out.println(ProblemFile.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
        out.flush();
        return 0;
    }

    /** The reference data's losses by name: {@code final} or {@code multi}. */
    static Loss loss(String lossName) {
        return switch (lossName.toLowerCase(Locale.ROOT)) {
            case "final" -> Loss.sumOfSquaresAtEnd();
            case "multi" -> Loss.sumOfSquaresAfterStart();
            default -> throw new IllegalArgumentException("--loss must be final or multi, was " + lossName);
        };
    }

    /** Gradients need increasing save times. */
    static void requireIncreasingTimes(ProblemFile p, String command) {
        if (!(p.t()[p.t().length - 1] > p.t()[0])) {
            throw new IllegalArgumentException(command + " needs increasing times t, got t[0] = " + p.t()[0]);
        }
    }

    static ObjectNode compute(ProblemFile p, SolverOptions solver, GradientChoice gradient, String lossName) {
        Loss loss = loss(lossName);
        requireIncreasingTimes(p, "grad");
        GradientResult r = Numerics.gradient(p.model(), p.z0(), p.batch(), p.t(), loss, solver, gradient);
        int dim = p.model().dim();
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        root.put("loss", r.loss());
        ArrayNode dz0 = root.putArray("dL_dz0");
        for (int b = 0; b < p.batch(); b++) {
            ArrayNode row = dz0.addArray();
            for (int i = 0; i < dim; i++) row.add(r.dLdy0()[b * dim + i]);
        }
        root.set("dL_dtheta", MlpJson.toJson(p.model().withParameters(r.dLdTheta())).get("layers"));
        GradientStats s = r.stats();
        ObjectNode stats = root.putObject("stats");
        stats.put("nfe_forward", s.forwardNfe());
        stats.put("nfe_backward", s.backwardNfe());
        stats.put("forward_steps", s.forwardSteps());
        stats.put("backward_steps", s.backwardSteps());
        stats.put("steps_recomputed", s.stepsRecomputed());
        stats.put("checkpoint_bytes", s.checkpointBytes());
        root.put("method", Numerics.method(solver.method).name());
        root.put("solver", solver.describe());
        root.put("gradient", gradient.toString());
        root.put("loss_name", lossName.toLowerCase(Locale.ROOT));
        return root;
    }
}
