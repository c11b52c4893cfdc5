package dev.panode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.GradientResultF32;
import dev.panode.adjoint.gradients.GradientStats;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Mlp;
import dev.panode.io.MlpJson;
import dev.panode.io.Precision;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolverWorkspace;
import java.util.Locale;

/**
 * The JSON interface shared by {@code panode solve}, {@code panode grad} and {@code panode serve}: one place builds
 * each response, so the command line and the HTTP service answer in the same format (docs/DEMO.md, docs/SERVE.md).
 */
public final class JsonInterface {
    private JsonInterface() {}

    /**
     * Solves a problem and returns the response of {@code panode solve}: {@code method}, {@code solver}, {@code t},
     * {@code z} (K × batch × D, t[0] included), {@code stats}, and {@code result} with {@code message} when the solve
     * stopped early (then {@code t} and {@code z} hold the states saved until then).
     *
     * @param maxSteps  the step budget (accepted + rejected steps); a solve that exhausts it is answered with the
     *                  partial solution and result {@code MAX_STEPS_REACHED}
     * @param workspace the calling thread's workspace
     */
    public static ObjectNode solve(ProblemFile p, SolverOptions solver, long maxSteps, SolverWorkspace workspace) {
        return solution(Numerics.solve(p.model(), p.z0(), p.batch(), p.t(), solver, maxSteps, workspace), solver,
                p.batch(), p.model().dim());
    }

    /** The response of {@code panode solve} for a solution (see {@link #solve}). */
    static ObjectNode solution(Solution sol, SolverOptions solver, int batch, int dim) {
        return solution(sol, solver, batch, dim, Precision.FLOAT64);
    }

    /**
     * The response of {@code panode solve} for a solution computed in {@code precision} (a float32 solution is given
     * widened; its values are written as floats), with {@code dtype}.
     */
    static ObjectNode solution(Solution sol, SolverOptions solver, int batch, int dim, Precision precision) {
        boolean f32 = precision == Precision.FLOAT32;
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        root.put("method", Numerics.method(solver.method).name());
        root.put("solver", solver.describe(precision));
        root.put("dtype", precision.jsonName());
        ArrayNode t = root.putArray("t");
        for (int k = 0; k < sol.size(); k++) t.add(sol.time(k));
        ArrayNode z = root.putArray("z");
        for (int k = 0; k < sol.size(); k++) {
            putRows(z.addArray(), sol.state(k), batch, dim, f32);
        }
        ObjectNode stats = root.putObject("stats");
        stats.put("nfe", sol.stats().nfe());
        stats.put("accepted", sol.stats().accepted());
        stats.put("rejected", sol.stats().rejected());
        root.put("result", sol.result().name());
        if (!sol.result().isSuccess()) root.put("message", sol.message());
        return root;
    }

    /**
     * The solve of {@link #solve} without its response: the solution, for {@link #writeSolution}. {@code z0} holds
     * {@code rows} × the model's dim values and {@code t} the save times (checked as {@link ProblemFile#of} checks
     * them); neither is kept after the call.
     */
    public static Solution solveRaw(Mlp model, double[] z0, int rows, double[] t, SolverOptions solver, long maxSteps,
                                    SolverWorkspace workspace) {
        return Numerics.solve(model, z0, rows, t, solver, maxSteps, workspace);
    }

    /** The response's {@code "method"}: the method's name in the catalogue (e.g. {@code DOPRI5}). */
    public static String methodName(SolverOptions solver) {
        return Numerics.method(solver.method).name();
    }

    /** The response's {@code "solver"}: the method and its steps or tolerances (float64). */
    public static String description(SolverOptions solver) {
        return solver.describe();
    }

    /**
     * Writes the response of {@link #solve} (float64) into {@code out}: the same bytes as the tree of
     * {@link #solution(Solution, SolverOptions, int, int)} written by {@link ProblemFile#MAPPER}, without building the
     * tree. {@code method} and {@code solver} are {@link #methodName} and {@link #description} of the options the
     * solution was computed with (a caller that solves often keeps them). Cost: one pass over the saved states.
     */
    public static void writeSolution(Solution sol, String method, String solver, int batch, int dim, JsonOutput out) {
        out.raw('{').name("method").string(method).raw(',').name("solver").string(solver).raw(',').name("dtype")
                .string(Precision.FLOAT64.jsonName()).raw(',').name("t").raw('[');
        for (int k = 0; k < sol.size(); k++) {
            if (k > 0) out.raw(',');
            out.number(sol.time(k));
        }
        out.raw(']').raw(',').name("z").raw('[');
        for (int k = 0; k < sol.size(); k++) {
            if (k > 0) out.raw(',');
            out.raw('[');
            for (int b = 0; b < batch; b++) {
                if (b > 0) out.raw(',');
                out.raw('[');
                for (int i = 0; i < dim; i++) {
                    if (i > 0) out.raw(',');
                    out.number(sol.value(k, b, i));
                }
                out.raw(']');
            }
            out.raw(']');
        }
        out.raw(']').raw(',').name("stats").raw('{').name("nfe").number(sol.stats().nfe()).raw(',').name("accepted")
                .number(sol.stats().accepted()).raw(',').name("rejected").number(sol.stats().rejected()).raw('}')
                .raw(',').name("result").string(sol.result().name());
        if (!sol.result().isSuccess()) out.raw(',').name("message").string(sol.message());
        out.raw('}');
    }

    /** Appends {@code batch} rows of {@code dim} values of {@code flat} to {@code to}, as floats when {@code f32}. */
    private static void putRows(ArrayNode to, double[] flat, int batch, int dim, boolean f32) {
        for (int b = 0; b < batch; b++) {
            ArrayNode row = to.addArray();
            for (int i = 0; i < dim; i++) {
                if (f32) row.add((float) flat[b * dim + i]);
                else row.add(flat[b * dim + i]);
            }
        }
    }

    /** A loss by its command-line name: {@code final} or {@code multi} (reference README definitions). */
    public static Loss loss(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "final" -> Loss.sumOfSquaresAtEnd();
            case "multi" -> Loss.sumOfSquaresAfterStart();
            default -> throw new InvalidFieldException("loss", "loss must be final or multi, got " + name);
        };
    }

    /** Gradients need increasing times: the error names the field {@code t} and the command. */
    public static void requireIncreasingTimes(ProblemFile p, String command) {
        if (!(p.t()[p.t().length - 1] > p.t()[0])) {
            throw new InvalidFieldException("t", command + " needs increasing times t, got t[0] = " + p.t()[0]);
        }
    }

    /**
     * Computes a loss over the problem's solve and its gradients; the response of {@code panode grad}: {@code loss},
     * {@code dL_dz0} (batch × D), {@code dL_dtheta} (the layout of {@code model.layers}), {@code stats} and the
     * choices made. A forward or backward solve that fails (for example by exhausting {@code maxSteps}) throws a
     * {@link dev.panode.solvers.SolveException}; a checkpoint budget too small for even y0 throws a
     * {@link dev.panode.adjoint.CheckpointBudgetExceededException}.
     *
     * @param maxSteps      the step budget of each forward and backward solve
     * @param checkpointing how backprop and the interpolating adjoint keep forward states (a byte budget bounds the
     *                      memory of one request's forward states: off-heap in float64, on the heap in float32)
     */
    public static ObjectNode gradient(ProblemFile p, SolverOptions solver, GradientChoice gradient, String lossName,
                                      long maxSteps, Checkpointing checkpointing) {
        Loss loss = loss(lossName);
        requireIncreasingTimes(p, "grad");
        Precision precision = solver.precision(p.dtype());
        if (precision == Precision.FLOAT32) {
            return gradientF32(p, solver, gradient, lossName, loss, maxSteps, checkpointing);
        }
        GradientResult r = Numerics.gradient(p.model(), p.z0(), p.batch(), p.t(), loss, solver, gradient, maxSteps,
                checkpointing);
        int dim = p.model().dim();
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        root.put("loss", r.loss());
        putRows(root.putArray("dL_dz0"), r.dLdy0(), p.batch(), dim, false);
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
        root.put("dtype", Precision.FLOAT64.jsonName());
        root.put("result", "SUCCESSFUL");
        return root;
    }

    /**
     * {@link #gradient} in float32 ({@code BackpropF32}, {@code BacksolveF32} or {@code InterpolatingF32}), values
     * written as floats.
     */
    private static ObjectNode gradientF32(ProblemFile p, SolverOptions solver, GradientChoice gradient,
                                          String lossName, Loss loss, long maxSteps, Checkpointing checkpointing) {
        GradientResultF32 r = Numerics.gradientF32(p.model(), p.z0(), p.batch(), p.t(), loss, solver, gradient,
                maxSteps, checkpointing);
        int dim = p.model().dim();
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        root.put("loss", r.loss());
        ArrayNode dz0 = root.putArray("dL_dz0");
        double[] dy0 = new double[r.dLdy0().length];
        for (int i = 0; i < dy0.length; i++) dy0[i] = r.dLdy0()[i];
        putRows(dz0, dy0, p.batch(), dim, true);
        double[] dTheta = new double[r.dLdTheta().length];
        for (int i = 0; i < dTheta.length; i++) dTheta[i] = r.dLdTheta()[i];
        root.set("dL_dtheta", MlpJson.toJson(p.model().withParameters(dTheta), Precision.FLOAT32).get("layers"));
        ObjectNode stats = root.putObject("stats");
        stats.put("nfe_forward", r.forwardNfe());
        stats.put("nfe_backward", r.backwardNfe());
        stats.put("forward_steps", r.steps());
        stats.put("backward_steps", r.backwardSteps());
        stats.put("steps_recomputed", r.stepsRecomputed());
        stats.put("checkpoint_bytes", r.checkpointBytes());
        root.put("method", Numerics.method(solver.method).name());
        root.put("solver", solver.describe(Precision.FLOAT32));
        root.put("gradient", gradient.toString());
        root.put("loss_name", lossName.toLowerCase(Locale.ROOT));
        root.put("dtype", Precision.FLOAT32.jsonName());
        root.put("result", "SUCCESSFUL");
        return root;
    }
}
