package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a backward pass relies on: the observer's view of each step and an exact replay with RungeKutta.step. */
class ObserverAndReplayTest {

    @Test
    void replayingTheObservedStepsReproducesTheSolutionBitForBit() {
        for (boolean torchdiffeq : new boolean[]{false, true}) {
            List<double[]> steps = new ArrayList<>(); // (t, h, tEnd)
            double[] y0 = {1, 1, 1, -2, 0.5, 20};
            Solution sol = Solver.solve(Problems.LORENZ, y0, 2, 0, 3, RungeKutta.dopri5(), SolveOptions.builder()
                    .rtol(1e-7).atol(1e-9).torchdiffeqCompatible(torchdiffeq)
                    .observer(v -> steps.add(new double[]{v.t(), v.h(), v.tEnd()})).build());
            RungeKutta m = TorchdiffeqConventions.method(RungeKutta.dopri5(),
                    SolveOptions.builder().torchdiffeqCompatible(true).build());
            if (!torchdiffeq) m = RungeKutta.dopri5();
            RkWorkspace ws = m.newWorkspace(Problems.LORENZ, 2, 3);
            double[] y = y0.clone(), yOut = new double[6];
            double t = 0;
            for (double[] s : steps) {
                assertEquals(t, s[0], 0.0, "steps are contiguous");
                m.step(Problems.LORENZ, s[0], s[1], y, yOut, null, 2, ws);
                System.arraycopy(yOut, 0, y, 0, 6);
                t = s[2];
            }
            assertEquals(sol.stats().accepted(), steps.size());
            if (!torchdiffeq) {
                assertEquals(3.0, t, 0.0, "the default lands on t1");
                assertArrayEquals(sol.lastState(), y, 0.0, "replay equals the solve bit for bit");
            } else {
                assertTrue(t >= 3.0, "torchdiffeq steps past t1");
                // y(t1) is the interpolant inside the last step: replay it too.
                double[] last = steps.get(steps.size() - 1);
                double[] prev = new double[6];
                // re-run the last step from its start state to interpolate
                double[] yStart = replayTo(m, y0, steps, steps.size() - 1);
                m.step(Problems.LORENZ, last[0], last[1], yStart, prev, null, 2, ws);
                double[] yt1 = new double[6];
                m.interpolate((3.0 - last[0]) / last[1], last[1], yStart, yt1, 0, 2, ws);
                assertArrayEquals(sol.lastState(), yt1, 0.0, "interpolated replay equals the solve bit for bit");
            }
        }
    }

    private static double[] replayTo(RungeKutta m, double[] y0, List<double[]> steps, int count) {
        RkWorkspace ws = m.newWorkspace(Problems.LORENZ, 2, 3);
        double[] y = y0.clone(), yOut = new double[y0.length];
        for (int i = 0; i < count; i++) {
            m.step(Problems.LORENZ, steps.get(i)[0], steps.get(i)[1], y, yOut, null, 2, ws);
            System.arraycopy(yOut, 0, y, 0, y.length);
        }
        return y;
    }

    @Test
    void viewExposesStagesAndStageInputsConsistently() {
        RungeKutta m = RungeKutta.tsit5();
        ButcherTableau tab = m.tableau();
        double[] f = new double[3];
        int[] checked = {0};
        Solver.solve(Problems.LORENZ, new double[]{1, 1, 1}, 1, 0, 1, m, SolveOptions.builder().rtol(1e-6).atol(1e-8)
                .observer(v -> {
                    assertSame(m, v.method());
                    assertEquals(7, v.stageCount());
                    assertEquals(1, v.rows());
                    assertEquals(3, v.dim());
                    assertArrayEquals(Arrays.copyOf(v.yBefore(), 3), Arrays.copyOf(v.stageInputs()[0], 3), 0.0);
                    for (int i = 0; i < v.stageCount(); i++) {
                        Problems.LORENZ.evaluate(v.t() + tab.c(i) * v.h(), v.stageInputs()[i], f, 1, FieldWorkspace.NONE);
                        assertArrayEquals(f, Arrays.copyOf(v.stages()[i], 3), 0.0, "k_" + i + " = f(t + c_i h, Y_i)");
                    }
                    double[] yNew = new double[3];
                    m.interpolate(1.0, v.h(), v.yBefore(), yNew, 0, 1, null == null ? stageWorkspaceOf(v) : null);
                    checked[0]++;
                }).build());
        assertTrue(checked[0] > 3);
    }

    private static RkWorkspace stageWorkspaceOf(StepView v) {
        // The view's arrays are the workspace's; rebuild a workspace around them is not possible, so interpolate in a
        // fresh one filled with the view's stages.
        RungeKutta m = (RungeKutta) v.method();
        RkWorkspace ws = m.newWorkspace(Problems.LORENZ, 1, 3);
        for (int i = 0; i < v.stageCount(); i++) System.arraycopy(v.stages()[i], 0, ws.stages()[i], 0, 3);
        return ws;
    }

    @Test
    void tableauAccessorsAreCopiesAndAgreeWithScalarAccessors() {
        ButcherTableau t = RungeKutta.dopri5Torchdiffeq().tableau();
        double[][] a = t.a();
        a[1][0] = 99;
        assertEquals(0.2, t.a(1, 0), 0.0);
        double[] e = t.e();
        double[] bHat = t.bHat();
        // Shampine's error weights are 2/3 of Dormand and Prince's (docs/ALGORITHMS.md §2).
        double[] eStd = RungeKutta.dopri5().tableau().e();
        for (int i = 0; i < 7; i++) {
            assertEquals(t.b(i) - bHat[i], e[i], 1e-17);
            assertEquals(2.0 / 3.0 * eStd[i], e[i], 1e-15, "e_" + i);
        }
        assertTrue(t.isFsal());
        assertTrue(RungeKutta.tsit5().tableau().isFsal() && RungeKutta.bosh3().tableau().isFsal());
        for (RungeKutta m : new RungeKutta[]{RungeKutta.euler(), RungeKutta.midpoint(), RungeKutta.heun(),
                RungeKutta.ralston(), RungeKutta.rk4(), RungeKutta.rk4ThreeEighths(), RungeKutta.dop853()})
            assertTrue(!m.tableau().isFsal(), m.name() + " is not FSAL");
        SolveOptions torch = SolveOptions.builder().torchdiffeqCompatible(true).build();
        assertSame(RungeKutta.dopri5Torchdiffeq(), TorchdiffeqConventions.method(RungeKutta.dopri5(), torch));
        assertSame(RungeKutta.tsit5(), TorchdiffeqConventions.method(RungeKutta.tsit5(), torch));
    }

    @Test
    void workspaceIsReusedAcrossSolvesAndShapes() {
        SolverWorkspace ws = new SolverWorkspace();
        double[] y0 = {1, 1, 1, 2, 2, 2};
        Solution a = Solver.solve(Problems.LORENZ, y0, 2, 0, 1, RungeKutta.dopri5(), SolveOptions.defaults(), ws);
        Solution b = Solver.solve(Problems.LORENZ, Arrays.copyOf(y0, 3), 1, 0, 1, RungeKutta.dopri5(),
                SolveOptions.defaults(), ws);
        Solution c = Solver.solve(Problems.LORENZ, y0, 2, 0, 1, RungeKutta.dopri5(), SolveOptions.defaults(), ws);
        assertArrayEquals(a.lastState(), c.lastState(), 0.0);
        assertEquals(3, b.lastState().length);
    }
}
