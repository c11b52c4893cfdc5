package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The solver part of the bad-input catalogue (docs/RELIABILITY.md): every case raises the documented exception or
 * ends with the documented {@link Result}, and its message names the argument and the offending value.
 */
class BadInputCatalogueTest {
    private static final SolveOptions OPTS = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
    private static final double[] Y0 = {1, 0, 0, 1};

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    private static IllegalArgumentException invalid(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertMessage(e, parts);
        return e;
    }

    private static Solution solve(VectorField f, double[] y0, int rows, double t0, double t1, SolveOptions o) {
        return Solver.solve(f, y0, rows, t0, t1, RungeKutta.dopri5(), o);
    }

    @Test
    void wrongLengthOfY0() {
        invalid(() -> solve(Problems.VAN_DER_POL, new double[5], 2, 0, 1, OPTS), "y0", "got 5");
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 0, 0, 1, OPTS), "rows", "got 0");
        invalid(() -> solve(Problems.VAN_DER_POL, null, 2, 0, 1, OPTS), "y0 must be non-null");
    }

    @Test
    void wrongLengthOfPerComponentTolerances() {
        SolveOptions o = SolveOptions.builder().rtol(new double[] {1e-6, 1e-6, 1e-6}).build();
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, 0, 1, o), "rtol", "got 3");
    }

    @Test
    void nonFiniteInitialState() {
        invalid(() -> solve(Problems.VAN_DER_POL, new double[] {1, 0, Double.NaN, 1}, 2, 0, 1, OPTS), "y0[2]",
                "got NaN");
        invalid(() -> solve(Problems.VAN_DER_POL, new double[] {1, Double.POSITIVE_INFINITY, 0, 1}, 2, 0, 1, OPTS),
                "y0[1]", "got Infinity");
    }

    @Test
    void nonFiniteTimes() {
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, Double.NaN, 1, OPTS), "t0", "got NaN");
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, 0, Double.NEGATIVE_INFINITY, OPTS), "t1", "got -Infinity");
        invalid(() -> SaveAt.times(0.1, Double.NaN), "times[1]", "got NaN");
        invalid(() -> SolveOptions.builder().tstops(0.5, Double.POSITIVE_INFINITY), "tstops[1]", "got Infinity");
    }

    @Test
    void saveTimesNotMonotonic() {
        invalid(() -> SaveAt.times(0.2, 0.5, 0.4), "times", "times[1] = 0.5", "times[2] = 0.4");
        invalid(() -> SaveAt.times(0.2, 0.2), "times", "0.2");
        // monotone, but against the direction of integration
        SolveOptions backwards = OPTS.toBuilder().saveAt(SaveAt.times(0.8, 0.2)).build();
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, 0, 1, backwards), "save times", "increasing",
                "times[0] = 0.8");
    }

    @Test
    void saveTimesOutsideTheSpan() {
        SolveOptions o = OPTS.toBuilder().saveAt(SaveAt.times(0.5, 1.5)).build();
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, 0, 1, o), "save times", "times[1] = 1.5");
        SolveOptions before = OPTS.toBuilder().saveAt(SaveAt.times(-0.1, 0.5)).build();
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, 0, 1, before), "times[0] = -0.1");
        SolveOptions stops = OPTS.toBuilder().tstops(0.5, 2.0).build();
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, 0, 1, stops), "tstops[1] = 2.0");
    }

    @Test
    void equalEndTimes() {
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, 0.5, 0.5, OPTS), "t0", "t1", "0.5");
    }

    @Test
    void tolerancesNotPositiveOrNaN() {
        invalid(() -> SolveOptions.builder().rtol(0.0), "rtol", "got 0.0");
        invalid(() -> SolveOptions.builder().rtol(-1e-6), "rtol", "got -1.0E-6");
        invalid(() -> SolveOptions.builder().rtol(Double.NaN), "rtol", "got NaN");
        invalid(() -> SolveOptions.builder().atol(0.0), "atol", "got 0.0");
        invalid(() -> SolveOptions.builder().atol(Double.NaN), "atol", "got NaN");
        invalid(() -> SolveOptions.builder().atol(new double[] {1e-8, -1.0}), "atol", "-1.0");
        invalid(() -> SolveOptions.builder().rtol(new double[] {Double.NaN, 1e-3}), "rtol", "NaN");
    }

    @Test
    void otherOptionRanges() {
        invalid(() -> SolveOptions.builder().maxSteps(0), "maxSteps", "got 0");
        invalid(() -> SolveOptions.builder().dtMin(-1.0), "dtMin", "got -1.0");
        invalid(() -> SolveOptions.builder().dt0(Double.NaN), "dt0", "got NaN");
        invalid(() -> SolveOptions.builder().dtMax(0.0), "dtMax", "got 0.0");
        invalid(() -> SolveOptions.builder().steps(0), "0");
    }

    @Test
    void invalidArgumentAsAResultCode() {
        SolveOptions o = OPTS.toBuilder().throwOnFailure(false).build();
        Solution s = solve(Problems.VAN_DER_POL, new double[] {1, Double.NaN, 0, 1}, 2, 0, 1, o);
        assertEquals(Result.INVALID_ARGUMENT, s.result());
        assertMessage(s::message, "y0[1]", "got NaN");
    }

    private static void assertMessage(java.util.function.Supplier<String> message, String... parts) {
        for (String p : parts) assertTrue(message.get().contains(p), () -> "'" + message.get() + "' lacks '" + p + "'");
    }

    @Test
    void maxStepsReached() {
        SolveOptions o = OPTS.toBuilder().maxSteps(5).build();
        SolveException e = assertThrows(SolveException.class, () -> solve(Problems.LORENZ, new double[] {1, 1, 1}, 1,
                0, 10, o));
        assertEquals(Result.MAX_STEPS_REACHED, e.result());
        assertMessage(e, "MAX_STEPS_REACHED", "maxSteps = 5", "at t = ");
        assertTrue(e.partialSolution().stats().accepted() + e.partialSolution().stats().rejected() == 5);
        Solution s = solve(Problems.LORENZ, new double[] {1, 1, 1}, 1, 0, 10, o.toBuilder().throwOnFailure(false).build());
        assertEquals(Result.MAX_STEPS_REACHED, s.result());
    }

    @Test
    void stepSizeBelowDtMin() {
        // a finite-time blow-up y' = y², y(0) = 1 (singular at t = 1): the step size collapses before t = 1
        VectorField blowUp = (t, y, dy, rows, ws) -> {
            for (int i = 0; i < rows; i++) dy[i] = y[i] * y[i];
        };
        SolveOptions o = OPTS.toBuilder().dtMin(1e-4).build();
        SolveException e = assertThrows(SolveException.class, () -> solve(blowUp, new double[] {1}, 1, 0, 2, o));
        assertEquals(Result.DT_MIN_REACHED, e.result());
        assertMessage(e, "DT_MIN_REACHED", "dtMin = 1.0E-4", "at t = ");
        assertTrue(e.getMessage().contains("at t = 0.9"), "fails just before the singularity at t = 1: " + e.getMessage());
    }

    @Test
    void aBlowUpWithDtMinZeroAdvisesOnTheBlowUpNotOnDtMin() {
        VectorField blowUp = (t, y, dy, rows, ws) -> {
            for (int i = 0; i < rows; i++) dy[i] = y[i] * y[i];
        };
        for (SolveOptions o : new SolveOptions[] {OPTS, SolveOptions.defaults(), OPTS.toBuilder().dtMin(1e-4).build()}) {
            SolveException e = assertThrows(SolveException.class, () -> solve(blowUp, new double[] {1}, 1, 0, 2, o));
            assertBlowUpNearOne(e.getMessage());
            if (o.dtMin() == 0.0) {
                assertTrue(!e.getMessage().contains("lower dtMin"), "dtMin is already 0: " + e.getMessage());
            }
        }
        // the same for a result returned instead of thrown
        Solution s = solve(blowUp, new double[] {1}, 1, 0, 2, OPTS.toBuilder().throwOnFailure(false).build());
        assertBlowUpNearOne(s.message());
        assertTrue(!s.message().contains("lower dtMin"), s.message());
        // a collapsing step on a bounded solution with dtMin = 0 does not advise lowering dtMin either: it cannot
        // happen here, so check the hint text of each result code offers nothing that cannot apply
        assertTrue(!Result.DT_MIN_REACHED.hint().startsWith("lower dtMin"), Result.DT_MIN_REACHED.hint());
    }

    private static void assertBlowUpNearOne(String message) {
        var m = java.util.regex.Pattern.compile("may blow up near t = ([0-9.E-]+)").matcher(message);
        assertTrue(m.find(), "names the blow-up: " + message);
        assertEquals(1.0, Double.parseDouble(m.group(1)), 0.02, message);
    }

    @Test
    void aTimeSpanThatOverflowsIsAnInvalidArgument() {
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, -1e308, 1e308, OPTS), "INVALID_ARGUMENT", "t1 - t0",
                "t0 = -1.0E308", "t1 = 1.0E308");
        invalid(() -> solve(Problems.VAN_DER_POL, Y0, 2, Double.MAX_VALUE, -Double.MAX_VALUE, OPTS), "INVALID_ARGUMENT",
                "t1 - t0");
        Solution s = solve(Problems.VAN_DER_POL, Y0, 2, -1e308, 1e308, OPTS.toBuilder().throwOnFailure(false).build());
        assertEquals(Result.INVALID_ARGUMENT, s.result());
        invalid(() -> Solver.solve(Problems.VAN_DER_POL, Y0, 2, -1e308, 1e308, RungeKutta.rk4(),
                SolveOptions.builder().steps(10).build()), "t1 - t0");
        invalid(() -> PerSampleSolver.solve(RowTimeField.autonomous(Problems.VAN_DER_POL), Y0, 2,
                new double[] {0, -1e308}, new double[] {1, 1e308}, RungeKutta.dopri5(), OPTS), "t1[1] - t0[1]");
    }

    @Test
    void denseOutputRefusesNaNAndTimesOutsideTheSpan() {
        Solution sol = solve(Problems.VAN_DER_POL, Y0, 2, 0, 1, OPTS.toBuilder().saveAt(SaveAt.dense()).build());
        double[] out = new double[4];
        invalid(() -> sol.evaluate(Double.NaN, out), "t must be", "got NaN");
        invalid(() -> sol.evaluate(1.5, out), "t must be", "got 1.5");
        invalid(() -> sol.evaluate(Double.NEGATIVE_INFINITY, out), "got -Infinity");
        java.util.Arrays.fill(out, 7.0);
        assertThrows(IllegalArgumentException.class, () -> sol.evaluate(Double.NaN, out));
        for (double v : out) assertEquals(7.0, v, "out is untouched");
        sol.evaluate(0.5, out);
        for (double v : out) assertTrue(Double.isFinite(v));
    }

    @Test
    void fieldProducingNaNMidSolve() {
        VectorField poisoned = (t, y, dy, rows, ws) -> {
            for (int i = 0; i < y.length; i++) dy[i] = t > 0.5 ? Double.NaN : -y[i];
        };
        SolveException e = assertThrows(SolveException.class, () -> solve(poisoned, new double[] {1, 2}, 1, 0, 1,
                OPTS.toBuilder().saveAt(SaveAt.steps()).build()));
        assertEquals(Result.NONFINITE_STATE, e.result());
        assertMessage(e, "NONFINITE_STATE", "t = 0.");
        Solution partial = e.partialSolution();
        assertTrue(partial.size() >= 2, "the partial solution holds the steps before the failure");
        for (double v : partial.states()) assertTrue(Double.isFinite(v), "no NaN is returned as a result");
        assertTrue(partial.time(partial.size() - 1) <= 0.5 + 1e-12);
        // a fixed-step solve fails at the first non-finite step
        SolveException fixed = assertThrows(SolveException.class, () -> Solver.solve(poisoned, new double[] {1, 2}, 1,
                0, 1, RungeKutta.rk4(), SolveOptions.builder().steps(10).build()));
        assertEquals(Result.NONFINITE_STATE, fixed.result());
        assertMessage(fixed, "non-finite", "fixed step h = ");
        // non-finite at the very start
        VectorField nanAtStart = (t, y, dy, rows, ws) -> java.util.Arrays.fill(dy, Double.NaN);
        SolveException start = assertThrows(SolveException.class, () -> solve(nanAtStart, new double[] {1}, 1, 0, 1,
                OPTS));
        assertMessage(start, "NONFINITE_STATE", "t0 = 0.0");
    }
}
