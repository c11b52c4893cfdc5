package dev.panode.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.CheckpointBudgetExceededException;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.cli.InvalidFieldException;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.JsonOutput;
import dev.panode.cli.ProblemFile;
import dev.panode.solvers.Result;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolverWorkspace;
import java.util.List;

/**
 * The work of the solve and gradient endpoints, run on the worker threads (and small solves on the HTTP threads):
 * each thread keeps its own {@link SolverWorkspace} in a {@link ThreadLocal}, so there are at most as many workspaces
 * as workers plus HTTP threads, and repeated solves reuse their buffers. Every result feeds the NFE and result
 * counters.
 */
final class Computations {
    private static final ThreadLocal<SolverWorkspace> WORKSPACE = ThreadLocal.withInitial(SolverWorkspace::new);

    /** Largest body of a request that may run on the HTTP thread that read it. */
    static final int INLINE_MAX_BODY_BYTES = 16 << 10;
    /** Largest rows × widest layer of a solve run on the HTTP thread (a batch of 16 through 50-wide layers: 800). */
    static final int INLINE_MAX_ROWS_WIDTH = 1024;
    /** Step budget of a solve on the HTTP thread (a 2 → 50 → 50 → 2 dopri5 solve over [0, 1] takes about 10). */
    static final long INLINE_STEPS = 64;

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
        return record(JsonInterface.solve(p.problem(), p.solver(), p.maxSteps(), WORKSPACE.get()));
    }

    private ObjectNode record(ObjectNode out) {
        metrics.nfe(out.get("stats").get("nfe").asLong(), 0);
        Result result = Result.valueOf(out.get("result").asText());
        metrics.result(result);
        if (result == Result.MAX_STEPS_REACHED) metrics.error(ApiError.Kind.STEP_BUDGET);
        return out;
    }

    /**
     * A solve request read and answered without a JSON tree ({@link StreamingSolve}): {@code inline} on the HTTP
     * thread (within its limits, else {@link StreamingSolve.Outcome#TOO_LARGE}), or in full on a worker. On
     * {@link StreamingSolve.Outcome#ANSWERED} the response is in {@code out} and the counters are updated.
     */
    StreamingSolve.Outcome solveStreaming(byte[] body, int length, boolean inline, ModelRegistry models,
                                          JsonOutput out) {
        return StreamingSolve.get().solve(body, length, inline, models, config, metrics, WORKSPACE.get(), out);
    }

    /**
     * A solve small enough for the HTTP thread: at most {@value #INLINE_MAX_ROWS_WIDTH} rows × widest layer and
     * {@value #INLINE_STEPS} steps, so it holds that thread for at most about a millisecond. Returns null, recording
     * nothing, when the problem is larger or the solve needs more steps than that (and the request allows more): the
     * caller then runs it again on the pool with {@link #solve}, wasting at most this bounded attempt.
     */
    ObjectNode solveInline(Requests.Problem p) {
        ProblemFile f = p.problem();
        if ((long) f.batch() * f.model().architecture().maxWidth() > INLINE_MAX_ROWS_WIDTH) return null;
        long budget = Math.min(INLINE_STEPS, p.maxSteps());
        ObjectNode out = JsonInterface.solve(f, p.solver(), budget, WORKSPACE.get());
        if (budget < p.maxSteps() && out.get("result").asText().equals(Result.MAX_STEPS_REACHED.name())) return null;
        record(out);
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
            metrics.result(Result.SUCCESSFUL);
            return out;
        } catch (SolveException e) {
            metrics.result(e.result());
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
