package dev.panode.cli;

import dev.panode.solvers.Solution;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.VectorField;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's periodic test ({@code --test-freq}, ode_demo's {@code test_freq}): the model being trained, solved from
 * every trajectory's initial state alone over all observation times with the training solver, and its mean absolute
 * error against the true trajectories, printed as one line {@code Iter 0020 | Total Loss 0.123456}. One solve of the
 * full span per report, in a workspace kept between reports.
 */
final class PeriodicEvaluation {
    private final VectorField model;
    private final double[] y0;
    private final double[] times;
    private final double[] truthTimeMajor;
    private final SolverOptions solver;
    private final PrintStream out;
    private final SolverWorkspace workspace = new SolverWorkspace();

    /**
     * @param truth the true states, trajectory-major ({@code trajectories × times × dim}, dim = 2), as
     *              {@link DemoProblem#observe} returns them
     */
    PeriodicEvaluation(VectorField model, double[] y0, double[] times, double[] truth, SolverOptions solver,
                   PrintStream out) {
        this.model = model;
        this.y0 = y0.clone();
        this.times = times.clone();
        this.solver = solver;
        this.out = out;
        int n = y0.length / 2;
        int k = times.length;
        this.truthTimeMajor = new double[truth.length];
        for (int s = 0; s < k; s++) for (int b = 0; b < n; b++) {
            System.arraycopy(truth, (b * k + s) * 2, truthTimeMajor, (s * n + b) * 2, 2);
        }
    }

    /** The mean absolute error of the model's trajectories now (NaN when the solve fails). */
    double meanAbsoluteError() {
        Solution s = Numerics.solve(model, y0, y0.length / 2, times, solver, solver.maxSteps, workspace);
        if (!s.isSuccess()) return Double.NaN;
        double[] y = s.states();
        double sum = 0.0;
        for (int i = 0; i < truthTimeMajor.length; i++) sum += Math.abs(y[i] - truthTimeMajor[i]);
        return sum / truthTimeMajor.length;
    }

    /** Prints the test line for {@code iteration}. */
    void report(int iteration) {
        out.printf(Locale.ROOT, "Iter %04d | Total Loss %.6f%n", iteration, meanAbsoluteError());
    }
}
