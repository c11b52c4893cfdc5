package dev.panode.solvers;

/**
 * Per-solve scratch, reusable across solves so that repeated solves allocate only their {@link Solution} (and
 * {@link Solver#solveInto} nothing): the
 * method's {@link Stepper} (kept while method, field and shape fit), the state and error buffers, expanded
 * per-component tolerances and the {@code StepControl} with the controller's memory. One per thread; not thread-safe.
 *
 * <p>The state buffers are row-major {@code rows × dim}; a later per-sample stepping mode adds per-row ratios and
 * step sizes here ({@code ErrorNorms.scaledPerRow}) without changing the layout.
 */
public final class SolverWorkspace extends WorkspaceStats {
    Stepper stepper;
    double[] y = new double[0], yNew = new double[0], err = new double[0], scratch = new double[0];
    double[] atolVec = new double[0], rtolVec = new double[0];
    final StepControl control = new StepControl();
    /** The run {@link Solver#solveInto} reuses, and its save-time buffer. */
    Solver.Run run;
    double[] saveTimes = new double[0];
    private long lastJacobians;

    /** An empty workspace; buffers are sized by the first solve. */
    public SolverWorkspace() {}

    /** Jacobian evaluations of the last solve through this workspace (implicit methods; 0 otherwise). */
    public long lastJacobians() {
        return lastJacobians;
    }

    @Override
    void recordStats(long nfe, long accepted, long rejected) {
        recordStats(nfe, accepted, rejected, 0);
    }

    void recordStats(long nfe, long accepted, long rejected, long jacobians) {
        super.recordStats(nfe, accepted, rejected);
        lastJacobians = jacobians;
    }

    void prepare(OdeMethod method, VectorField field, int rows, int dim) {
        if (stepper == null || !stepper.fits(method, field, rows, dim)) stepper = method.newStepper(field, rows, dim);
        int n = rows * dim;
        if (y.length < n) {
            y = new double[n];
            yNew = new double[n];
            err = new double[n];
            scratch = new double[n];
        }
    }

    /**
     * Expands per-component tolerances to rows·dim into {@code atolVec} and {@code rtolVec} and returns true, or
     * returns false when both are scalar. When only one is given per component, the other is broadcast from its
     * scalar.
     */
    boolean expandTolerances(double atol, double rtol, double[] atolGiven, double[] rtolGiven, int rows, int dim) {
        if (atolGiven == null && rtolGiven == null) return false;
        int n = rows * dim;
        if (atolVec.length < n) {
            atolVec = new double[n];
            rtolVec = new double[n];
        }
        fill(atolVec, atol, atolGiven, rows, dim);
        fill(rtolVec, rtol, rtolGiven, rows, dim);
        return true;
    }

    private static void fill(double[] dst, double scalar, double[] given, int rows, int dim) {
        int n = rows * dim;
        if (given == null) java.util.Arrays.fill(dst, 0, n, scalar);
        else if (given.length == n) System.arraycopy(given, 0, dst, 0, n);
        else for (int r = 0; r < rows; r++) System.arraycopy(given, 0, dst, r * dim, dim);
    }
}
