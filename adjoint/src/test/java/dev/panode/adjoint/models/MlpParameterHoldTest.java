package dev.panode.adjoint.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver;
import dev.panode.solvers.PerSampleWorkspace;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A solve holds its field's parameters ({@link FieldWorkspace#holdParameters}): the MLP's layers then compare their
 * weights with the packed copies once per solve instead of at every evaluation. What must stay true: parameters changed
 * in place between two solves through the same workspace (an optimiser's step) are seen by the second solve, also after
 * a solve that failed; a held evaluation gives the bits of an unheld one; and a warm solve still allocates nothing.
 */
class MlpParameterHoldTest {
    private static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-6).atol(1e-8)
            .torchdiffeqCompatible(true).saveAt(SaveAt.t1()).build();

    private static Mlp mlp(int dim, int hidden) {
        return Mlp.initialised(MlpArchitecture.mlp3Tanh(dim, hidden), Initialisation.PYTORCH_DEFAULT, 11);
    }

    private static double[] states(int n) {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = rnd.nextDouble(-1.0, 1.0);
        return y;
    }

    /** The solution at t = 1 with a fresh MLP over these parameters and a fresh workspace: nothing kept. */
    private static double[] fresh(Mlp f, double[] y0, int rows) {
        double[] out = new double[y0.length];
        Solver.solveInto(f.withParameters(f.parameters()), y0, rows, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS,
                new SolverWorkspace(), out);
        return out;
    }

    @Test
    void parametersChangedBetweenSolvesAreSeen() {
        for (int[] shape : new int[][] {{2, 50, 1}, {2, 50, 16}, {3, 20, 5}}) {
            Mlp f = mlp(shape[0], shape[1]);
            int rows = shape[2];
            double[] y0 = states(rows * shape[0]);
            SolverWorkspace ws = new SolverWorkspace();
            double[] out = new double[y0.length];
            for (int step = 0; step < 4; step++) {
                assertEquals(Result.SUCCESSFUL,
                        Solver.solveInto(f, y0, rows, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS, ws, out));
                assertArrayEquals(fresh(f, y0, rows), out, "solveInto, shape " + List.of(shape[0], shape[1], rows)
                        + ", after " + step + " updates");
                double[] solved = Solver.solve(f, y0, rows, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS, ws).state(0);
                assertArrayEquals(out, solved, "solve, after " + step + " updates");
                // an optimiser's step in place: every weight of the hidden layer, then a single one, then a sign bit
                double[] theta = f.parameters();
                int hiddenW = f.architecture().weightOffset(1);
                switch (step) {
                    case 0 -> {
                        for (int i = hiddenW; i < hiddenW + shape[1] * shape[1]; i++) theta[i] *= 1.01;
                    }
                    case 1 -> theta[hiddenW + 7] += 0.125;
                    default -> theta[0] = -theta[0];
                }
            }
        }
    }

    @Test
    void thePerSampleSolverSeesParametersChangedBetweenSolves() {
        Mlp f = mlp(2, 50);
        int rows = 6;
        double[] y0 = states(2 * rows), t0 = new double[rows], t1 = new double[rows];
        for (int r = 0; r < rows; r++) t1[r] = 0.5 + 0.1 * r;
        PerSampleWorkspace ws = new PerSampleWorkspace();
        for (int step = 0; step < 3; step++) {
            PerSampleSolution reused = PerSampleSolver.solve(f, y0, rows, t0, t1, null, RungeKutta.dopri5(), OPTIONS,
                    PerSampleSolver.Packing.COMPACT, ws);
            PerSampleSolution fresh = PerSampleSolver.solve(f.withParameters(f.parameters()), y0, rows, t0, t1,
                    RungeKutta.dopri5(), OPTIONS);
            for (int r = 0; r < rows; r++) {
                assertArrayEquals(fresh.state(r, 0), reused.state(r, 0), "sample " + r + " after " + step + " updates");
            }
            f.parameters()[f.architecture().weightOffset(1) + 5 * step] -= 0.125;
        }
    }

    @Test
    void aFailedSolveReleasesTheHold() {
        Mlp f = mlp(2, 50);
        double[] y0 = states(2);
        SolverWorkspace ws = new SolverWorkspace();
        SolveOptions tooFew = OPTIONS.toBuilder().maxSteps(2).build();
        assertThrows(SolveException.class,
                () -> Solver.solve(f, y0, 1, 0.0, 1.0, RungeKutta.dopri5(), tooFew, ws));
        int hiddenW = f.architecture().weightOffset(1);
        f.parameters()[hiddenW + 3] += 0.5;
        double[] out = new double[2];
        Solver.solveInto(f, y0, 1, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS, ws, out);
        assertArrayEquals(fresh(f, y0, 1), out);
    }

    @Test
    void aHeldEvaluationGivesTheBitsOfAnUnheldOne() {
        for (int rows : new int[] {1, 3, 16}) {
            Mlp f = mlp(2, 50);
            double[] y = states(2 * rows);
            FieldWorkspace plain = f.newWorkspace(rows), held = f.newWorkspace(rows);
            double[] want = new double[y.length], got = new double[y.length];
            held.holdParameters();
            for (int call = 0; call < 3; call++) {
                f.evaluate(0.0, y, want, rows, plain);
                f.evaluate(0.0, y, got, rows, held);
                assertArrayEquals(want, got, "rows " + rows + ", call " + call);
            }
            held.releaseParameters();
            f.parameters()[f.architecture().weightOffset(1)] += 0.25;
            f.evaluate(0.0, y, want, rows, plain);
            f.evaluate(0.0, y, got, rows, held);
            assertArrayEquals(want, got, "rows " + rows + " after the release and a change");
        }
    }

    @Test
    void aWarmBatchOneSolveAllocatesNothing() {
        Mlp f = mlp(2, 50);
        double[] y0 = states(2), out = new double[2];
        SolverWorkspace ws = new SolverWorkspace();
        Allocations.assertNoAllocation("dopri5 solveInto 2x50x1", 3_000, 200,
                () -> Solver.solveInto(f, y0, 1, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS, ws, out));
    }
}
