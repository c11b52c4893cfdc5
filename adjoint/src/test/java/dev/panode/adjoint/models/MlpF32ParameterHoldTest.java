package dev.panode.adjoint.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspaceF32;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A float solve holds its field's parameters ({@link FieldWorkspace#holdParameters}), as the double one does: the
 * float MLP's layers then compare their weights with the packed copies once per solve. Parameters changed in place
 * between two solves through the same workspace are seen by the second, also after a failed solve; a held evaluation
 * gives the bits of an unheld one; a warm batch-1 solve allocates nothing.
 */
class MlpF32ParameterHoldTest {
    private static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-4).atol(1e-6)
            .torchdiffeqCompatible(true).saveAt(SaveAt.t1()).build();

    private static MlpF32 mlp(int dim, int hidden) {
        return MlpF32.of(Mlp.initialised(MlpArchitecture.mlp3Tanh(dim, hidden), Initialisation.PYTORCH_DEFAULT, 11));
    }

    private static float[] states(int n) {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (float) rnd.nextDouble(-1.0, 1.0);
        return y;
    }

    /** The solution at t = 1 with a fresh model over these parameters and a fresh workspace: nothing kept. */
    private static float[] fresh(MlpF32 f, float[] y0, int rows) {
        float[] out = new float[y0.length];
        Solver.solveInto(new MlpF32(f.architecture(), f.parameters()), y0, rows, 0.0, 1.0, RungeKutta.dopri5(),
                OPTIONS, new SolverWorkspaceF32(), out);
        return out;
    }

    @Test
    void parametersChangedBetweenSolvesAreSeen() {
        for (int[] shape : new int[][] {{2, 50, 1}, {2, 50, 16}, {3, 20, 5}}) {
            MlpF32 f = mlp(shape[0], shape[1]);
            int rows = shape[2];
            float[] y0 = states(rows * shape[0]);
            SolverWorkspaceF32 ws = new SolverWorkspaceF32();
            float[] out = new float[y0.length];
            for (int step = 0; step < 4; step++) {
                assertEquals(Result.SUCCESSFUL,
                        Solver.solveInto(f, y0, rows, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS, ws, out));
                assertArrayEquals(fresh(f, y0, rows), out, "solveInto, shape " + List.of(shape[0], shape[1], rows)
                        + ", after " + step + " updates");
                float[] theta = f.parameters();
                int hiddenW = f.architecture().weightOffset(1);
                switch (step) {
                    case 0 -> {
                        for (int i = hiddenW; i < hiddenW + shape[1] * shape[1]; i++) theta[i] *= 1.01f;
                    }
                    case 1 -> theta[hiddenW + 7] += 0.125f;
                    default -> theta[0] = -theta[0];
                }
            }
        }
    }

    @Test
    void aFailedSolveReleasesTheHold() {
        MlpF32 f = mlp(2, 50);
        float[] y0 = states(2);
        SolverWorkspaceF32 ws = new SolverWorkspaceF32();
        SolveOptions tooFew = OPTIONS.toBuilder().maxSteps(1).build();
        assertThrows(SolveException.class,
                () -> Solver.solveInto(f, y0, 1, 0.0, 1.0, RungeKutta.dopri5(), tooFew, ws, new float[2]));
        f.parameters()[f.architecture().weightOffset(1) + 3] += 0.5f;
        float[] out = new float[2];
        Solver.solveInto(f, y0, 1, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS, ws, out);
        assertArrayEquals(fresh(f, y0, 1), out);
    }

    @Test
    void aHeldEvaluationGivesTheBitsOfAnUnheldOne() {
        for (int rows : new int[] {1, 3, 16}) {
            MlpF32 f = mlp(2, 50);
            float[] y = states(2 * rows);
            FieldWorkspace plain = f.newWorkspace(rows), held = f.newWorkspace(rows);
            float[] want = new float[y.length], got = new float[y.length];
            held.holdParameters();
            for (int call = 0; call < 3; call++) {
                f.evaluate(0.0, y, want, rows, plain);
                f.evaluate(0.0, y, got, rows, held);
                assertArrayEquals(want, got, "rows " + rows + ", call " + call);
            }
            held.releaseParameters();
            f.parameters()[f.architecture().weightOffset(1)] += 0.25f;
            f.evaluate(0.0, y, want, rows, plain);
            f.evaluate(0.0, y, got, rows, held);
            assertArrayEquals(want, got, "rows " + rows + " after the release and a change");
        }
    }

    @Test
    void aWarmBatchOneSolveAllocatesNothing() {
        MlpF32 f = mlp(2, 50);
        float[] y0 = states(2), out = new float[2];
        SolverWorkspaceF32 ws = new SolverWorkspaceF32();
        Allocations.assertNoAllocation("float32 dopri5 solveInto 2x50x1", 3_000, 200,
                () -> Solver.solveInto(f, y0, 1, 0.0, 1.0, RungeKutta.dopri5(), OPTIONS, ws, out));
    }
}
