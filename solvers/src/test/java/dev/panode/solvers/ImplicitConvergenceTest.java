package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fitted convergence orders of the implicit methods with constant steps: on dy/dt = A y against expm(A t) y0, with a
 * stiff eigenvalue added (−1000, where an explicit method of these step sizes would blow up), and on a nonlinear
 * non-autonomous problem against a tight dop853 solution (this exercises ∂f/∂t of the Rosenbrock method and the
 * Newton iteration on a nonlinear stage equation).
 */
class ImplicitConvergenceTest {
    // with constant steps the Newton iteration's norm is scaled by the default tolerances (rtol 1e-7, atol 1e-9): a
    // small κ keeps the iteration error well below the truncation error, so that it does not blur the slope
    private static final List<OdeMethod> METHODS = List.of(Esdirk.kvaerno5().withNewtonTolerance(1e-6),
            Rosenbrock.rodas5p());
    private static final double[] A = {-0.1, 2.0, 0.0, -2.0, -0.1, 0.5, 0.0, -0.3, -0.5};
    private static final double[] Y0 = {1.0, 0.0, 0.5, -0.5, 1.5, -1.0};

    /** y' = −y³ + sin(3t) y + cos(t), one component per row. */
    private static final VectorField NONLINEAR = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) dy[r] = -y[r] * y[r] * y[r] + Math.sin(3 * t) * y[r] + Math.cos(t);
        }

        @Override
        public int dim() {
            return 1;
        }
    };

    private static SolveOptions fixed(int steps) {
        return SolveOptions.builder().steps(steps).build();
    }

    @Test
    void linearProblemAgainstTheMatrixExponential() {
        VectorField f = Problems.linear(A, 3);
        double[] exact = Problems.linearExact(A, 3, Y0, 2.0);
        for (OdeMethod m : METHODS) {
            double slope = fittedOrder(m, f, Y0, 2, 2.0, exact, new int[] {8, 16, 32, 64});
            // at least the declared order; on linear constant-coefficient problems Rodas5P reaches 6
            assertTrue(slope > m.order() - 0.3 && slope < m.order() + 1.3, m.name() + ": fitted order " + slope);
        }
    }

    @Test
    void stiffLinearProblemStaysStableAndConverges() {
        double[] a = {-0.1, 2.0, 0.0, -2.0, -0.1, 0.5, 0.0, 0.0, -1000.0};
        VectorField f = Problems.linear(a, 3);
        double[] exact = Problems.linearExact(a, 3, Y0, 2.0);
        for (OdeMethod m : METHODS) {
            // h = 1/8 .. 1/64: |hλ| from 125 to 16 on the stiff mode
            double slope = fittedOrder(m, f, Y0, 2, 2.0, exact, new int[] {16, 32, 64, 128});
            assertTrue(slope > 3.5, m.name() + ": fitted order " + slope + " on the stiff linear problem");
        }
    }

    @Test
    void nonlinearNonAutonomousProblem() {
        double[] y0 = {0.5, -1.0};
        Solution ref = Solver.solve(NONLINEAR, y0, 2, 0.0, 3.0, RungeKutta.dop853(),
                SolveOptions.builder().rtol(1e-13).atol(1e-13).build());
        // with constant steps a stage whose Newton iteration does not converge is fatal (an adaptive solve would cut the
        // step); the tight stopping rule needs more than the default 7 iterations from the first, long steps
        for (OdeMethod m : List.of(Esdirk.kvaerno5().withNewton(20, 0.05, 0.3).withNewtonTolerance(1e-6),
                Rosenbrock.rodas5p())) {
            double slope = fittedOrder(m, NONLINEAR, y0, 2, 3.0, ref.lastState(), new int[] {32, 64, 128, 256});
            assertEquals(m.order(), slope, 0.4, m.name() + ": fitted order " + slope);
        }
    }

    private static double fittedOrder(OdeMethod m, VectorField f, double[] y0, int rows, double t1, double[] exact,
                                      int[] steps) {
        double[] logH = new double[steps.length], logE = new double[steps.length];
        StringBuilder errors = new StringBuilder();
        for (int i = 0; i < steps.length; i++) {
            Solution sol = Solver.solve(f, y0, rows, 0.0, t1, m, fixed(steps[i]));
            double err = Problems.maxAbsDiff(sol.lastState(), exact);
            logH[i] = Math.log(t1 / steps[i]);
            logE[i] = Math.log(err);
            errors.append(String.format(" %.2e", err));
        }
        double slope = ConvergenceOrderTest.slope(logH, logE);
        System.out.printf("[ImplicitConvergenceTest] %s: errors%s, fitted order %.2f%n", m.name(), errors, slope);
        return slope;
    }
}
