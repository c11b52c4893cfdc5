package dev.panode.spark;

import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver;
import dev.panode.solvers.PerSampleWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;

/**
 * One thread's ensemble machinery for one model architecture: its own copy of the model (the batch's parameters are
 * copied into it, so that the solver's field workspace stays valid from batch to batch), a {@link PerSampleWorkspace}
 * and the batch's input buffers. Made once per executor thread and architecture ({@link ThreadWorkspaces}); a batch
 * of the size seen before is then solved without allocating. Heap only: closing it frees nothing.
 */
final class EnsembleWorkspace implements ThreadWorkspaces.Workspace {
    private final Mlp model;
    private final PerSampleWorkspace solver = new PerSampleWorkspace();
    private final int dim;
    private double[] y0 = new double[0], t0 = y0, t1 = y0;
    private double[][] save = new double[0][];

    /** The shape a workspace serves. */
    record Key(MlpArchitecture architecture) {}

    /** @param model any model of the architecture (its parameters are copied; every batch sets its own) */
    EnsembleWorkspace(Mlp model) {
        this.model = model.withParameters(model.parameters());
        this.dim = model.dim();
    }

    /**
     * The input buffers for a batch of {@code rows} rows: fill {@link #initialStates()}, {@link #startTimes()},
     * {@link #endTimes()} and {@link #saveTimes()} (exactly {@code rows} long), then {@link #solve}.
     */
    EnsembleWorkspace batch(int rows) {
        if (t0.length != rows) {
            y0 = new double[rows * dim];
            t0 = new double[rows];
            t1 = new double[rows];
            save = new double[rows][];
        }
        return this;
    }

    double[] initialStates() {
        return y0;
    }

    double[] startTimes() {
        return t0;
    }

    double[] endTimes() {
        return t1;
    }

    double[][] saveTimes() {
        return save;
    }

    /**
     * Solves the batch with the model at {@code parameters}; the solution is a view that the next solve overwrites.
     */
    PerSampleSolution solve(double[] parameters, RungeKutta method, SolveOptions options) {
        System.arraycopy(parameters, 0, model.parameters(), 0, parameters.length);
        return PerSampleSolver.solve(model, y0, t0.length, t0, t1, save, method, options,
                PerSampleSolver.Packing.COMPACT, solver);
    }

    @Override
    public void close() {
        java.util.Arrays.fill(save, null);
    }
}
