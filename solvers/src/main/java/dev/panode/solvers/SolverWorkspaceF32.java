package dev.panode.solvers;

/**
 * Per-solve scratch of the float32 solves, reusable so that repeated solves of one shape allocate only their
 * {@link SolutionF32} (and {@link Solver#solveInto(FloatField, float[], int, double, double, OdeMethod, SolveOptions,
 * SolverWorkspaceF32, float[])} nothing): the method's float stepper (kept while method, field and shape fit), the
 * state and error buffers and the step control. The counterpart of {@link SolverWorkspace}. One per thread; not
 * thread-safe.
 */
public final class SolverWorkspaceF32 extends WorkspaceStats {
    RkStepperF32 stepper;
    float[] y = new float[0], yNew = new float[0], err = new float[0], scratch = new float[0];
    final StepControl control = new StepControl();
    /** The run reused by solveInto, and its save-time buffer. */
    RunF32 run;
    double[] saveTimes = new double[0];
    /** The error norm runs over the first normLength components of the flat state (all when ≤ 0). */
    int normLength;

    /** An empty workspace; buffers are sized by the first solve. */
    public SolverWorkspaceF32() {}

    /**
     * Makes the error norm of the following solves through this workspace a seminorm (Kidger, Chen and Lyons 2021):
     * it measures only the first {@code length} components of the flat {@code rows × dim} state, the others (for
     * the continuous adjoint: the parameter adjoint, which feeds back into nothing) do not vote on the step size.
     * RMS divides by the components kept. 0 restores the full norm.
     *
     * @throws IllegalArgumentException when length is negative
     */
    public void measureFirst(int length) {
        if (length < 0) throw new IllegalArgumentException("length must be >= 0, got " + length);
        this.normLength = length;
    }

    /**
     * The stage derivatives k_0.. of the last attempt (live buffers, valid until the next step: read, do not keep);
     * null before the first solve. For code that replays or differentiates a float step.
     */
    public float[][] stages() {
        return stepper == null ? null : stepper.k;
    }

    /** The stage inputs Y_0..Y_{s−1} of the last attempt (live buffers); null before the first solve. */
    public float[][] stageInputs() {
        return stepper == null ? null : stepper.stageIn;
    }

    void prepare(RungeKutta method, FloatField field, int rows, int dim) {
        if (stepper == null || !stepper.fits(method, field, rows, dim)) {
            stepper = new RkStepperF32(method, field, rows, dim);
        }
        int n = rows * dim;
        if (y.length < n) {
            y = new float[n];
            yNew = new float[n];
            err = new float[n];
            scratch = new float[n];
        }
    }
}
