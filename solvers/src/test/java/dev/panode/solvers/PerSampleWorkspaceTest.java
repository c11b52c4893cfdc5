package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import org.junit.jupiter.api.Test;

/**
 * Solves through one reused {@link PerSampleWorkspace} give exactly the results of fresh solves, whatever came
 * before in the workspace (larger and smaller batches, other methods, fields, save grids, tolerances, failures), and
 * a warm solve of a batch allocates nothing.
 */
class PerSampleWorkspaceTest {
    private static final SolveOptions ADAPTIVE = SolveOptions.builder().rtol(1e-6).atol(1e-8).throwOnFailure(false)
            .build();

    /** One solve's arguments. */
    private record Case(RowTimeField field, double[] y0, int rows, double[] t0, double[] t1, double[][] save,
                        RungeKutta method, SolveOptions options, PerSampleSolver.Packing packing) {
        PerSampleSolution fresh() {
            return PerSampleSolver.solve(field, y0, rows, t0, t1, save, method, options, packing);
        }

        PerSampleSolution in(PerSampleWorkspace ws) {
            return PerSampleSolver.solve(field, y0, rows, t0, t1, save, method, options, packing, ws);
        }
    }

    private static Case vanDerPol(int rows, RungeKutta method, SolveOptions o, PerSampleSolver.Packing packing) {
        double[] y0 = new double[3 * rows];
        double[] t0 = new double[rows], t1 = new double[rows];
        double[][] save = new double[rows][];
        for (int r = 0; r < rows; r++) {
            y0[3 * r] = 2 - 0.1 * r;
            y0[3 * r + 2] = 0.5 + r;
            t1[r] = 1 + 0.5 * r;
            int k = 2 + r % 4;
            save[r] = new double[k];
            for (int i = 0; i < k; i++) save[r][i] = t1[r] * (i + 1) / k;
        }
        return new Case(PerSampleFields.VAN_DER_POL_MU, y0, rows, t0, t1, save, method, o, packing);
    }

    private static Case forced(int rows, RungeKutta method, SolveOptions o) {
        double[] y0 = new double[2 * rows];
        double[] t0 = new double[rows], t1 = new double[rows];
        for (int r = 0; r < rows; r++) {
            y0[2 * r] = 1 + r;
            t0[r] = 0.1 * r;
            t1[r] = r % 2 == 0 ? 3 + r : -2 - r; // some rows backwards
        }
        return new Case(PerSampleFields.FORCED, y0, rows, t0, t1, null, method, o, PerSampleSolver.Packing.COMPACT);
    }

    private static void assertSameSolution(PerSampleSolution expected, PerSampleSolution actual, String what) {
        assertEquals(expected.rows(), actual.rows(), what);
        assertEquals(expected.dim(), actual.dim(), what);
        for (int r = 0; r < expected.rows(); r++) {
            assertArrayEquals(expected.times(r), actual.times(r), what + " row " + r);
            assertArrayEquals(expected.states(r), actual.states(r), what + " row " + r);
            assertEquals(expected.stats(r), actual.stats(r), what + " row " + r);
            assertEquals(expected.result(r), actual.result(r), what + " row " + r);
            assertEquals(expected.message(r), actual.message(r), what + " row " + r);
        }
        assertEquals(expected.fieldCalls(), actual.fieldCalls(), what);
        assertEquals(expected.rowsEvaluated(), actual.rowsEvaluated(), what);
        assertEquals(expected.totalNfe(), actual.totalNfe(), what);
        assertEquals(expected.isSuccess(), actual.isSuccess(), what);
    }

    @Test
    void reusedWorkspaceGivesTheFreshSolvesResultsBitForBit() {
        double[] atolPerRow = new double[3 * 6];
        for (int i = 0; i < atolPerRow.length; i++) atolPerRow[i] = 1e-8 * (1 + i % 5);
        SolveOptions perRow = SolveOptions.builder().rtol(1e-5).atol(atolPerRow).throwOnFailure(false).build();
        SolveOptions tight = SolveOptions.builder().rtol(1e-6).atol(1e-8).maxSteps(40).throwOnFailure(false).build();
        SolveOptions fixed = SolveOptions.builder().steps(50).throwOnFailure(false).build();
        Case[] sequence = {
                vanDerPol(4, RungeKutta.dopri5(), ADAPTIVE, PerSampleSolver.Packing.COMPACT),
                vanDerPol(9, RungeKutta.dopri5(), ADAPTIVE, PerSampleSolver.Packing.COMPACT),   // grows
                vanDerPol(3, RungeKutta.tsit5(), ADAPTIVE, PerSampleSolver.Packing.MASK),       // shrinks, other method
                forced(5, RungeKutta.dopri5(), ADAPTIVE),                                       // other field and dim
                vanDerPol(6, RungeKutta.bosh3(), perRow, PerSampleSolver.Packing.COMPACT),      // per-row tolerances
                vanDerPol(6, RungeKutta.dopri5(), tight, PerSampleSolver.Packing.COMPACT),      // rows that fail
                forced(4, RungeKutta.rk4(), fixed),                                            // fixed steps
                vanDerPol(2, RungeKutta.dop853(), ADAPTIVE, PerSampleSolver.Packing.COMPACT),
                vanDerPol(9, RungeKutta.dopri5(), ADAPTIVE, PerSampleSolver.Packing.COMPACT),   // back to the start
        };
        PerSampleWorkspace ws = new PerSampleWorkspace();
        boolean anyFailure = false;
        for (int i = 0; i < sequence.length; i++) {
            PerSampleSolution expected = sequence[i].fresh();
            anyFailure |= !expected.isSuccess();
            assertSameSolution(expected, sequence[i].in(ws), "case " + i);
        }
        assertTrue(anyFailure, "the sequence includes failing rows");
    }

    @Test
    void oneTolerancePerComponentTakesTheOtherAsItsScalarBroadcast() {
        double[] atol = new double[3 * 5], rtol = new double[3 * 5];
        for (int i = 0; i < atol.length; i++) atol[i] = 1e-8 * (1 + i % 3);
        java.util.Arrays.fill(rtol, 1e-5);
        SolveOptions scalarRtol = SolveOptions.builder().rtol(1e-5).atol(atol).build();
        SolveOptions vectorRtol = SolveOptions.builder().rtol(rtol).atol(atol).build();
        PerSampleSolution a = vanDerPol(5, RungeKutta.dopri5(), scalarRtol, PerSampleSolver.Packing.COMPACT).fresh();
        PerSampleSolution b = vanDerPol(5, RungeKutta.dopri5(), vectorRtol, PerSampleSolver.Packing.COMPACT).fresh();
        assertTrue(a.isSuccess());
        assertSameSolution(b, a, "rtol 1e-5 as a scalar and as a vector");
    }

    @Test
    void theSolutionIsAViewThatTheNextSolveOverwrites() {
        PerSampleWorkspace ws = new PerSampleWorkspace();
        PerSampleSolution first = vanDerPol(3, RungeKutta.dopri5(), ADAPTIVE, PerSampleSolver.Packing.COMPACT).in(ws);
        double[] before = first.states(0);
        PerSampleSolution second = forced(2, RungeKutta.dopri5(), ADAPTIVE).in(ws);
        assertTrue(first == second, "one view per workspace");
        assertEquals(2, first.rows());
        assertTrue(before.length != first.states(0).length || !java.util.Arrays.equals(before, first.states(0)));
    }

    @Test
    void aNullWorkspaceIsRefusedByName() {
        Case c = vanDerPol(2, RungeKutta.dopri5(), ADAPTIVE, PerSampleSolver.Packing.COMPACT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PerSampleSolver.solve(
                c.field(), c.y0(), c.rows(), c.t0(), c.t1(), c.save(), c.method(), c.options(), c.packing(), null));
        assertTrue(e.getMessage().contains("workspace must be non-null"), e.getMessage());
    }

    @Test
    void aWarmSolveOfABatchAllocatesNothing() {
        for (RungeKutta m : new RungeKutta[]{RungeKutta.dopri5(), RungeKutta.bosh3(), RungeKutta.dop853()}) {
            Case c = vanDerPol(8, m, ADAPTIVE, PerSampleSolver.Packing.COMPACT);
            PerSampleWorkspace ws = new PerSampleWorkspace();
            assertTrue(c.in(ws).isSuccess());
            Allocations.assertNoAllocation("a per-sample solve of 8 rows with " + m.name() + " through a warm workspace",
                    2_000, 100, () -> c.in(ws));
        }
    }
}
