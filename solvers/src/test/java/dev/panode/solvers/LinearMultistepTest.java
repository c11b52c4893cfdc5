package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Convergence order of every multistep method and starter, fitted as a slope (docs/ALGORITHMS.md §11). */
class LinearMultistepTest {

    /** y' = A y with A = [[−0.1, 1], [−1, −0.1]]: y(t) = e^{−0.1t}·rotation(−t)·y0. */
    private static final VectorField DAMPED_ROTATION = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                double a = y[2 * r];
                double b = y[2 * r + 1];
                dy[2 * r] = -0.1 * a + b;
                dy[2 * r + 1] = -a - 0.1 * b;
            }
        }

        @Override
        public int dim() {
            return 2;
        }
    };

    /** y' = −t y², y(0) = 1: y(t) = 1/(1 + t²/2); non-autonomous, so the starter's stage times matter. */
    private static final VectorField RICCATI = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) dy[r] = -t * y[r] * y[r];
        }

        @Override
        public int dim() {
            return 1;
        }
    };

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of(Leapfrog.of(), 2),
                Arguments.of(Leapfrog.of(Starter.RK4), 2),
                Arguments.of(AdamsBashforth.of(2, Starter.EULER), 2),
                Arguments.of(AdamsBashforth.of(2), 2),
                Arguments.of(AdamsBashforth.of(3), 3),
                Arguments.of(AdamsBashforth.of(4), 4));
    }

    private static double errorRotation(LinearMultistep m, int steps) {
        double t1 = 2.0;
        double[] y0 = {1.0, 0.5, -0.3, 0.8};
        double[][] states = new double[steps + 1][4];
        StepwiseField f = StepwiseField.of(DAMPED_ROTATION);
        MultistepSolver.integrate(m, f, 0.0, t1 / steps, steps, y0, 2, states, new MultistepWorkspace(m, f, 2));
        double e = 0;
        double decay = Math.exp(-0.1 * t1);
        double c = Math.cos(t1);
        double s = Math.sin(t1);
        for (int r = 0; r < 2; r++) {
            double a = y0[2 * r];
            double b = y0[2 * r + 1];
            e = Math.max(e, Math.abs(states[steps][2 * r] - decay * (c * a + s * b)));
            e = Math.max(e, Math.abs(states[steps][2 * r + 1] - decay * (-s * a + c * b)));
        }
        return e;
    }

    private static double errorRiccati(LinearMultistep m, int steps) {
        double t1 = 2.0;
        double[][] states = new double[steps + 1][1];
        StepwiseField f = StepwiseField.of(RICCATI);
        MultistepSolver.integrate(m, f, 0.0, t1 / steps, steps, new double[] {1.0}, 1, states,
                new MultistepWorkspace(m, f, 1));
        return Math.abs(states[steps][0] - 1.0 / (1.0 + 0.5 * t1 * t1));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void convergesAtItsDeclaredOrder(LinearMultistep m, int order) {
        assertEquals(order, m.order());
        for (int problem = 0; problem < 2; problem++) {
            double[] logH = new double[4];
            double[] logE = new double[4];
            for (int i = 0; i < 4; i++) {
                int steps = 40 << i;
                logH[i] = Math.log(2.0 / steps);
                logE[i] = Math.log(problem == 0 ? errorRotation(m, steps) : errorRiccati(m, steps));
            }
            double slope = ConvergenceOrderTest.slope(logH, logE);
            assertEquals(order, slope, 0.3, m + " on problem " + problem);
        }
    }

    @Test
    void oneEvaluationPerStepAfterTheStarter() {
        LinearMultistep ab4 = AdamsBashforth.of(4);
        StepwiseField f = StepwiseField.of(DAMPED_ROTATION);
        double[][] states = new double[51][2];
        int nfe = MultistepSolver.integrate(ab4, f, 0.0, 0.01, 50, new double[] {1, 0}, 1, states,
                new MultistepWorkspace(ab4, f, 1));
        assertEquals(3 * 4 + 47, nfe);
    }

    @Test
    void fewerStepsThanTheStarterNeedsUseTheStarterOnly() {
        LinearMultistep ab4 = AdamsBashforth.of(4);
        StepwiseField f = StepwiseField.of(RICCATI);
        double[][] states = new double[3][1];
        MultistepSolver.integrate(ab4, f, 0.0, 0.1, 2, new double[] {1.0}, 1, states, new MultistepWorkspace(ab4, f, 1));
        assertEquals(1.0 / (1.0 + 0.5 * 0.04), states[2][0], 1e-7);
    }

    @Test
    void methodsAreValuesSoAWorkspaceServesEqualInstances() {
        assertEquals(Leapfrog.of(), Leapfrog.of());
        assertEquals(AdamsBashforth.of(3), AdamsBashforth.of(3, Starter.RK3));
        assertTrue(!Leapfrog.of().equals(Leapfrog.of(Starter.RK4)));
        assertTrue(!AdamsBashforth.of(2).equals(AdamsBashforth.of(3)));
        StepwiseField f = StepwiseField.of(RICCATI);
        MultistepWorkspace ws = new MultistepWorkspace(Leapfrog.of(), f, 1);
        double[][] states = new double[5][1];
        MultistepSolver.integrate(Leapfrog.of(), f, 0.0, 0.1, 4, new double[] {1.0}, 1, states, ws);
        assertEquals(1.0 / (1.0 + 0.5 * 0.16), states[4][0], 5e-3); // h = 0.1: second-order error ~1e-3
    }

    @Test
    void argumentsAreCheckedWithTheirNamesAndValues() {
        LinearMultistep lf = Leapfrog.of();
        StepwiseField f = StepwiseField.of(DAMPED_ROTATION);
        MultistepWorkspace ws = new MultistepWorkspace(lf, f, 2);
        double[][] states = new double[11][4];
        assertMessage("h must be finite and non-zero, got 0.0",
                () -> MultistepSolver.integrate(lf, f, 0.0, 0.0, 10, new double[4], 2, states, ws));
        assertMessage("rows must be in 1..2, got 3",
                () -> MultistepSolver.integrate(lf, f, 0.0, 0.1, 10, new double[6], 3, states, ws));
        assertMessage("states must hold steps+1 = 12 arrays, got 11",
                () -> MultistepSolver.integrate(lf, f, 0.0, 0.1, 11, new double[4], 2, states, ws));
        assertMessage("y0[1] must be finite, got NaN",
                () -> MultistepSolver.integrate(lf, f, 0.0, 0.1, 10, new double[] {0, Double.NaN, 0, 0}, 2, states, ws));
        assertMessage("ws must be built for",
                () -> MultistepSolver.integrate(AdamsBashforth.of(3), f, 0.0, 0.1, 10, new double[4], 2, states, ws));
        assertMessage("order must be 2, 3 or 4, got 5", () -> AdamsBashforth.of(5));
    }

    private static void assertMessage(String prefix, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
