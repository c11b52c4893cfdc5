package dev.panode.cli;

import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.io.Precision;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.SolverWorkspaceF32;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's periodic test ({@code --test-freq}, ode_demo's {@code test_freq}): the model being trained, solved from
 * every trajectory's initial state alone over all observation times with the training solver, and its mean absolute
 * error against the true trajectories, printed as one line {@code Iter 0020 | Total Loss 0.123456}. Each report is one
 * solve of the full span whose dense output is read at every observation time, in the training precision, into a
 * workspace and a states array kept between reports: nothing is allocated per report or per observation time.
 * <p>
 * The test solves its own copy of the model: {@link #capture} copies the trained parameters into it (on the training
 * thread), {@link #meanAbsoluteError} then solves that copy on any one thread at a time (see {@link TestReports}).
 */
final class PeriodicEvaluation implements PeriodicTest {
    private final Mlp model;
    private final MlpF32 model32;
    private final double[] y0;
    private final float[] y0f;
    private final int rows;
    private final double t0, t1;
    private final RungeKutta method;
    private final SolveOptions options;
    private final double[] truthTimeMajor;
    private final double[] states;
    private final float[] states32;
    private final SolverWorkspace workspace;
    private final SolverWorkspaceF32 workspace32;
    private final double[] snapshot;

    /**
     * @param truth     the true states, trajectory-major ({@code trajectories × times × dim}, dim = 2), as
     *                  {@link DemoProblem#observe} returns them
     * @param precision float64, or float32 to solve the model rounded to float (its parameters rounded anew at each
     *                  report)
     */
    PeriodicEvaluation(Mlp model, double[] y0, double[] times, double[] truth, SolverOptions solver,
                       Precision precision) {
        boolean f32 = precision == Precision.FLOAT32;
        this.model = f32 ? null : model.withParameters(model.parameters());
        this.model32 = f32 ? MlpF32.of(model) : null;
        this.snapshot = f32 ? new double[model.parameterCount()] : this.model.parameters();
        this.y0 = y0.clone();
        this.y0f = Numerics.floats(y0);
        this.rows = y0.length / 2;
        this.t0 = times[0];
        this.t1 = times[times.length - 1];
        this.method = Numerics.method(solver.method);
        this.options = Numerics.options(solver, method, precision).toBuilder().saveAt(SaveAt.times(times))
                .throwOnFailure(false).build();
        int k = times.length;
        this.truthTimeMajor = new double[truth.length];
        for (int s = 0; s < k; s++) for (int b = 0; b < rows; b++) {
            System.arraycopy(truth, (b * k + s) * 2, truthTimeMajor, (s * rows + b) * 2, 2);
        }
        this.states = f32 ? null : new double[truth.length];
        this.states32 = f32 ? new float[truth.length] : null;
        this.workspace = f32 ? null : new SolverWorkspace();
        this.workspace32 = f32 ? new SolverWorkspaceF32() : null;
    }

    @Override
    public void capture(double[] parameters) {
        System.arraycopy(parameters, 0, snapshot, 0, snapshot.length);
    }

    /** The mean absolute error of the captured model's trajectories (NaN when the solve fails). */
    @Override
    public double meanAbsoluteError() {
        double sum = 0.0;
        if (model32 == null) {
            Result r = Solver.solveInto(model, y0, rows, t0, t1, method, options, workspace, states);
            if (r != Result.SUCCESSFUL) return Double.NaN;
            for (int i = 0; i < truthTimeMajor.length; i++) sum += Math.abs(states[i] - truthTimeMajor[i]);
        } else {
            double[] theta = snapshot;
            float[] theta32 = model32.parameters();
            for (int i = 0; i < theta32.length; i++) theta32[i] = (float) theta[i];
            Result r = Solver.solveInto(model32, y0f, rows, t0, t1, method, options, workspace32, states32);
            if (r != Result.SUCCESSFUL) return Double.NaN;
            for (int i = 0; i < truthTimeMajor.length; i++) sum += Math.abs(states32[i] - truthTimeMajor[i]);
        }
        return sum / truthTimeMajor.length;
    }

    /** Prints the test line of {@code iteration}: {@code Iter 0020 | Total Loss 0.123456}. */
    static void print(PrintStream out, int iteration, double meanAbsoluteError) {
        out.printf(Locale.ROOT, "Iter %04d | Total Loss %.6f%n", iteration, meanAbsoluteError);
    }
}
