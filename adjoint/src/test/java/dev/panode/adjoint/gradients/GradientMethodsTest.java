package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.TanhField;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients on a small non-autonomous field with an MSE loss at observation times that fall inside steps: finite
 * differences of the discrete solve, agreement of every method, checkpoint budgets and recomputation counts, time
 * gradients, and the off-heap store being freed when a solve throws.
 */
class GradientMethodsTest {
    static final int D = 3;
    static final int ROWS = 2;
    static final double[] Y0 = {0.4, -0.2, 0.9, -1.0, 0.3, 0.1};
    static final double[] TIMES = {0.0, 0.33, 0.71, 1.3};

    static Loss mse() {
        double[][] targets = new double[TIMES.length][];
        for (int i = 1; i < TIMES.length; i++) {
            targets[i] = new double[ROWS * D];
            for (int j = 0; j < targets[i].length; j++) targets[i][j] = Math.cos(i + 0.7 * j);
        }
        return Loss.meanSquaredError(targets);
    }

    static double lossOnly(TanhField f, double[] y0, double[] times, OdeMethod m, SolveOptions o) {
        return Gradients.compute(f, y0, ROWS, times, mse(), m, o, Backprop.storeAll()).loss();
    }

    /** Central differences of the loss of the same discrete solve (fixed steps, so the step grid does not move). */
    @Test
    void backpropEqualsFiniteDifferencesOfTheDiscreteSolve() {
        for (OdeMethod m : List.of(RungeKutta.rk4(), RungeKutta.dopri5(), RungeKutta.bosh3(), RungeKutta.heun(),
                RungeKutta.tsit5(), RungeKutta.dop853(), RungeKutta.euler())) {
            TanhField f = new TanhField(D, 3);
            SolveOptions o = SolveOptions.builder().steps(7).build();
            GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, mse(), m, o, Backprop.storeAll());
            double eps = 1e-6;
            for (int j = 0; j < Y0.length; j++) {
                double[] p = Y0.clone();
                p[j] += eps;
                double lp = lossOnly(f, p, TIMES, m, o);
                p[j] -= 2 * eps;
                double lm = lossOnly(f, p, TIMES, m, o);
                assertEquals((lp - lm) / (2 * eps), g.dLdy0()[j], 2e-9, m.name() + " dL/dy0[" + j + "]");
            }
            for (int q = 0; q < f.theta.length; q++) {
                double keep = f.theta[q];
                f.theta[q] = keep + eps;
                double lp = lossOnly(f, Y0, TIMES, m, o);
                f.theta[q] = keep - eps;
                double lm = lossOnly(f, Y0, TIMES, m, o);
                f.theta[q] = keep;
                assertEquals((lp - lm) / (2 * eps), g.dLdTheta()[q], 2e-9, m.name() + " dL/dθ[" + q + "]");
            }
        }
    }

    @Test
    void allMethodsAgree() {
        TanhField f = new TanhField(D, 5);
        SolveOptions tight = SolveOptions.builder().rtol(1e-11).atol(1e-12).build();
        GradientResult ref = Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.dopri5(), tight,
                Backprop.storeAll());
        List<GradientMethod> methods = List.of(new Backprop(Checkpointing.binomial(3)),
                new Backprop(Checkpointing.budget(4L * 8 * Y0.length)), BacksolveAdjoint.of(AdjointNorm.FULL),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM), InterpolatingAdjoint.of(AdjointNorm.FULL),
                InterpolatingAdjoint.of(AdjointNorm.SEMINORM),
                InterpolatingAdjoint.of(AdjointNorm.SEMINORM).withCheckpointing(Checkpointing.binomial(3)),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM).withTolerances(1e-12, 1e-13),
                new BacksolveAdjoint(AdjointNorm.FULL, 1e-11, 1e-12, RungeKutta.tsit5()),
                new InterpolatingAdjoint(Checkpointing.all(), AdjointNorm.SEMINORM, 1e-11, 1e-12, RungeKutta.dop853()));
        for (OdeMethod m : List.of(RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.dop853(), RungeKutta.bosh3())) {
            for (GradientMethod gm : methods) {
                SolveOptions o = m == RungeKutta.bosh3() ? SolveOptions.builder().rtol(1e-10).atol(1e-12).build()
                        : tight;
                GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, mse(), m, o, gm);
                String what = m.name() + " " + gm;
                // dop853 saves through a cubic Hermite interpolant across its long steps: its discrete solution, and
                // so the exact gradient of it, is off at the interior observation times by the interpolant's error,
                // O(h⁴); with Hairer's combined error estimate its steps are longer (about half the evaluations), and
                // the gradients 7e-6 off (1e-7 before). dop853Dense interpolates to seventh order.
                double tol = m == RungeKutta.dop853() ? 2e-5 : 1e-7;
                assertTrue(ReferenceData.relative(g.dLdy0(), ref.dLdy0()) < tol,
                        what + " dL/dy0: " + ReferenceData.relative(g.dLdy0(), ref.dLdy0()));
                assertTrue(ReferenceData.relative(g.dLdTheta(), ref.dLdTheta()) < tol,
                        what + " dL/dθ: " + ReferenceData.relative(g.dLdTheta(), ref.dLdTheta()));
                assertEquals(ref.loss(), g.loss(), 0.1 * tol * Math.abs(ref.loss()), what);
            }
        }
    }

    @Test
    void checkpointsGiveTheSameGradientWithinTheBudgetAndTheTheorysRecomputation() {
        TanhField f = new TanhField(D, 9);
        long slotBytes = 8L * Y0.length;
        // adaptive: n unknown during the forward pass, the reversal makes its own sweep: T(n, s) steps
        SolveOptions adaptive = SolveOptions.builder().rtol(1e-9).atol(1e-11).build();
        GradientResult all = Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.dopri5(), adaptive,
                Backprop.storeAll());
        int n = (int) all.stats().forwardSteps();
        assertTrue(n > 20, "enough steps to matter: " + n);
        assertEquals(0, all.stats().stepsRecomputed());
        for (int slots : new int[] {1, 2, 3, 5, 8}) {
            for (Checkpointing cp : List.of(Checkpointing.binomial(slots), Checkpointing.budget(slots * slotBytes + 7))) {
                GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.dopri5(), adaptive,
                        new Backprop(cp));
                assertArrayEquals(all.dLdTheta(), g.dLdTheta(), 0.0, "replayed steps are bit-identical: " + cp);
                assertArrayEquals(all.dLdy0(), g.dLdy0(), 0.0);
                assertTrue(g.stats().checkpointBytes() <= slots * slotBytes, cp + ": " + g.stats().checkpointBytes());
                assertEquals(Revolve.minimalForwardSteps(n, slots), g.stats().stepsRecomputed(), cp.toString());
            }
        }
        // fixed steps: n is known, the forward pass is the first sweep: T(n, s) − (n − 1)
        SolveOptions fixed = SolveOptions.builder().steps(50).build();
        for (int slots : new int[] {2, 4, 10}) {
            GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.rk4(), fixed,
                    new Backprop(Checkpointing.binomial(slots)));
            GradientResult ref = Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.rk4(), fixed,
                    Backprop.storeAll());
            assertArrayEquals(ref.dLdTheta(), g.dLdTheta(), 0.0);
            assertEquals(Revolve.minimalForwardSteps(50, slots) - 49, g.stats().stepsRecomputed());
            assertTrue(g.stats().checkpointBytes() <= slots * slotBytes);
        }
        // the interpolating adjoint thins its checkpoints to stay within the budget
        for (int slots : new int[] {1, 2, 5}) {
            GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.dopri5(), adaptive,
                    InterpolatingAdjoint.of(AdjointNorm.SEMINORM).withCheckpointing(Checkpointing.budget(slots * slotBytes)));
            assertTrue(g.stats().checkpointBytes() <= slots * slotBytes);
            assertTrue(ReferenceData.relative(g.dLdTheta(), all.dLdTheta()) < 1e-6);
        }
        var e = assertThrows(CheckpointBudgetExceededException.class, () -> Gradients.compute(f, Y0, ROWS, TIMES,
                mse(), RungeKutta.dopri5(), adaptive, new Backprop(Checkpointing.budget(slotBytes - 1))));
        assertTrue(e.getMessage().contains(Long.toString(slotBytes - 1)), e.getMessage());
    }

    @Test
    void timeGradientsMatchFiniteDifferences() {
        TanhField f = new TanhField(D, 11);
        SolveOptions tight = SolveOptions.builder().rtol(1e-12).atol(1e-13).build();
        double eps = 1e-5;
        double[] fd = new double[TIMES.length];
        for (int i = 0; i < TIMES.length; i++) {
            double[] t = TIMES.clone();
            t[i] += eps;
            double lp = lossOnly(f, Y0, t, RungeKutta.dopri5(), tight);
            t[i] -= 2 * eps;
            double lm = lossOnly(f, Y0, t, RungeKutta.dopri5(), tight);
            fd[i] = (lp - lm) / (2 * eps);
        }
        for (GradientMethod gm : List.of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.FULL),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM), InterpolatingAdjoint.of(AdjointNorm.SEMINORM))) {
            GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.dopri5(),
                    SolveOptions.builder().rtol(1e-10).atol(1e-12).build(), gm, true);
            for (int i = 0; i < TIMES.length; i++) {
                assertEquals(fd[i], g.dLdTimes()[i], 1e-7 * Math.max(1, Math.abs(fd[i])), gm + " dL/dt[" + i + "]");
            }
        }
        assertEquals(null, Gradients.compute(f, Y0, ROWS, TIMES, mse(), RungeKutta.dopri5(),
                SolveOptions.defaults(), Backprop.storeAll()).dLdTimes());
    }

    @Test
    void theOffHeapStoreIsFreedWhenTheSolveThrows() {
        long before = CheckpointStore.openBytesAllStores();
        TanhField good = new TanhField(D, 1);
        DifferentiableField failing = new DifferentiableField() {
            int calls;
            @Override public int dim() { return D; }
            @Override public int parameterCount() { return good.parameterCount(); }
            @Override public double[] parameters() { return good.parameters(); }
            @Override public void evaluate(double t, double[] y, double[] out, int rows, FieldWorkspace ws) {
                if (++calls > 40) throw new ArithmeticException("field failed on purpose");
                good.evaluate(t, y, out, rows, ws);
            }
            @Override public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar,
                                        double[] fOut, int rows, boolean wantTime, FieldWorkspace ws) {
                return good.vjp(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
            }
        };
        for (GradientMethod gm : List.of(Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.FULL))) {
            assertThrows(ArithmeticException.class, () -> Gradients.compute(failing, Y0, ROWS, TIMES, mse(),
                    RungeKutta.rk4(), SolveOptions.builder().steps(100).build(), gm));
            assertEquals(before, CheckpointStore.openBytesAllStores(), "store freed after " + gm);
        }
    }

    @Test
    void rejectsBadArguments() {
        TanhField f = new TanhField(D, 1);
        SolveOptions o = SolveOptions.defaults();
        GradientMethod g = Backprop.storeAll();
        assertThrows(IllegalArgumentException.class, () -> Gradients.compute(f, Y0, ROWS, new double[] {0.0},
                mse(), RungeKutta.dopri5(), o, g));
        var e = assertThrows(IllegalArgumentException.class, () -> Gradients.compute(f, Y0, ROWS,
                new double[] {0.0, 0.5, 0.5}, mse(), RungeKutta.dopri5(), o, g));
        assertTrue(e.getMessage().contains("times"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gradients.compute(f, new double[5], ROWS, TIMES, mse(),
                RungeKutta.dopri5(), o, g));
        assertThrows(IllegalArgumentException.class, () -> new Backprop(null));
        assertThrows(IllegalArgumentException.class, () -> Checkpointing.binomial(0));
        assertThrows(IllegalArgumentException.class, () -> Checkpointing.budget(0));
        assertThrows(IllegalArgumentException.class, () -> BacksolveAdjoint.of(AdjointNorm.FULL).withTolerances(-1, 1e-8));
    }
}
