package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every failure path: a result code, an actionable message, throw by default, partial solution on request. */
class FailureTest {
    private static final SolveOptions QUIET = SolveOptions.builder().throwOnFailure(false).build();

    private static void assertInvalid(String fragment, Supplier<Solution> solve, Supplier<Solution> quietSolve) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, solve::get);
        assertTrue(e.getMessage().startsWith("INVALID_ARGUMENT: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should name " + fragment);
        Solution s = quietSolve.get();
        assertEquals(Result.INVALID_ARGUMENT, s.result());
        assertTrue(s.message().contains(fragment), s.message());
        assertEquals(0, s.size());
    }

    private static Solution lorenz(double[] y0, int rows, double t0, double t1, OdeMethod m, SolveOptions o) {
        return Solver.solve(Problems.LORENZ, y0, rows, t0, t1, m, o);
    }

    @Test
    void invalidArgumentsNameTheArgumentAndValue() {
        RungeKutta d = RungeKutta.dopri5();
        SolveOptions def = SolveOptions.defaults();
        double[] y = {1, 1, 1};
        assertInvalid("y0[1] (row 0, component 1) must be finite, got NaN",
                () -> lorenz(new double[]{1, Double.NaN, 1}, 1, 0, 1, d, def),
                () -> lorenz(new double[]{1, Double.NaN, 1}, 1, 0, 1, d, QUIET));
        assertInvalid("y0 must have length rows × dim = 2 × 3 = 6, got 3",
                () -> lorenz(y, 2, 0, 1, d, def), () -> lorenz(y, 2, 0, 1, d, QUIET));
        assertInvalid("rows must be >= 1, got 0", () -> lorenz(y, 0, 0, 1, d, def), () -> lorenz(y, 0, 0, 1, d, QUIET));
        assertInvalid("t0 and t1 must differ, got t0 = t1 = 1.0",
                () -> lorenz(y, 1, 1, 1, d, def), () -> lorenz(y, 1, 1, 1, d, QUIET));
        assertInvalid("t1 must be finite, got NaN",
                () -> lorenz(y, 1, 0, Double.NaN, d, def), () -> lorenz(y, 1, 0, Double.NaN, d, QUIET));
        assertInvalid("times[1] = 1.5",
                () -> lorenz(y, 1, 0, 1, d, def.toBuilder().saveAt(0.5, 1.5).build()),
                () -> lorenz(y, 1, 0, 1, d, QUIET.toBuilder().saveAt(0.5, 1.5).build()));
        assertInvalid("save times must be decreasing",
                () -> lorenz(y, 1, 1, 0, d, def.toBuilder().saveAt(0.5, 0.7).build()),
                () -> lorenz(y, 1, 1, 0, d, QUIET.toBuilder().saveAt(0.5, 0.7).build()));
        assertInvalid("rtol per component must have length dim = 3 or rows × dim = 3, got 2",
                () -> lorenz(y, 1, 0, 1, d, def.toBuilder().rtol(new double[]{1e-6, 1e-6}).build()),
                () -> lorenz(y, 1, 0, 1, d, QUIET.toBuilder().rtol(new double[]{1e-6, 1e-6}).build()));
        assertInvalid("rk4 has none: use ConstantStep",
                () -> lorenz(y, 1, 0, 1, RungeKutta.rk4(), def),
                () -> lorenz(y, 1, 0, 1, RungeKutta.rk4(), QUIET));
        assertInvalid("tstops must lie in [0.0, 1.0], got tstops[0] = 2.0",
                () -> lorenz(y, 1, 0, 1, d, def.toBuilder().tstops(2.0).build()),
                () -> lorenz(y, 1, 0, 1, d, QUIET.toBuilder().tstops(2.0).build()));
        assertInvalid("method must be non-null", () -> lorenz(y, 1, 0, 1, null, def), () -> lorenz(y, 1, 0, 1, null, QUIET));
    }

    @Test
    void invalidOptionsAreRejectedWhenBuilt() {
        SolveOptions.Builder b = SolveOptions.builder();
        assertMessage("rtol must be finite and > 0, got 0.0", () -> b.rtol(0));
        assertMessage("rtol must be finite and > 0, got -1.0", () -> b.rtol(-1));
        assertMessage("atol must be finite and > 0, got NaN", () -> b.atol(Double.NaN));
        assertMessage("atol[1] must be finite and > 0, got 0.0", () -> b.atol(new double[]{1e-8, 0}));
        assertMessage("maxSteps must be >= 1, got 0", () -> b.maxSteps(0));
        assertMessage("dtMin must be <= dtMax = 0.1, got 1.0", () -> SolveOptions.builder().dtMax(0.1).dtMin(1.0));
        assertMessage("dt0 must be finite and > 0, got -0.1", () -> b.dt0(-0.1));
        assertMessage("times must be strictly monotone; times[1] = 2.0, times[2] = 1.0", () -> SaveAt.times(0, 2, 1));
        assertMessage("tstops must be strictly monotone", () -> b.tstops(0.1, 0.1));
        assertMessage("dt must be finite and > 0, got 0.0", () -> ConstantStep.of(0));
        assertMessage("steps must be >= 1, got 0", () -> ConstantStep.steps(0));
        assertMessage("safety must be in (0, 1], got 1.5", () -> new IController(1.5, 10, 0.2));
    }

    private static void assertMessage(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void maxStepsReachedThrowsWithPartialSolutionOrReturnsIt() {
        double[] y = {1, 1, 1};
        SolveOptions o = SolveOptions.builder().maxSteps(20).saveAt(SaveAt.steps()).build();
        SolveException e = assertThrows(SolveException.class, () -> lorenz(y, 1, 0, 20, RungeKutta.dopri5(), o));
        assertEquals(Result.MAX_STEPS_REACHED, e.result());
        assertTrue(e.getMessage().startsWith("MAX_STEPS_REACHED: reached maxSteps = 20 at t = "), e.getMessage());
        assertTrue(e.getMessage().contains("raise maxSteps or loosen rtol"), e.getMessage());
        Solution partial = e.partialSolution();
        assertEquals(20, partial.stats().steps());
        assertEquals(partial.stats().accepted() + 1, partial.size(), "t0 plus every accepted step was saved");

        Solution quiet = lorenz(y, 1, 0, 20, RungeKutta.dopri5(), o.toBuilder().throwOnFailure(false).build());
        assertEquals(Result.MAX_STEPS_REACHED, quiet.result());
        assertEquals(partial.size(), quiet.size());
        assertTrue(quiet.time(quiet.size() - 1) > 0);
    }

    @Test
    void dtMinReached() {
        SolveOptions o = SolveOptions.builder().rtol(1e-10).atol(1e-12).dtMin(0.05).throwOnFailure(false).build();
        Solution s = lorenz(new double[]{1, 1, 1}, 1, 0, 20, RungeKutta.dopri5(), o);
        assertEquals(Result.DT_MIN_REACHED, s.result());
        assertTrue(s.message().contains("< dtMin = 0.05") && s.message().contains("lower dtMin = 0.05 or loosen rtol"),
                s.message());
        SolveException e = assertThrows(SolveException.class,
                () -> lorenz(new double[]{1, 1, 1}, 1, 0, 20, RungeKutta.dopri5(), o.toBuilder().throwOnFailure(true).build()));
        assertEquals(Result.DT_MIN_REACHED, e.result());
    }

    @Test
    void stepSizeUnderflowNearABlowUpIsDtMinReached() {
        VectorField blowUp = (t, y, dy, rows, ws) -> dy[0] = y[0] * y[0]; // y = 1/(1 − t): singular at t = 1
        Solution s = Solver.solve(blowUp, new double[]{1}, 1, 0, 2, RungeKutta.dopri5(),
                SolveOptions.builder().throwOnFailure(false).build());
        assertTrue(s.result() == Result.DT_MIN_REACHED || s.result() == Result.NONFINITE_STATE, s.message());
        assertTrue(s.stats().accepted() > 10);
    }

    @Test
    void nonFiniteStateInAFixedStep() {
        VectorField nanAfterHalf = (t, y, dy, rows, ws) -> dy[0] = t > 0.5 ? Double.NaN : -y[0];
        Solution s = Solver.solve(nanAfterHalf, new double[]{1}, 1, 0, 1, RungeKutta.rk4(),
                SolveOptions.builder().steps(10).throwOnFailure(false).build());
        assertEquals(Result.NONFINITE_STATE, s.result());
        assertTrue(s.message().startsWith("NONFINITE_STATE: the state became non-finite in the step from t = 0.5"),
                s.message());
        assertTrue(s.message().contains("check the vector field"), s.message());
        SolveException e = assertThrows(SolveException.class, () -> Solver.solve(nanAfterHalf, new double[]{1}, 1, 0, 1,
                RungeKutta.rk4(), SolveOptions.builder().steps(10).build()));
        assertEquals(Result.NONFINITE_STATE, e.result());
    }

    @Test
    void nonFiniteStateInAdaptiveStepsAfterRepeatedCuts() {
        VectorField nanAfterStart = (t, y, dy, rows, ws) -> dy[0] = t > 0 ? Double.NaN : -y[0];
        Solution s = Solver.solve(nanAfterStart, new double[]{1}, 1, 0, 1, RungeKutta.dopri5(),
                SolveOptions.builder().dt0(0.1).throwOnFailure(false).build());
        assertEquals(Result.NONFINITE_STATE, s.result(), s.message());
        assertEquals(0, s.stats().accepted());
        assertEquals(40, s.stats().rejected());
    }

    @Test
    void nonFiniteInitialDerivative() {
        VectorField nan = (t, y, dy, rows, ws) -> dy[0] = Double.NaN;
        Solution s = Solver.solve(nan, new double[]{1}, 1, 0, 1, RungeKutta.dopri5(),
                SolveOptions.builder().throwOnFailure(false).build());
        assertEquals(Result.NONFINITE_STATE, s.result());
        assertTrue(s.message().contains("f(t0, y0) is not finite"), s.message());
    }

    @Test
    void tableauValidationNamesTheProblem() {
        assertMessage("row 1 of a sums to 0.4 but c[1] = 0.5", () -> new ButcherTableau("bad",
                new double[]{0, 0.5}, new double[][]{{}, {0.4}}, new double[]{0, 1}, null, 2, 0));
        assertMessage("the weights b must sum to 1, got 0.9", () -> new ButcherTableau("bad",
                new double[]{0, 0.5}, new double[][]{{}, {0.5}}, new double[]{0, 0.9}, null, 2, 0));
        assertMessage("the error weights e must sum to 0", () -> new ButcherTableau("bad",
                new double[]{0, 0.5}, new double[][]{{}, {0.5}}, new double[]{0, 1}, new double[]{0.1, 0}, 2, 1));
        assertMessage("strictly lower-triangular", () -> new ButcherTableau("bad",
                new double[]{0, 0.5}, new double[][]{{0, 1}, {0.5, 0}}, new double[]{0, 1}, null, 2, 0));
        assertMessage("c[0] must be 0", () -> new ButcherTableau("bad",
                new double[]{0.1, 0.5}, new double[][]{{}, {0.5}}, new double[]{0, 1}, null, 2, 0));
    }
}
