package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Linear multistep methods through Solver.solve take exactly MultistepSolver's steps and reach their order. */
class MultistepMethodTest {
    static final double[] A = ConvergenceOrderTest.A;
    static final double[] Y0 = ConvergenceOrderTest.Y0;

    static Stream<Arguments> methods() {
        return Stream.of(Arguments.of(Leapfrog.of()), Arguments.of(AdamsBashforth.of(2)),
                Arguments.of(AdamsBashforth.of(3)), Arguments.of(AdamsBashforth.of(4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void solveEqualsMultistepSolverAndReachesTheOrder(LinearMultistep lmm) {
        VectorField f = Problems.linear(A, 3);
        OdeMethod m = lmm;
        int steps = 64;
        double h = 2.0 / steps;
        Solution sol = Solver.solve(f, Y0, 2, 0, 2, m, SolveOptions.builder().steps(steps).saveAt(SaveAt.steps()).build());
        StepwiseField sf = StepwiseField.of(f);
        double[][] states = new double[steps + 1][6];
        int nfe = MultistepSolver.integrate(lmm, sf, 0, h, steps, Y0, 2, states, new MultistepWorkspace(lmm, sf, 2));
        assertEquals(steps + 1, sol.size());
        for (int i = 0; i <= steps; i++) assertArrayEquals(states[i], sol.state(i), 1e-14, "step " + i);
        assertEquals(nfe, sol.stats().nfe(), "the same evaluations");

        int[] ns = {32, 64, 128, 256};
        double[] logH = new double[ns.length], logE = new double[ns.length];
        double[] exact = Problems.linearExact(A, 3, Y0, 2.0);
        for (int i = 0; i < ns.length; i++) {
            Solution s = Solver.solve(f, Y0, 2, 0, 2, m, SolveOptions.builder().steps(ns[i]).build());
            logH[i] = Math.log(2.0 / ns[i]);
            logE[i] = Math.log(Problems.maxAbsDiff(s.lastState(), exact));
        }
        assertEquals(lmm.order(), ConvergenceOrderTest.slope(logH, logE), 0.3, lmm.name());

        Solution saved = Solver.solve(f, Y0, 2, 0, 2, m,
                SolveOptions.builder().steps(256).saveAt(SaveAt.times(0.3, 1.01, 2.0)).build());
        Solution grid = Solver.solve(f, Y0, 2, 0, 2, m, SolveOptions.builder().steps(256).saveAt(SaveAt.steps()).build());
        double gridErr = 0;
        for (int i = 0; i < grid.size(); i++)
            gridErr = Math.max(gridErr, Problems.maxAbsDiff(grid.state(i), Problems.linearExact(A, 3, Y0, grid.time(i))));
        for (int i = 0; i < 3; i++) {
            double err = Problems.maxAbsDiff(saved.state(i), Problems.linearExact(A, 3, Y0, saved.time(i)));
            // Hermite adds O(h^4) ≈ 1e-9 here to the method's own error at the neighbouring grid points
            assertTrue(err < 1.5 * gridErr + 1e-8, lmm.name() + " at t = " + saved.time(i) + ": " + err + " vs " + gridErr);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void adaptiveControlAndUnevenGridsAreRefused(LinearMultistep lmm) {
        OdeMethod m = lmm;
        VectorField f = Problems.linear(A, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Solver.solve(f, Y0, 2, 0, 1, m, SolveOptions.defaults()));
        assertTrue(e.getMessage().contains("has none: use ConstantStep"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Solver.solve(f, Y0, 2, 0, 1, m, SolveOptions.builder().dt(0.3).build()));
        assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
    }
}
