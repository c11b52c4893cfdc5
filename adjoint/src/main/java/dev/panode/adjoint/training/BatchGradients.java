package dev.panode.adjoint.training;

import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Mlp;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;

/**
 * {@link BatchGradient}s built on {@link dev.panode.adjoint.gradients.GradientSession}s (the results of
 * {@link Gradients#compute}, without its per-call set-up: after the first iteration a gradient allocates nothing):
 * the model is solved from each window's initial state over
 * the window's times with the given method and options, and the gradient comes from the chosen
 * {@link GradientMethod} (backprop through the solver, backsolve adjoint with or without the seminorm, interpolating
 * adjoint).
 */
public final class BatchGradients {
    private BatchGradients() {}

    /**
     * The mean squared error between the solved states and the batch's targets at every observation after the first
     * (see {@link WindowLoss}), with dL/dθ from {@code gradientMethod}. NFE forward/backward are those reported by
     * the gradient method ({@link dev.panode.adjoint.gradients.GradientStats}).
     *
     * @param field          the model being trained
     * @param method         the solver, e.g. {@code RungeKutta.dopri5()}
     * @param options        tolerances or fixed steps; the save policy is set per call
     * @param gradientMethod how dL/dθ is computed
     */
    public static BatchGradient meanSquaredError(DifferentiableField field, OdeMethod method, SolveOptions options,
                                                 GradientMethod gradientMethod) {
        return of(field, method, options, gradientMethod, false, 0, 0, 1);
    }

    /**
     * The mean absolute error {@code (1/M) Σ |y − target|} over every observation after the first — the loss of
     * torchdiffeq's {@code ode_demo.py}. Its gradient does not shrink with the residual, so windows where the state is
     * small (the slow inner turns of a spiral) keep pulling; prefer it when the states span orders of magnitude.
     * Otherwise as {@link #meanSquaredError}.
     */
    public static BatchGradient meanAbsoluteError(DifferentiableField field, OdeMethod method, SolveOptions options,
                                                  GradientMethod gradientMethod) {
        return of(field, method, options, gradientMethod, true, 0, 0, 1);
    }

    /**
     * {@link #meanSquaredError} over a batch cut into chunks of {@code chunkRows} windows, each solved and
     * differentiated on its own (its own adaptive steps), on up to {@code threads} threads with one gradient session
     * per chunk. The loss and gradient are the chunks' combined in chunk order, weighted by their share of the batch:
     * bitwise the same for any {@code threads}, but not the same bits as one solve of the whole batch (whose steps
     * the whole batch shares). Close the result to stop its threads.
     *
     * @param chunkRows windows per chunk, ≥ 1
     * @param threads   worker threads, ≥ 1 (1 runs the chunks on the calling thread)
     */
    public static BatchGradient meanSquaredError(DifferentiableField field, OdeMethod method, SolveOptions options,
                                                 GradientMethod gradientMethod, int chunkRows, int threads) {
        checkSplit("chunkRows", chunkRows, threads);
        return of(field, method, options, gradientMethod, false, chunkRows, 0, threads);
    }

    /** {@link #meanAbsoluteError} split as {@link #meanSquaredError(DifferentiableField, OdeMethod, SolveOptions,
     * GradientMethod, int, int)} splits it. */
    public static BatchGradient meanAbsoluteError(DifferentiableField field, OdeMethod method, SolveOptions options,
                                                  GradientMethod gradientMethod, int chunkRows, int threads) {
        checkSplit("chunkRows", chunkRows, threads);
        return of(field, method, options, gradientMethod, true, chunkRows, 0, threads);
    }

    /**
     * {@link #meanSquaredError} over a batch cut, at every call, into at most {@code parts} chunks of about equal
     * estimated cost, each solved and differentiated on its own on up to {@code threads} threads: the windows are
     * ordered by the steps the solver's initial-step rule predicts for each alone, hardest first, and cut into runs
     * so that the costliest chunk (its hardest window's steps times its rows plus an evaluation's fixed part) is as
     * cheap as it can be — the windows that need the most steps go to a chunk with fewer rows, instead of setting
     * the steps of half the batch. The loss and gradient are the chunks' combined in chunk order, weighted by their
     * share of the batch: bitwise the same for any {@code threads} (the cut depends on the batch and the parameters,
     * never on the threads), not the same bits as one solve of the whole batch. Cost per call beyond the chunks'
     * gradients: two evaluations of the whole batch on the calling thread. Each chunk keeps one gradient session
     * per size it has had (at most 32). Use {@code parts} = the threads you have; prefer
     * {@link #meanSquaredError(DifferentiableField, OdeMethod, SolveOptions, GradientMethod, int, int) equal
     * chunks} when every window needs about the same steps. Close the result to stop its threads.
     *
     * @param parts   the most chunks, ≥ 1
     * @param threads worker threads, ≥ 1 (1 runs the chunks on the calling thread)
     */
    public static BatchGradient meanSquaredErrorBalanced(DifferentiableField field, OdeMethod method,
                                                         SolveOptions options, GradientMethod gradientMethod,
                                                         int parts, int threads) {
        return meanSquaredErrorBalanced(field, method, options, gradientMethod, parts, threads,
                SplitEstimate.EVALUATED);
    }

    /** {@link #meanAbsoluteError} split as {@link #meanSquaredErrorBalanced} splits it. */
    public static BatchGradient meanAbsoluteErrorBalanced(DifferentiableField field, OdeMethod method,
                                                          SolveOptions options, GradientMethod gradientMethod,
                                                          int parts, int threads) {
        return meanAbsoluteErrorBalanced(field, method, options, gradientMethod, parts, threads,
                SplitEstimate.EVALUATED);
    }

    /**
     * {@link #meanSquaredErrorBalanced} with the windows' steps estimated as {@code estimate} says:
     * {@link SplitEstimate#OBSERVED} takes them from each window's first four observations instead of two
     * evaluations of the batch, so the cut costs no evaluation and no hand-over between threads (under a microsecond
     * for 20 windows); it ranks the windows by the data's steps rather than the model's, and falls back to the
     * evaluated estimate for windows of fewer than four observations. The same bits for any {@code threads}, as the
     * evaluated cut.
     */
    public static BatchGradient meanSquaredErrorBalanced(DifferentiableField field, OdeMethod method,
                                                         SolveOptions options, GradientMethod gradientMethod,
                                                         int parts, int threads, SplitEstimate estimate) {
        checkSplit("parts", parts, threads);
        return of(field, method, options, gradientMethod, false, 0, parts, threads, estimate);
    }

    /** {@link #meanAbsoluteError} split as {@link #meanSquaredErrorBalanced(DifferentiableField, OdeMethod,
     * SolveOptions, GradientMethod, int, int, SplitEstimate)} splits it. */
    public static BatchGradient meanAbsoluteErrorBalanced(DifferentiableField field, OdeMethod method,
                                                          SolveOptions options, GradientMethod gradientMethod,
                                                          int parts, int threads, SplitEstimate estimate) {
        checkSplit("parts", parts, threads);
        return of(field, method, options, gradientMethod, true, 0, parts, threads, estimate);
    }

    /**
     * {@link #meanAbsoluteError} in float32, as a float32 model in PyTorch trains: each call solves the batch in
     * single precision ({@link dev.panode.adjoint.models.MlpF32}, the parameters rounded from {@code field}'s, which
     * stay the optimiser's double master copy) and takes dL/dθ by backprop through the float steps
     * ({@link dev.panode.adjoint.gradients.BackpropF32}), widened to double. The whole batch is one solve. Cost: the
     * float solve and reverse pass (about half the memory traffic of the double ones) plus two O(P) roundings.
     * Accuracy: float rounding (about 6 significant digits) amplified by the flow; use float32 tolerances (rtol ≳ 1e-6)
     * — tighter ones cost steps without gaining digits. When not to use: when the gradient needs more than about 5
     * significant digits, or for another gradient method (only backprop is built in float32 here).
     *
     * @param field   the model being trained (its double parameters are the master copy the optimiser updates)
     * @param method  an explicit Runge–Kutta method without extra interpolation stages, e.g. dopri5
     * @param options tolerances or fixed steps; the save policy is set per call
     */
    public static BatchGradient meanAbsoluteErrorF32(Mlp field, OdeMethod method, SolveOptions options) {
        return ofFloat(field, method, options, true);
    }

    /** {@link #meanSquaredError}'s loss, computed as {@link #meanAbsoluteErrorF32} computes its. */
    public static BatchGradient meanSquaredErrorF32(Mlp field, OdeMethod method, SolveOptions options) {
        return ofFloat(field, method, options, false);
    }

    private static BatchGradient ofFloat(Mlp field, OdeMethod method, SolveOptions options, boolean absolute) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (options == null) throw new IllegalArgumentException("options must be non-null");
        return new FloatBatchGradient(field, method, options, absolute);
    }

    /**
     * The chunks a balanced batch gradient of {@code parts} chunks cuts {@code batch} into with {@code estimate}: for
     * each chunk, its windows (indices into the batch) in the order it solves them, hardest first. For inspecting
     * and measuring a cut (each chunk's gradient alone); the evaluated estimate uses {@code field}'s current
     * parameters. Allocates its result.
     */
    public static int[][] balancedChunks(DifferentiableField field, OdeMethod method, SolveOptions options, int parts,
                                         SplitEstimate estimate, TrajectoryDataset.Batch batch) {
        if (parts < 1) throw new IllegalArgumentException("parts must be >= 1, got " + parts);
        if (field == null || method == null || options == null || estimate == null || batch == null) {
            throw new IllegalArgumentException("field, method, options, estimate and batch must be non-null");
        }
        BalancedSplit split = new BalancedSplit(field, batch.dim(), method, options, parts);
        if (estimate == SplitEstimate.OBSERVED && BalancedSplit.observes(batch)) split.splitObserved(batch);
        else split.split(batch);
        int[][] chunks = new int[split.groups()][];
        for (int g = 0; g < chunks.length; g++) {
            chunks[g] = java.util.Arrays.copyOfRange(split.windows(), split.start(g), split.end(g));
        }
        return chunks;
    }

    private static void checkSplit(String name, int chunks, int threads) {
        if (chunks < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + chunks);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }

    private static BatchGradient of(DifferentiableField field, OdeMethod method, SolveOptions options,
                                    GradientMethod gradientMethod, boolean absolute, int chunkRows, int parts,
                                    int threads) {
        return of(field, method, options, gradientMethod, absolute, chunkRows, parts, threads,
                SplitEstimate.EVALUATED);
    }

    private static BatchGradient of(DifferentiableField field, OdeMethod method, SolveOptions options,
                                    GradientMethod gradientMethod, boolean absolute, int chunkRows, int parts,
                                    int threads, SplitEstimate estimate) {
        if (estimate == null) throw new IllegalArgumentException("estimate must be non-null");
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (options == null) throw new IllegalArgumentException("options must be non-null");
        if (gradientMethod == null) throw new IllegalArgumentException("gradientMethod must be non-null");
        return new ChunkedBatchGradient(field, method, options, gradientMethod, absolute, chunkRows, parts, threads,
                estimate);
    }
}
