package dev.panode.solvers;

/**
 * The reusable buffers of {@link PerSampleSolver}: per-sample states, stages, controller histories, save buffers and
 * the solution itself, kept from one solve to the next. They grow to the largest batch (rows, save times per sample,
 * state dimension) seen and are then reused, so that a thread solving batch after batch of the same shape — an
 * ensemble's partition, a scoring service — allocates nothing per batch. The Runge–Kutta stages and the field's own
 * workspace are kept while the method and the field (the same instance) stay the same, and rebuilt otherwise.
 *
 * <pre>{@code
 * PerSampleWorkspace ws = new PerSampleWorkspace();          // one per thread
 * for (double[] y0 : batches) {
 *     PerSampleSolution sol = PerSampleSolver.solve(mlp, y0, rows, t0, t1, saveTimes, RungeKutta.dopri5(), options,
 *             PerSampleSolver.Packing.COMPACT, ws);          // a view: read it before the next solve
 *     ...
 * }
 * }</pre>
 *
 * <p>Memory: O(rows·(stages + 8)·dim + Σ_r saveTimes(r)·dim) doubles for the largest batch seen, plus the field's
 * workspace. Not thread-safe: one per thread. When not to use: a single solve ({@link PerSampleSolver#solve} without
 * a workspace is simpler and returns an immutable solution).
 */
public final class PerSampleWorkspace {
    final PerSampleRun run = new PerSampleRun();

    /** An empty workspace; its buffers are sized by the first solve. */
    public PerSampleWorkspace() {}
}
