package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Linear multistep methods through the common entry point {@link Solver#solve}. */
class MultistepSolveTest {

    /** y' = A y with A = [[−0.1, 1], [−1, −0.1]], plus a time-dependent forcing in the first component. */
    private static final VectorField FORCED = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                double a = y[2 * r];
                double b = y[2 * r + 1];
                dy[2 * r] = -0.1 * a + b + Math.sin(3 * t);
                dy[2 * r + 1] = -a - 0.1 * b;
            }
        }

        @Override
        public int dim() {
            return 2;
        }
    };

    private static final double[] Y0 = {1.0, 0.5, -0.3, 0.8};

    @Test
    void solveGivesExactlyTheStatesOfTheBufferApi() {
        for (LinearMultistep m : new LinearMultistep[] {Leapfrog.of(), Leapfrog.of(Starter.RK4), AdamsBashforth.of(2),
                AdamsBashforth.of(3), AdamsBashforth.of(4)}) {
            int steps = 37;
            Solution sol = Solver.solve(FORCED, Y0, 2, 0.2, 1.7, m,
                    SolveOptions.builder().steps(steps).saveAt(SaveAt.steps()).build());
            assertTrue(sol.isSuccess(), sol.toString());
            assertEquals(steps + 1, sol.size());
            StepwiseField f = StepwiseField.of(FORCED);
            double[][] states = new double[steps + 1][4];
            int nfe = MultistepSolver.integrate(m, f, 0.2, 1.5 / steps, steps, Y0, 2, states,
                    new MultistepWorkspace(m, f, 2));
            assertEquals(nfe, sol.stats().nfe(), m.name() + " nfe");
            assertEquals(steps, sol.stats().accepted());
            for (int i = 0; i <= steps; i++) {
                double[] s = sol.state(i);
                for (int j = 0; j < 4; j++) assertEquals(states[i][j], s[j], 1e-13, m.name() + " state " + i);
            }
        }
    }

    @Test
    void savedTimesAreInterpolatedToThirdOrderWithoutExtraEvaluationsPerStep() {
        double[] times = {0.33, 0.9, 1.41};
        LinearMultistep ab4 = AdamsBashforth.of(4);
        Solution reference = Solver.solve(FORCED, Y0, 2, 0.0, 1.5, RungeKutta.rk4(),
                SolveOptions.builder().steps(6000).saveAt(SaveAt.times(times)).build());
        double[] err = new double[2];
        int[] stepCounts = {60, 120};
        for (int c = 0; c < 2; c++) {
            Solution sol = Solver.solve(FORCED, Y0, 2, 0.0, 1.5, ab4,
                    SolveOptions.builder().steps(stepCounts[c]).saveAt(SaveAt.times(times)).build());
            assertEquals(times.length, sol.size());
            for (int i = 0; i < times.length; i++) {
                double[] a = sol.state(i);
                double[] b = reference.state(i);
                for (int j = 0; j < 4; j++) err[c] = Math.max(err[c], Math.abs(a[j] - b[j]));
            }
            // 3 starter steps of 4 stages, then one evaluation per step whether or not it interpolates.
            assertEquals(3 * 4 + (stepCounts[c] - 3), sol.stats().nfe());
        }
        double slope = Math.log(err[0] / err[1]) / Math.log(2.0);
        assertTrue(slope > 2.7, "interpolation error slope " + slope + ", errors " + err[0] + ", " + err[1]);
    }

    @Test
    void perStepFieldsGetTheirStepIndexThroughSolve() {
        int steps = 8;
        StepwiseField ramp = new StepwiseField() {
            @Override
            public void evaluateAtStep(int step, double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
                for (int i = 0; i < rows; i++) dy[i] = step;
            }

            @Override
            public int dim() {
                return 1;
            }

            @Override
            public int steps() {
                return steps;
            }
        };
        Solution sol = Solver.solve(ramp, new double[] {0.0}, 1, 0.0, 1.0, AdamsBashforth.of(2, Starter.EULER),
                SolveOptions.builder().steps(steps).saveAt(SaveAt.steps()).build());
        // z_1 = h·0; z_{n+1} = z_n + h(1.5 n − 0.5 (n−1)) = z_n + h(n + 0.5) for n ≥ 1.
        double h = 1.0 / steps;
        double z = 0.0;
        for (int n = 1; n < steps; n++) z += h * (n + 0.5);
        assertEquals(z, sol.lastState()[0], 1e-14);
        assertThrows(UnsupportedOperationException.class,
                () -> Solver.solve(ramp, new double[] {0.0}, 1, 0.0, 1.0, RungeKutta.rk4(),
                        SolveOptions.builder().steps(steps).build()));
    }

    @Test
    void adaptiveControllersAndUnevenGridsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Solver.solve(FORCED, Y0, 2, 0.0, 1.0, Leapfrog.of(), SolveOptions.defaults()));
        assertTrue(e.getMessage().contains("leapfrog"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Solver.solve(FORCED, Y0, 2, 0.0, 1.0, Leapfrog.of(), SolveOptions.builder().dt(0.3).build()));
        assertTrue(e.getMessage().contains("uniform"), e.getMessage());
    }
}
