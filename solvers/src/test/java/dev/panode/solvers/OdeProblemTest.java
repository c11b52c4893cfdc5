package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The problem-centred entry point: rows inferred, one time convention, and options that cannot contradict. */
class OdeProblemTest {
    private static final double[] A = {-0.1, 2.0, -2.0, -0.1};
    private static final VectorField SPIRAL = Problems.linear(A, 2);

    private static void refused(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> e.getMessage() + " lacks " + p);
    }

    @Test
    void rowsAreInferredFromTheFieldsDimension() {
        OdeProblem<VectorField> p = OdeProblem.of(SPIRAL, new double[] {1, 0, 0, 1, 2, 2}, 0, 0.5, 1);
        assertEquals(3, p.rows());
        assertEquals(2, p.dim());
        assertEquals(0, p.t0());
        assertEquals(1, p.t1());
        VectorField anyDim = (t, y, dy, rows, ws) -> {
            for (int i = 0; i < rows * 3; i++) dy[i] = -y[i];
        };
        OdeProblem<VectorField> one = OdeProblem.of(anyDim, new double[] {1, 2, 3}, 0, 1);
        assertEquals(1, one.rows());
        assertEquals(3, one.dim());
    }

    @Test
    void theOneLineSolveEqualsTheSpanSolveSavedOnTheGridBitForBit() {
        double[] y0 = {1, 0, 0.5, -0.5};
        double[] t = {0, 0.25, 1, 2.5};
        Solution viaProblem = Solver.solve(OdeProblem.of(SPIRAL, y0, t));
        Solution viaSpan = Solver.solve(SPIRAL, y0, 2, 0, 2.5, RungeKutta.dopri5(),
                SolveOptions.builder().saveAt(t).build());
        assertArrayEquals(t, viaProblem.times());
        assertArrayEquals(viaSpan.states(), viaProblem.states());
        assertEquals(viaSpan.stats(), viaProblem.stats());
        // and it is the exact solution to the default tolerances
        double[] exact = Problems.linearExact(A, 2, y0, 2.5);
        assertTrue(Problems.maxAbsDiff(viaProblem.lastState(), exact) < 1e-6);
        // t0 is saved: the first state is y0
        assertArrayEquals(y0, viaProblem.state(0));
    }

    @Test
    void aDecreasingGridSolvesBackwards() {
        double[] y0 = {1, 0};
        Solution back = Solver.solve(OdeProblem.of(SPIRAL, y0, 1, 0.5, 0), RungeKutta.tsit5(),
                SolveOptions.builder().rtol(1e-10).atol(1e-12).build());
        assertTrue(Problems.maxAbsDiff(back.lastState(), Problems.linearExact(A, 2, y0, -1)) < 1e-8);
    }

    @Test
    void badProblemsAreRefusedNamingTheArgument() {
        refused(() -> OdeProblem.of(null, new double[2], 0, 1), "field", "null");
        refused(() -> OdeProblem.of(SPIRAL, null, 0, 1), "y0", "null");
        refused(() -> OdeProblem.of(SPIRAL, new double[3], 0, 1), "y0", "dim = 2", "length 3");
        refused(() -> OdeProblem.of(SPIRAL, new double[] {1, Double.NaN}, 0, 1), "y0[1]", "NaN");
        refused(() -> OdeProblem.of(SPIRAL, new double[2], 0), "times", "t0 and t1");
        refused(() -> OdeProblem.of(SPIRAL, new double[2], 0, 1, 1), "strictly", "times[2] = 1.0");
        refused(() -> OdeProblem.of(SPIRAL, new double[2], 0, 1, 0.5), "strictly", "times[2] = 0.5");
        refused(() -> OdeProblem.of(SPIRAL, new double[2], 0, Double.POSITIVE_INFINITY), "times[1]", "Infinity");
        refused(() -> OdeProblem.of(SPIRAL, new double[2], -1e308, 1e308), "finite interval", "-1.0E308");
        refused(() -> OdeProblem.batch(SPIRAL, new double[4], 0, 0, 1), "rows", "got 0");
    }

    @Test
    void optionsThatChooseTheirOwnSavePolicyAreRefusedNotOverridden() {
        OdeProblem<VectorField> p = OdeProblem.of(SPIRAL, new double[] {1, 0}, 0, 1);
        refused(() -> Solver.solve(p, RungeKutta.dopri5(), SolveOptions.builder().saveAt(SaveAt.dense()).build()),
                "options.saveAt", "time grid");
    }

    @Test
    void optionsCannotContradictThemselves() {
        refused(() -> SolveOptions.builder().rtol(1e-6).steps(10).build(), "rtol", "adaptive controller",
                "ConstantStep");
        refused(() -> SolveOptions.builder().steps(10).atol(1e-3).build(), "atol", "adaptive controller");
        refused(() -> SolveOptions.builder().dt(0.1).dtMin(1e-3).build(), "dtMin", "fixed");
        refused(() -> SolveOptions.builder().dtMax(1).controller(ConstantStep.steps(4)).build(), "dtMax");
        // moving from adaptive to fixed steps through toBuilder keeps the contradiction visible
        SolveOptions adaptive = SolveOptions.builder().rtol(1e-6).build();
        refused(() -> adaptive.toBuilder().steps(8).build(), "rtol");
        // defaults and consistent choices build
        SolveOptions.defaults().toBuilder().steps(8).build();
        SolveOptions.builder().steps(8).maxSteps(10).tstops(0.5).build();
        SolveOptions.builder().rtol(1e-3).atol(1e-6).dtMin(1e-9).build();
    }

    @Test
    void theGridAndY0AreCopiedAndTheProblemIsImmutable() {
        double[] y0 = {1, 0};
        double[] t = {0, 1};
        OdeProblem<VectorField> p = OdeProblem.of(SPIRAL, y0, t);
        y0[0] = 99;
        t[1] = 5;
        assertEquals(1.0, p.y0()[0]);
        assertEquals(1.0, p.t1());
        p.y0()[0] = 42;
        assertEquals(1.0, p.y0()[0]);
        OdeProblem<VectorField> q = p.withY0(new double[] {0, 1, 1, 0});
        assertEquals(2, q.rows());
        assertArrayEquals(p.times(), q.times());
    }
}
