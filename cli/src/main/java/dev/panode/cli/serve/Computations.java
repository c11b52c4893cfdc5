package dev.panode.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.CheckpointBudgetExceededException;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.cli.InvalidFieldException;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.ProblemFile;
import dev.panode.solvers.Result;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolverWorkspace;
import java.util.List;

/**
 * The work of the solve and gradient endpoints, run on the worker threads: each worker keeps its own
 * {@link SolverWorkspace} (a {@link ThreadLocal} of the fixed pool, so there are exactly as many workspaces as
 * workers), and every result feeds the NFE and result counters.
 */
final class Computations {
    private static final ThreadLocal<SolverWorkspace> WORKSPACE = ThreadLocal.withInitial(SolverWorkspace::new);

    private final ServeConfig config;
    private final ServeMetrics metrics;

    Computations(ServeConfig config, ServeMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * One solve: the response of {@code panode solve}. A solve that exhausts its step budget (or fails while
     * stepping) is still answered 200, with its partial solution and the result code.
     */
    ObjectNode solve(Requests.Problem p) {
        ObjectNode out = JsonInterface.solve(p.problem(), p.solver(), p.maxSteps(), WORKSPACE.get());
        metrics.nfe(out.get("stats").get("nfe").asLong(), 0);
        String result = out.get("result").asText();
        metrics.result(result);
        if (result.equals(Result.MAX_STEPS_REACHED.name())) metrics.error(ApiError.Kind.STEP_BUDGET);
        return out;
    }

    /**
     * One gradient: the response of {@code panode grad}. There is no partial gradient, so a solve that fails is an
     * {@link ApiError} carrying the result code ({@code step_budget} when the budget ran out).
     */
    ObjectNode gradient(Requests.Problem p) {
        try {
            ObjectNode out = JsonInterface.gradient(p.problem(), p.solver(), p.gradient(), p.loss(), p.maxSteps(),
                    Checkpointing.budget(config.checkpointBytes()));
            JsonNode stats = out.get("stats");
            metrics.nfe(stats.get("nfe_forward").asLong(), stats.get("nfe_backward").asLong());
            metrics.result(Result.SUCCESSFUL.name());
            return out;
        } catch (SolveException e) {
            metrics.result(e.result().name());
            boolean budget = e.result() == Result.MAX_STEPS_REACHED;
            throw new ApiError(budget ? ApiError.Kind.STEP_BUDGET : ApiError.Kind.SOLVE_FAILED,
                    budget ? "max_steps" : null, e.getMessage(), e.result().name());
        } catch (CheckpointBudgetExceededException e) {
            throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, "z0", e.getMessage() + " (--checkpoint-bytes)");
        } catch (InvalidFieldException e) {
            throw Requests.invalid(e.field(), e.getMessage());
        }
    }

    /**
     * A batch: {@code {"results": [response, ...]}} in the order of the problems. A problem that fails alone is
     * answered in its slot as {@code {"error": {...}}}; the others are unaffected.
     */
    ObjectNode batch(List<Requests.Problem> problems, boolean grad) {
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        ArrayNode results = root.putArray("results");
        for (int i = 0; i < problems.size(); i++) {
            Requests.Problem p = problems.get(i);
            try {
                results.add(grad ? gradient(p) : solve(p));
            } catch (ApiError e) {
                metrics.error(e.kind);
                results.addObject().set("error", Exchange.errorBody(e.scoped("problems[" + i + "]")));
            }
        }
        return root;
    }
}
