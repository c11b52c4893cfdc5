package dev.panode.solvers;

/**
 * The statistics of the last solve through a workspace, kept by {@link SolverWorkspace} and
 * {@link SolverWorkspaceF32} alike: evaluations, accepted and rejected steps, and the controller's last proposal.
 * Written once per solve; not thread-safe (a workspace is one thread's).
 */
abstract sealed class WorkspaceStats permits SolverWorkspace, SolverWorkspaceF32 {
    private long lastNfe, lastAccepted, lastRejected;
    private double lastStepProposal = Double.NaN;

    /** Field evaluations of the last solve through this workspace. */
    public long lastNfe() {
        return lastNfe;
    }

    /** Accepted steps of the last solve through this workspace. */
    public long lastAccepted() {
        return lastAccepted;
    }

    /** Rejected steps of the last solve through this workspace. */
    public long lastRejected() {
        return lastRejected;
    }

    /**
     * The magnitude of the step the adaptive controller proposed after the last solve's final accepted step: what that
     * solve would have tried next had it gone on (a step shortened to land on t1 or a tstop keeps the proposal it
     * replaced, unless the options follow torchdiffeq's conventions). NaN after a fixed-step or failed solve. A
     * solve that continues this one (after a jump in its state, say) may start from it
     * ({@link Solver#solveInto(VectorField, double[], int, double, double, OdeMethod, SolveOptions, SolverWorkspace,
     * double[], double)}, in float32 {@link Solver#solveInto(FloatField, float[], int, double, double, OdeMethod,
     * SolveOptions, SolverWorkspaceF32, float[], double)}) instead of selecting an initial step anew.
     */
    public double lastStepProposal() {
        return lastStepProposal;
    }

    void recordProposal(double h) {
        lastStepProposal = h;
    }

    void recordStats(long nfe, long accepted, long rejected) {
        lastNfe = nfe;
        lastAccepted = accepted;
        lastRejected = rejected;
        lastStepProposal = Double.NaN;
    }
}
