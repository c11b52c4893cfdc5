package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fitted convergence order of every tableau on dy/dt = A y against expm(A t) y0 (docs/ALGORITHMS.md §11). */
class ConvergenceOrderTest {
    static final double[] A = {-0.1, 2.0, 0.0, -2.0, -0.1, 0.5, 0.0, -0.3, -0.5};
    static final double[] Y0 = {1.0, 0.0, 0.5, -0.5, 1.5, -1.0};
    static final double T = 2.0;

    /** Step counts per method, chosen so that each fit stays in the asymptotic range and above round-off. */
    private static final Map<String, int[]> STEPS = Map.ofEntries(
            Map.entry("euler", new int[]{64, 128, 256, 512}),
            Map.entry("midpoint", new int[]{32, 64, 128, 256}),
            Map.entry("heun", new int[]{32, 64, 128, 256}),
            Map.entry("ralston", new int[]{32, 64, 128, 256}),
            Map.entry("rk4", new int[]{16, 32, 64, 128}),
            Map.entry("rk4-38", new int[]{16, 32, 64, 128}),
            Map.entry("bosh3", new int[]{16, 32, 64, 128}),
            Map.entry("dopri5", new int[]{8, 16, 32, 64}),
            Map.entry("dopri5-torchdiffeq", new int[]{8, 16, 32, 64}),
            Map.entry("tsit5", new int[]{32, 64, 128, 256}),
            Map.entry("dop853", new int[]{4, 6, 8, 12}));

    /** Every Runge–Kutta method of the catalogue: a method added there without step counts here fails. */
    static Stream<Arguments> methods() {
        return Methods.rungeKuttaNames().stream().map(name -> {
            int[] steps = STEPS.get(name);
            if (steps == null) throw new AssertionError("no step counts for catalogue method " + name);
            return Arguments.of(Methods.rungeKutta(name), steps);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void fittedOrderMatchesDeclaredOrder(RungeKutta method, int[] steps) {
        VectorField f = Problems.linear(A, 3);
        double[] exact = Problems.linearExact(A, 3, Y0, T);
        double[] logH = new double[steps.length], logE = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            Solution sol = Solver.solve(f, Y0, 2, 0.0, T, method,
                    SolveOptions.builder().steps(steps[i]).build());
            assertEquals(steps[i], sol.stats().accepted());
            double err = Problems.maxAbsDiff(sol.lastState(), exact);
            logH[i] = Math.log(T / steps[i]);
            logE[i] = Math.log(err);
        }
        double slope = slope(logH, logE);
        assertEquals(method.order(), slope, 0.3, method.name() + ": fitted order " + slope);
    }

    static double slope(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    @Test
    void classicRk4With64StepsReproducesTheReferenceDiscreteSolution() {
        JsonNode root = Reference.read("linear_3x3.json");
        double[] a = Reference.flat(root.get("model").get("A"));
        double[] z0 = Reference.flat(root.get("z0"));
        double[] t = Reference.flat(root.get("t"));
        double[] ref = Reference.flat(root.get("solutions").get("rk4_classic_64").get("z"));
        for (RungeKutta m : new RungeKutta[]{RungeKutta.rk4(), RungeKutta.rk4ThreeEighths()}) {
            Solution sol = Solver.solve(Problems.linear(a, 3), z0, 2, t[0], t[t.length - 1], m,
                    SolveOptions.builder().steps(64).saveAt(SaveAt.times(t)).build());
            assertEquals(t.length, sol.size());
            double err = Problems.maxAbsDiff(sol.states(), ref);
            assertTrue(err < 1e-13, m.name() + " vs rk4_classic_64: " + err);
        }
    }

    @Test
    void constantStepWithDtShortensOnlyTheLastStep() {
        VectorField f = Problems.linear(A, 3);
        Solution sol = Solver.solve(f, Y0, 2, 0.0, 1.0, RungeKutta.rk4(),
                SolveOptions.builder().dt(0.3).saveAt(SaveAt.steps()).build());
        assertEquals(4, sol.stats().accepted());
        assertEquals(0.3, sol.time(1), 1e-15);
        assertEquals(0.9, sol.time(3), 1e-15);
        assertEquals(1.0, sol.time(4));
        assertEquals(4 * 4, sol.stats().nfe(), "rk4: 4 evaluations per step, none wasted");
    }
}
