package dev.panode.cli.serve;

import dev.panode.adjoint.models.Mlp;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.JsonOutput;
import dev.panode.cli.Numerics;
import dev.panode.cli.SolverOptions;
import dev.panode.solvers.Result;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolverWorkspace;

/**
 * The common {@code /v1/solve} request without a JSON tree: the body is read by {@link SolveRequestReader}, checked
 * against the same rules and limits as {@link Requests#problem}, solved, and the response written by
 * {@link JsonInterface#writeSolution} into a reused {@link JsonOutput} — the same bytes as the general path's. A body
 * the reader does not take, or that fails any check, is left to the general path ({@link Outcome#GENERAL}), which
 * answers it or names the error; so every bad-input answer stays the general path's. One per thread: it keeps the
 * reader, the exact-length input arrays and the last options and their descriptions for the next request.
 */
final class StreamingSolve {
    /** What became of a request. */
    enum Outcome {
        /** Solved and written into the output. */
        ANSWERED,
        /** Too large for the HTTP thread (rows × width, or more steps than the inline budget): solve it on the pool. */
        TOO_LARGE,
        /** Not a body this path takes, or a check failed: read it the general way. */
        GENERAL
    }

    private static final ThreadLocal<StreamingSolve> PER_THREAD = ThreadLocal.withInitial(StreamingSolve::new);

    private final SolveRequestReader reader = new SolveRequestReader();
    private double[] z0 = new double[0], t = new double[0];
    private SolverOptions options;
    private String optionsMethod, methodName, description;
    private long optionsSteps;
    private double optionsRtol, optionsAtol;

    static StreamingSolve get() {
        return PER_THREAD.get();
    }

    /**
     * Reads, checks and solves {@code body[0, length)} into {@code out}. {@code inline}: within the HTTP thread's
     * limits ({@link Computations#INLINE_MAX_ROWS_WIDTH}, {@link Computations#INLINE_STEPS}), else
     * {@link Outcome#TOO_LARGE} with nothing recorded.
     */
    Outcome solve(byte[] body, int length, boolean inline, ModelRegistry models, ServeConfig config,
                  ServeMetrics metrics, SolverWorkspace workspace, JsonOutput out) {
        SolveRequestReader r = reader;
        if (!r.read(body, length, config.maxRowsTimesWidth(), config.maxSavePoints())) return Outcome.GENERAL;
        ModelRegistry.Entry entry = models.entry(r.model(body));
        if (entry == null) return Outcome.GENERAL;
        Mlp model = entry.model();
        int rows = r.rows(), dim = model.dim(), width = model.architecture().maxWidth(), points = r.times();
        if (r.rowLength() != dim || (long) rows * width > config.maxRowsTimesWidth() || points < 2
                || points > config.maxSavePoints() || (long) points * rows * dim > config.maxOutputValues()) {
            return Outcome.GENERAL;
        }
        double[] times = r.t();
        double direction = Math.signum(times[points - 1] - times[0]);
        for (int k = 1; k < points; k++) {
            if (direction == 0 || Math.signum(times[k] - times[k - 1]) != direction) return Outcome.GENERAL;
        }
        long steps = r.steps(), maxSteps = r.maxSteps() == 0 ? config.maxSteps() : r.maxSteps();
        double rtol = r.rtol(1e-6), atol = r.atol(1e-8);
        if (steps > config.maxSteps() || maxSteps > config.maxSteps() || !(rtol > 0) || !(atol > 0)) {
            return Outcome.GENERAL;
        }
        String method = r.method(body);
        if (!options(method == null ? "dopri5" : method, steps, rtol, atol)) return Outcome.GENERAL;
        if (inline && (long) rows * width > Computations.INLINE_MAX_ROWS_WIDTH) return Outcome.TOO_LARGE;
        long budget = inline ? Math.min(Computations.INLINE_STEPS, maxSteps) : maxSteps;
        if (z0.length != rows * dim) z0 = new double[rows * dim];
        System.arraycopy(r.z0(), 0, z0, 0, rows * dim);
        if (t.length != points) t = new double[points];
        System.arraycopy(times, 0, t, 0, points);
        Solution sol = JsonInterface.solveRaw(model, z0, rows, t, options, budget, workspace);
        if (budget < maxSteps && sol.result() == Result.MAX_STEPS_REACHED) return Outcome.TOO_LARGE;
        metrics.nfe(sol.stats().nfe(), 0);
        metrics.result(sol.result());
        if (sol.result() == Result.MAX_STEPS_REACHED) metrics.error(ApiError.Kind.STEP_BUDGET);
        JsonInterface.writeSolution(sol, methodName, description, rows, dim, out);
        return Outcome.ANSWERED;
    }

    /** The options of the request (kept with their names while requests repeat them); false for an unknown method. */
    private boolean options(String method, long steps, double rtol, double atol) {
        if (options != null && method.equals(optionsMethod) && steps == optionsSteps
                && Double.compare(rtol, optionsRtol) == 0 && Double.compare(atol, optionsAtol) == 0) {
            return true;
        }
        SolverOptions o = new SolverOptions(method, steps == 0 ? null : (int) steps, rtol, atol);
        try {
            Numerics.method(method);
        } catch (IllegalArgumentException e) {
            return false;
        }
        options = o;
        optionsMethod = method;
        optionsSteps = steps;
        optionsRtol = rtol;
        optionsAtol = atol;
        methodName = JsonInterface.methodName(o);
        description = JsonInterface.description(o);
        return true;
    }
}
