package dev.panode.solvers;

import dev.panode.simd.VectorApi;

/**
 * Per-sample adaptive batching: every sample of the batch has its own t0, t1 and save times (ragged), its own step
 * size, controller history, accept/reject, {@link Stats} and {@link Result}. The samples advance in rounds; in each
 * round every running sample attempts one step of its own size. At each stage the rows still running are packed
 * ({@link Packing#COMPACT}) into a dense block, the field is evaluated once on that block with one time per row
 * ({@link RowTimeField#evaluateRows}; for an MLP one GEMM per layer) and the stages stay packed until the step is
 * decided, when states and FSAL stages are scattered back. Finished samples cost nothing.
 *
 * <p>Same machinery as {@link Solver}: the method's tableau and {@link Interpolant} (via {@link RungeKutta}), the
 * options' {@link StepSizeController} with one history per sample, the options' {@link ErrorNorm} applied to each
 * sample's row alone, the same initial-step heuristic per row, the same step bounds, failure codes and messages. A
 * sample solved here is therefore solved as {@link Solver#solve} solves a batch of that one sample.
 *
 * <p><b>Independence.</b> A sample's trajectory and statistics do not depend on the other samples: bitwise when the
 * field computes each row on its own (its arithmetic per row does not depend on the block's size or the row's slot,
 * e.g. component-wise fields such as Van der Pol, and the MLP while its GEMMs stay on panode's own kernels, whose
 * per-row summation order does not depend on the row count: the tests find the d2_h50 MLP bitwise equal); to
 * rounding (relative ~1e-16 per evaluation, ~1e-14 over a trajectory) for fields whose GEMM goes to a BLAS that may
 * block the sum differently for different row counts (large blocks on OpenBLAS). The step sequence is then the same
 * unless an error ratio sits within rounding of 1.
 *
 * <p>The options' {@link ErrorNorm} is applied to each sample's row alone ({@code rows = 1}): a norm defined on the
 * flat layout of a whole batch (for example a seminorm whose ranges go beyond {@code dim}) sees one row only.
 *
 * <p>Not supported here: tstops, {@link SaveAt#steps()}/{@link SaveAt#dense()}, interpolants with extra stages
 * ({@link RungeKutta#dop853Dense()}), observers. Stepping failures never throw (one sample's failure must not discard
 * the others): read {@link PerSampleSolution#result(int)}. Invalid arguments throw {@link IllegalArgumentException}
 * (or, with {@code throwOnFailure(false)}, give {@link Result#INVALID_ARGUMENT} for every sample).
 *
 * <p>Allocation: a solve allocates its buffers and its solution up front; the steps allocate nothing (provided the
 * field does not). A solve through a {@link PerSampleWorkspace} (one per thread) reuses the buffers and the solution
 * of the previous one and allocates nothing once the workspace has seen the batch's size. When not to use: a batch whose samples need about the same steps; {@link Solver} then does the
 * same work with fewer, larger kernel calls.
 */
public final class PerSampleSolver {
    private PerSampleSolver() {}

    /** How the running rows are laid out for the field. */
    public enum Packing {
        /** The running rows are packed densely: finished rows are not evaluated. */
        COMPACT,
        /** The whole batch is evaluated at every stage, finished rows masked out (torchode's approach); a baseline. */
        MASK
    }

    /** Solves with shared save times from {@code options.saveAt()} and {@link Packing#COMPACT}. */
    public static PerSampleSolution solve(RowTimeField field, double[] y0, int rows, double[] t0, double[] t1,
                                          RungeKutta method, SolveOptions options) {
        return solve(field, y0, rows, t0, t1, null, method, options, Packing.COMPACT);
    }

    /**
     * Solves every sample r of the batch from {@code t0[r]} to {@code t1[r]}.
     *
     * @param field     the vector field, evaluated on packed blocks with per-row times
     * @param y0        the initial states, {@code rows × dim} row-major; not modified
     * @param rows      the number of samples, ≥ 1
     * @param t0        the initial time of each sample
     * @param t1        the final time of each sample (t1[r] &lt; t0[r] solves that sample backwards)
     * @param saveTimes per sample, its save times (monotone in its direction, within [t0[r], t1[r]]); null to take
     *                  {@code options.saveAt()} ({@link SaveAt#t1()} or {@link SaveAt#times}) for every sample
     * @param method    a Runge–Kutta method, e.g. {@link RungeKutta#dopri5()}
     * @param options   controller, tolerances, norm, step bounds, convention
     * @param packing   {@link Packing#COMPACT}, or {@link Packing#MASK} as a baseline
     */
    public static PerSampleSolution solve(RowTimeField field, double[] y0, int rows, double[] t0, double[] t1,
                                          double[][] saveTimes, RungeKutta method, SolveOptions options,
                                          Packing packing) {
        PerSampleSolution invalid = checkArguments(field, y0, rows, t0, t1, saveTimes, method, options, packing);
        if (invalid != null) return invalid;
        return new PerSampleRun().prepare(field, y0, rows, dimension(field, y0, rows), t0, t1, saveTimes,
                TorchdiffeqConventions.method(method, options), options, packing).run();
    }

    /**
     * Solves as {@link #solve(RowTimeField, double[], int, double[], double[], double[][], RungeKutta, SolveOptions,
     * Packing)} with the buffers of {@code workspace}, which keeps them for the next solve: once the workspace has
     * seen a batch at least this large (rows, save times per sample, state dimension) with this method and field, the
     * solve allocates nothing on the Java heap (a failing sample's message aside), provided the field does not.
     *
     * <p>The solution returned is a view of the workspace: its next solve overwrites it. Read or copy the results
     * first.
     *
     * @param workspace the reusable buffers, used by one thread at a time
     */
    public static PerSampleSolution solve(RowTimeField field, double[] y0, int rows, double[] t0, double[] t1,
                                          double[][] saveTimes, RungeKutta method, SolveOptions options,
                                          Packing packing, PerSampleWorkspace workspace) {
        if (workspace == null) throw new IllegalArgumentException("INVALID_ARGUMENT: workspace must be non-null");
        PerSampleSolution invalid = checkArguments(field, y0, rows, t0, t1, saveTimes, method, options, packing);
        if (invalid != null) return invalid;
        return workspace.run.prepare(field, y0, rows, dimension(field, y0, rows), t0, t1, saveTimes,
                TorchdiffeqConventions.method(method, options), options, packing).runIntoView();
    }

    /** The state dimension: the field's, or y0's length per row for a field of any dimension (−1 if none fits). */
    private static int dimension(RowTimeField field, double[] y0, int rows) {
        return field.dim() > 0 ? field.dim() : (y0.length % rows == 0 ? y0.length / rows : -1);
    }

    /**
     * Null when the arguments are valid; otherwise throws {@link IllegalArgumentException} or, with
     * {@code throwOnFailure(false)}, returns a solution with {@link Result#INVALID_ARGUMENT} for every sample.
     */
    private static PerSampleSolution checkArguments(RowTimeField field, double[] y0, int rows, double[] t0,
                                                    double[] t1, double[][] saveTimes, RungeKutta method,
                                                    SolveOptions options, Packing packing) {
        VectorApi.require();
        if (options == null) throw new IllegalArgumentException("INVALID_ARGUMENT: options must be non-null");
        int dim = -1;
        String bad;
        if (field == null) bad = "field must be non-null";
        else if (y0 == null) bad = "y0 must be non-null";
        else if (method == null) bad = "method must be non-null";
        else if (packing == null) bad = "packing must be non-null";
        else if (rows < 1) bad = "rows must be >= 1, got " + rows;
        else {
            dim = dimension(field, y0, rows);
            bad = validate(field, y0, rows, dim, t0, t1, saveTimes, method, options);
        }
        if (bad == null) return null;
        String msg = "INVALID_ARGUMENT: " + bad;
        if (options.throwOnFailure()) throw new IllegalArgumentException(msg);
        int r = Math.max(rows, 0), d = Math.max(dim, 0);
        Result[] res = new Result[r];
        String[] ms = new String[r];
        java.util.Arrays.fill(res, Result.INVALID_ARGUMENT);
        java.util.Arrays.fill(ms, msg);
        return new PerSampleSolution(r, d, new double[r][0], new double[r][0], new int[r], new long[r], new long[r],
                new long[r], res, ms, 0, 0);
    }

    private static String validate(RowTimeField field, double[] y0, int rows, int dim, double[] t0, double[] t1,
                                   double[][] saveTimes, RungeKutta method, SolveOptions o) {
        String stateBad = Solver.checkInitialState(field.dim(), y0, rows, dim);
        if (stateBad != null) return stateBad;
        if (t0 == null || t0.length != rows)
            return "t0 must have length rows = " + rows + ", got " + (t0 == null ? null : t0.length);
        if (t1 == null || t1.length != rows)
            return "t1 must have length rows = " + rows + ", got " + (t1 == null ? null : t1.length);
        SaveAt sa = o.saveAt();
        if (saveTimes == null && sa.kind() != SaveAt.Kind.T1 && sa.kind() != SaveAt.Kind.TIMES)
            return "per-sample solves support SaveAt.t1() and SaveAt.times(...), got " + sa;
        if (saveTimes != null && saveTimes.length != rows)
            return "saveTimes must have length rows = " + rows + ", got " + saveTimes.length;
        for (int r = 0; r < rows; r++) {
            if (!Double.isFinite(t0[r])) return "t0[" + r + "] must be finite, got " + t0[r];
            if (!Double.isFinite(t1[r])) return "t1[" + r + "] must be finite, got " + t1[r];
            if (t0[r] == t1[r]) return "t0[" + r + "] and t1[" + r + "] must differ, got both = " + t0[r];
            if (!Double.isFinite(t1[r] - t0[r]))
                return "t1[" + r + "] - t0[" + r + "] must be finite, got t0[" + r + "] = " + t0[r] + ", t1[" + r
                        + "] = " + t1[r] + " (the span overflows a double)";
            double[] ts = saveTimes != null ? saveTimes[r] : sa.timesView();
            if (ts == null) {
                if (saveTimes != null) return "saveTimes[" + r + "] must be non-null";
                continue;
            }
            if (ts.length == 0) return "saveTimes[" + r + "] must not be empty";
            double dir = Math.signum(t1[r] - t0[r]);
            for (int i = 0; i < ts.length; i++) {
                if (!(dir * (ts[i] - t0[r]) >= 0 && dir * (ts[i] - t1[r]) <= 0))
                    return "save times of sample " + r + " must lie in [" + Math.min(t0[r], t1[r]) + ", "
                            + Math.max(t0[r], t1[r]) + "], got times[" + i + "] = " + ts[i];
                if (i > 0 && !(dir * (ts[i] - ts[i - 1]) > 0))
                    return "save times of sample " + r + " must be strictly " + (dir > 0 ? "increasing" : "decreasing")
                            + "; times[" + (i - 1) + "] = " + ts[i - 1] + ", times[" + i + "] = " + ts[i];
            }
        }
        if (o.tstopsView().length > 0) return "tstops are not supported in per-sample solves";
        if (o.observer() != null) return "observers are not supported in per-sample solves";
        if (method.interpolant().extraStages() > 0)
            return "interpolants with extra stages (" + method.name() + ") are not supported in per-sample solves";
        String tolBad = Solver.checkTolLength("atol", o.atolVecView(), rows, dim);
        if (tolBad == null) tolBad = Solver.checkTolLength("rtol", o.rtolVecView(), rows, dim);
        if (tolBad != null) return tolBad;
        return Solver.checkController(o.controller(), method);
    }
}
