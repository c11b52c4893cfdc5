package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Interpolants reach their order; save times inside steps, dense output, backward solves and tstops. */
class DenseOutputTest {
    static final double[] A = ConvergenceOrderTest.A;
    static final double[] Y0 = ConvergenceOrderTest.Y0;

    static Stream<Arguments> interpolants() {
        return Stream.of(
                Arguments.of(RungeKutta.dopri5(), 4), Arguments.of(RungeKutta.dopri5Torchdiffeq(), 4),
                Arguments.of(RungeKutta.tsit5(), 4), Arguments.of(RungeKutta.rk4(), 3),
                Arguments.of(RungeKutta.bosh3(), 3), Arguments.of(RungeKutta.dop853(), 3),
                Arguments.of(RungeKutta.dop853Dense(), 7),
                Arguments.of(RungeKutta.rk4ThreeEighths(), 3));
    }

    /** One step of size h from the exact state; the interpolant's error at θ = 0.4 is O(h^(order+1)). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("interpolants")
    void interpolationErrorHasTheInterpolantsOrder(RungeKutta m, int order) {
        assertEquals(order, m.interpolant().order());
        VectorField f = Problems.linear(A, 3);
        double[] hs = order == 7 ? new double[]{1.6, 0.8, 0.4, 0.2} : new double[]{0.2, 0.1, 0.05, 0.025};
        double[] logH = new double[hs.length], logE = new double[hs.length];
        for (int i = 0; i < hs.length; i++) {
            double ts = 0.4 * hs[i];
            Solution sol = Solver.solve(f, Y0, 2, 0, hs[i], m,
                    SolveOptions.builder().steps(1).saveAt(SaveAt.times(ts)).build());
            logH[i] = Math.log(hs[i]);
            logE[i] = Math.log(Problems.maxAbsDiff(sol.state(0), Problems.linearExact(A, 3, Y0, ts)));
        }
        double slope = ConvergenceOrderTest.slope(logH, logE);
        assertEquals(order + 1, slope, 0.3, m.name() + " interpolant: local error slope " + slope);
    }

    @Test
    void interpolantsMatchTheStepAtBothEnds() {
        for (RungeKutta m : new RungeKutta[]{RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.rk4(), RungeKutta.dop853(),
                RungeKutta.dop853Dense()}) {
            Interpolant in = m.interpolant();
            double[] w = new double[in.weightCount()];
            in.weights(0.0, w);
            for (double v : w) assertEquals(0.0, v, 0.0);
            in.weights(1.0, w);
            for (int i = 0; i < w.length; i++)
                assertEquals(i < m.tableau().stages() ? m.tableau().b(i) : 0.0, w[i], 1e-12,
                        m.name() + " w_" + i + "(1) = b_" + i);
        }
    }

    @Test
    void saveTimesInsideStepsEqualDenseOutputAndAreAccurate() {
        VectorField f = Problems.linear(A, 3);
        double[] times = new double[41];
        for (int i = 0; i < times.length; i++) times[i] = 0.05 * i;
        SolveOptions o = SolveOptions.builder().rtol(1e-9).atol(1e-11).build();
        Solution saved = Solver.solve(f, Y0, 2, 0, 2, RungeKutta.tsit5(), o.toBuilder().saveAt(SaveAt.times(times)).build());
        Solution dense = Solver.solve(f, Y0, 2, 0, 2, RungeKutta.tsit5(), o.toBuilder().saveAt(SaveAt.dense()).build());
        Solution plain = Solver.solve(f, Y0, 2, 0, 2, RungeKutta.tsit5(), o);
        assertEquals(plain.stats().accepted(), saved.stats().accepted(), "save times do not force steps");
        assertEquals(saved.stats().accepted(), dense.stats().accepted());
        double[] out = new double[6];
        for (int i = 0; i < times.length; i++) {
            dense.evaluate(times[i], out);
            assertArrayEquals(saved.state(i), out, 1e-15, "t = " + times[i]);
            assertTrue(Problems.maxAbsDiff(out, Problems.linearExact(A, 3, Y0, times[i])) < 1e-8);
        }
        assertEquals(dense.stats().accepted() + 1, dense.size(), "dense also saves every step");
    }

    @Test
    void backwardSolveMatchesTheMatrixExponential() {
        VectorField f = Problems.linear(A, 3);
        for (boolean torchdiffeq : new boolean[]{false, true}) {
            Solution sol = Solver.solve(f, Y0, 2, 2.0, 0.0, RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-10)
                    .atol(1e-12).torchdiffeqCompatible(torchdiffeq).saveAt(SaveAt.times(1.5, 0.5, 0.0)).build());
            double[] ts = {1.5, 0.5, 0.0};
            for (int i = 0; i < 3; i++) {
                double err = Problems.maxAbsDiff(sol.state(i), Problems.linearExact(A, 3, Y0, ts[i] - 2.0));
                assertTrue(err < 1e-8, "backward, t = " + ts[i] + ": " + err);
            }
            Solution fixed = Solver.solve(f, Y0, 2, 2.0, 0.0, RungeKutta.rk4(), SolveOptions.builder().dt(0.01).build());
            assertTrue(Problems.maxAbsDiff(fixed.lastState(), Problems.linearExact(A, 3, Y0, -2.0)) < 1e-8);
        }
    }

    @Test
    void tstopsAreSteppedOntoExactly() {
        // y' = |t − 1/2|: each piece is linear in t, integrated exactly by any method once a step lands on the kink.
        VectorField kink = (t, y, dy, rows, ws) -> dy[0] = Math.abs(t - 0.5);
        for (boolean torchdiffeq : new boolean[]{false, true}) {
            java.util.List<Double> ends = new java.util.ArrayList<>();
            SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).torchdiffeqCompatible(torchdiffeq).build();
            Solution sol = Solver.solve(kink, new double[]{0}, 1, 0, 1, RungeKutta.dopri5(),
                    o.toBuilder().tstops(0.5).observer(v -> ends.add(v.tEnd())).build());
            assertTrue(ends.contains(0.5), "a step ends exactly on the tstop: " + ends);
            assertEquals(0.25, sol.lastState()[0], 1e-14);
            Solution without = Solver.solve(kink, new double[]{0}, 1, 0, 1, RungeKutta.dopri5(), o);
            assertTrue(Math.abs(without.lastState()[0] - 0.25) > 1e-13, "without the tstop the kink costs accuracy");
        }
        Solution fixed = Solver.solve(kink, new double[]{0}, 1, 0, 1, RungeKutta.rk4(),
                SolveOptions.builder().dt(0.3).tstops(0.5).saveAt(SaveAt.steps()).build());
        assertArrayEquals(new double[]{0, 0.3, 0.5, 0.8, 1.0}, fixed.times(), 1e-15);
        assertEquals(0.25, fixed.lastState()[0], 1e-14);
    }

    @Test
    void aTstopDoesNotResetTheStepSize() {
        SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).build();
        double[] y0 = {2, 0};
        Solution plain = Solver.solve(Problems.VAN_DER_POL, y0, 1, 0, 10, RungeKutta.dopri5(), o);
        Solution stops = Solver.solve(Problems.VAN_DER_POL, y0, 1, 0, 10, RungeKutta.dopri5(),
                o.toBuilder().tstops(1, 2, 3, 4, 5, 6, 7, 8, 9).build());
        assertTrue(stops.stats().accepted() <= plain.stats().accepted() + 12,
                stops.stats() + " with 9 tstops vs " + plain.stats());
        assertTrue(Problems.maxAbsDiff(stops.lastState(), plain.lastState()) < 1e-6);
    }
}
