package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.simd.NormKind;
import org.junit.jupiter.api.Test;

/** Step-size controllers, tolerances and error norms. */
class ControllerAndNormTest {

    @Test
    void iControllerFollowsTorchdiffeqsFormula() {
        IController c = IController.torchdiffeq();
        double[] hist = new double[2];
        assertEquals(10.0, c.factor(0.0, true, 5, hist));
        assertEquals(10.0, c.factor(1e-9, true, 5, hist), "capped by ifactor");
        assertEquals(1.0, c.factor(0.99, true, 5, hist), "an accepted step never shrinks");
        assertEquals(0.9 / Math.pow(0.5, 0.2), c.factor(0.5, true, 5, hist), 1e-15);
        assertEquals(0.9 / Math.pow(2.0, 0.2), c.factor(2.0, false, 5, hist), 1e-15);
        assertEquals(0.2, c.factor(1e6, false, 5, hist), "floored by dfactor");
        assertEquals(0.2, c.factor(Double.NaN, false, 5, hist), "non-finite attempt");
        assertEquals(0.9, c.factor(1.0, true, 5, hist), 1e-15, "at ratio 1 torchdiffeq keeps dfactor as the floor");
    }

    @Test
    void pidControllerFollowsDiffraxsFormula() {
        PidController pi = PidController.gustafsson();
        double[] hist = {1.0, 1.0};
        pi.resetHistory(hist);
        double f1 = pi.factor(0.5, true, 5, hist);
        assertEquals(1.0, f1, "0.9·0.5^(−0.14) = 0.99 is clamped to 1 on accept");
        assertEquals(0.5, hist[0]);
        double f2 = pi.factor(0.25, true, 5, hist);
        assertEquals(0.9 * Math.pow(0.25, -0.7 / 5) * Math.pow(0.5, 0.4 / 5), f2, 1e-15);
        double f3 = pi.factor(4.0, false, 5, hist);
        assertEquals(Math.max(0.2, 0.9 * Math.pow(4.0, -0.7 / 5) * Math.pow(0.25, 0.4 / 5)), f3, 1e-15);
        assertEquals(0.25, hist[0], "history shifts only on accept");
        assertEquals(1.0, pi.factor(0.99, true, 5, hist) >= 1.0 ? 1.0 : 0.0, "clamped to >= 1 on accept");
    }

    @Test
    void integralPidTakesTheSameStepsAsTheIController() {
        double[] y0 = {1, 1, 1};
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        Solution i = Solver.solve(Problems.LORENZ, y0, 1, 0, 20, RungeKutta.dopri5(), o);
        Solution p = Solver.solve(Problems.LORENZ, y0, 1, 0, 20, RungeKutta.dopri5(),
                o.toBuilder().controller(PidController.integral()).build());
        assertEquals(i.stats(), p.stats());
        Solution g = Solver.solve(Problems.VAN_DER_POL, new double[]{2, 0}, 1, 0, 20, RungeKutta.dopri5(),
                o.toBuilder().rtol(1e-9).atol(1e-11).controller(PidController.gustafsson()).build());
        double[] ref = Reference.flat(Reference.read("classic_odes.json").get("problems").get(1)
                .get("y_t1_dop853_rtol1e-13_atol1e-14"));
        assertTrue(Problems.maxAbsDiff(g.lastState(), ref) < 1e-6, "PI-controlled Van der Pol vs the reference");
    }

    @Test
    void lorenzAndVanDerPolAgreeWithTheReferenceEndStates() {
        var problems = Reference.read("classic_odes.json").get("problems");
        double[] vdp = Reference.flat(problems.get(1).get("y_t1_dop853_rtol1e-13_atol1e-14"));
        double[] lor = Reference.flat(problems.get(0).get("y_t1_dop853_rtol1e-13_atol1e-14"));
        for (RungeKutta m : new RungeKutta[]{RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.dop853()}) {
            SolveOptions o = SolveOptions.builder().rtol(1e-11).atol(1e-13).build();
            Solution v = Solver.solve(Problems.VAN_DER_POL, new double[]{2, 0}, 1, 0, 20, m, o);
            assertTrue(Problems.maxAbsDiff(v.lastState(), vdp) < 1e-8, m.name() + " Van der Pol");
            // Lorenz is chaotic: at T = 20 errors grow by ~e^(0.9·20); only tight tolerances agree.
            Solution l = Solver.solve(Problems.LORENZ, new double[]{1, 1, 1}, 1, 0, 20, m, o);
            assertTrue(Problems.maxAbsDiff(l.lastState(), lor) < 1e-2, m.name() + " Lorenz: "
                    + Problems.maxAbsDiff(l.lastState(), lor));
        }
    }

    @Test
    void perComponentTolerancesEqualScalarsWhenEqual() {
        double[] y0 = {1, 1, 1, 2, 0, 3};
        SolveOptions s = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        SolveOptions v = s.toBuilder().rtol(new double[]{1e-6, 1e-6, 1e-6}).atol(new double[]{1e-8, 1e-8, 1e-8}).build();
        Solution a = Solver.solve(Problems.LORENZ, y0, 2, 0, 2, RungeKutta.dopri5(), s);
        Solution b = Solver.solve(Problems.LORENZ, y0, 2, 0, 2, RungeKutta.dopri5(), v);
        assertEquals(a.stats(), b.stats());
        SolveOptions loose = s.toBuilder().rtol(new double[]{1e-6, 1e-6, 1e-2}).build();
        assertTrue(Solver.solve(Problems.LORENZ, y0, 2, 0, 2, RungeKutta.dopri5(), loose).stats().nfe()
                < a.stats().nfe(), "a looser tolerance on z takes fewer steps");
        Solution max = Solver.solve(Problems.LORENZ, y0, 2, 0, 2, RungeKutta.dopri5(), s.toBuilder().norm(NormKind.MAX).build());
        assertTrue(max.stats().nfe() >= a.stats().nfe(), "the max norm is stricter than RMS");
    }

    @Test
    void customNormIsUsedForAcceptanceAndInitialStep() {
        int[] calls = {0};
        ErrorNorm rms = ErrorNorm.rms();
        ErrorNorm counting = (v, ya, yb, rows, dim, atol, rtol, av, rv) -> {
            calls[0]++;
            return rms.measure(v, ya, yb, rows, dim, atol, rtol, av, rv);
        };
        double[] y0 = {1, 1, 1};
        Solution s = Solver.solve(Problems.LORENZ, y0, 1, 0, 1, RungeKutta.dopri5(),
                SolveOptions.builder().errorNorm(counting).build());
        assertEquals(s.stats().steps() + 3, calls[0], "three norms in the initial step, one per attempt");
        assertEquals(Solver.solve(Problems.LORENZ, y0, 1, 0, 1, RungeKutta.dopri5(), SolveOptions.defaults()).stats(),
                s.stats());
    }

    @Test
    void seminormIgnoresTheGivenRanges() {
        // Two copies of Van der Pol; the second has a component that the seminorm ignores and that is driven hard.
        VectorField f = new VectorField() {
            @Override
            public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
                dy[0] = y[1];
                dy[1] = (1 - y[0] * y[0]) * y[1] - y[0];
                dy[2] = 50 * Math.cos(50 * t) * (1 + y[0] * y[0]); // a quadrature: never fed back
            }

            @Override
            public int dim() {
                return 3;
            }
        };
        double[] y0 = {2, 0, 0};
        SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).build();
        Solution full = Solver.solve(f, y0, 1, 0, 5, RungeKutta.dopri5(), o);
        Solution semi = Solver.solve(f, y0, 1, 0, 5, RungeKutta.dopri5(),
                o.toBuilder().errorNorm(ErrorNorm.seminorm(NormKind.RMS, 2, 3)).build());
        assertTrue(semi.stats().nfe() < full.stats().nfe(), semi.stats() + " vs " + full.stats());
        assertTrue(Math.abs(semi.lastState()[0] - full.lastState()[0]) < 1e-6);
        // with per-component tolerances the same seminorm path is used
        Solution semiVec = Solver.solve(f, y0, 1, 0, 5, RungeKutta.dopri5(), o.toBuilder()
                .atol(new double[]{1e-10, 1e-10, 1e-10}).errorNorm(ErrorNorm.seminorm(NormKind.RMS, 2, 3)).build());
        assertEquals(semi.stats(), semiVec.stats());
    }

    @Test
    void dtMaxBoundsEveryStepAndDt0SetsTheFirst() {
        double[] maxH = {0};
        double[] firstH = {Double.NaN};
        Solution s = Solver.solve(Problems.VAN_DER_POL, new double[]{2, 0}, 1, 0, 2, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-3).atol(1e-3).dtMax(0.05).dt0(0.01).observer(v -> {
                    if (Double.isNaN(firstH[0])) firstH[0] = v.h();
                    maxH[0] = Math.max(maxH[0], Math.abs(v.h()));
                }).build());
        assertTrue(maxH[0] <= 0.05, "largest step " + maxH[0]);
        assertTrue(s.stats().accepted() >= 40);
        assertEquals(0.01, firstH[0], 0.0, "first step (accepted at this loose tolerance)");
        assertEquals(s.stats().nfe(), 1 + 6 * s.stats().steps(), "dt0 given: no initial-step evaluation");
    }

    @Test
    void sharedMethodAndOptionsAreSafeAcrossThreads() throws Exception {
        SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).saveAt(SaveAt.times(1, 2, 3)).build();
        double[] y0 = {1, 1, 1};
        double[] expected = Solver.solve(Problems.LORENZ, y0, 1, 0, 3, RungeKutta.tsit5(), o).states();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<double[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++)
                results.add(pool.submit(() -> Solver.solve(Problems.LORENZ, y0, 1, 0, 3, RungeKutta.tsit5(), o).states()));
            for (var r : results) org.junit.jupiter.api.Assertions.assertArrayEquals(expected, r.get(), 0.0);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void worstRowNormHoldsEverySampleToTheTolerance() {
        // 15 quiet samples and one fast one: the batch RMS dilutes the fast sample's error by sqrt(16).
        VectorField f = new VectorField() {
            @Override
            public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
                for (int r = 0; r < rows; r++) dy[r] = (r == 0 ? -20.0 : -0.1) * y[r] + Math.cos(t);
            }

            @Override
            public int dim() {
                return 1;
            }
        };
        double[] y0 = new double[16];
        java.util.Arrays.fill(y0, 1.0);
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-6).build();
        Solution rms = Solver.solve(f, y0, 16, 0, 3, RungeKutta.dopri5(), o);
        Solution worst = Solver.solve(f, y0, 16, 0, 3, RungeKutta.dopri5(),
                o.toBuilder().errorNorm(ErrorNorm.worstRow(NormKind.RMS)).build());
        assertTrue(worst.stats().nfe() > rms.stats().nfe(), worst.stats() + " vs " + rms.stats());
        // exact solution of y' = a y + cos t, y(0) = 1
        double a = -20.0, t = 3.0;
        double particular = (-a * Math.cos(t) + Math.sin(t)) / (a * a + 1);
        double exact = (1.0 - (-a) / (a * a + 1)) * Math.exp(a * t) + particular;
        double errWorst = Math.abs(worst.lastState()[0] - exact), errRms = Math.abs(rms.lastState()[0] - exact);
        assertTrue(errWorst < errRms, errWorst + " vs " + errRms);
    }
}
