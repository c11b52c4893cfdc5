package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import org.junit.jupiter.api.Test;

/** {@link Solver#solveInto}: the states and statistics of {@link Solver#solve}, bit for bit, and no allocation. */
class SolveIntoTest {
    static final double[] Y0 = {1, 1, 1, 2, 0.5, 1.5};

    @Test
    void savesWhatSolveSavesBitForBit() {
        SolverWorkspace ws = new SolverWorkspace();
        for (RungeKutta m : new RungeKutta[] {RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.bosh3()}) {
            for (SolveOptions o : new SolveOptions[] {
                    SolveOptions.builder().rtol(1e-7).atol(1e-9).saveAt(SaveAt.times(0.1, 0.7, 1.3, 2.0)).build(),
                    SolveOptions.builder().rtol(1e-5).atol(1e-7).saveAt(SaveAt.t1()).torchdiffeqCompatible(true).build(),
                    SolveOptions.builder().steps(40).saveAt(SaveAt.times(0.0, 1.0, 2.0)).build()}) {
                Solution ref = Solver.solve(Problems.LORENZ, Y0, 2, 0.0, 2.0, m, o);
                double[] out = new double[ref.size() * Y0.length];
                Result r = Solver.solveInto(Problems.LORENZ, Y0, 2, 0.0, 2.0, m, o, ws, out);
                assertEquals(Result.SUCCESSFUL, r);
                assertArrayEquals(ref.states(), out, 0.0, m.name() + " " + o.saveAt());
                assertEquals(ref.stats().nfe(), ws.lastNfe());
                assertEquals(ref.stats().accepted(), ws.lastAccepted());
                assertEquals(ref.stats().rejected(), ws.lastRejected());
            }
        }
    }

    @Test
    void aWarmSolveAllocatesNothing() {
        SolverWorkspace ws = new SolverWorkspace();
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-8).saveAt(SaveAt.times(0.5, 1.0, 2.0)).build();
        double[] out = new double[3 * Y0.length];
        Allocations.assertNoAllocation("dopri5 on Lorenz through solveInto", 2000, 200,
                () -> Solver.solveInto(Problems.LORENZ, Y0, 2, 0.0, 2.0, RungeKutta.dopri5(), o, ws, out));
    }

    /**
     * A solve continued from the last one's step proposal takes the steps that one solve landing on the joint as a
     * tstop takes, bit for bit (Lorenz is autonomous, the I controller keeps no history): what the interpolating
     * adjoint's sweep relies on. The restart costs one evaluation (the FSAL stage is not carried), not two.
     */
    @Test
    void aSolveContinuedFromTheLastProposalTakesTheStepsOfOneSolve() {
        SolverWorkspace ws = new SolverWorkspace();
        for (RungeKutta m : new RungeKutta[] {RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.bosh3()}) {
            SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-9).saveAt(SaveAt.t1()).build();
            Solution whole = Solver.solve(Problems.LORENZ, Y0, 2, 0.0, 1.6, m, o.toBuilder().tstops(0.7).build());
            double[] mid = new double[Y0.length];
            double[] end = new double[Y0.length];
            Solver.solveInto(Problems.LORENZ, Y0, 2, 0.0, 0.7, m, o, ws, mid);
            long nfe = ws.lastNfe(), accepted = ws.lastAccepted(), rejected = ws.lastRejected();
            double proposal = ws.lastStepProposal();
            assertTrue(proposal > 0 && Double.isFinite(proposal), m.name() + ": " + proposal);
            Solver.solveInto(Problems.LORENZ, mid, 2, 0.7, 1.6, m, o, ws, end, proposal);
            assertArrayEquals(whole.states(), end, 0.0, m.name());
            assertEquals(whole.stats().accepted(), accepted + ws.lastAccepted(), m.name());
            assertEquals(whole.stats().rejected(), rejected + ws.lastRejected(), m.name());
            assertEquals(whole.stats().nfe() + 1, nfe + ws.lastNfe(), m.name() + ": one evaluation for the restart");
        }
        Solver.solveInto(Problems.LORENZ, Y0, 2, 0.0, 0.7, RungeKutta.rk4(),
                SolveOptions.builder().steps(10).saveAt(SaveAt.t1()).build(), ws, new double[Y0.length]);
        assertTrue(Double.isNaN(ws.lastStepProposal()), "no proposal after fixed steps");
    }

    /** Lorenz (σ 10, ρ 28, β 8/3) in float, any rows. */
    static final FloatField LORENZ_F32 = new FloatField() {
        @Override
        public int dim() {
            return 3;
        }

        @Override
        public void evaluate(double t, float[] y, float[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 3 * r;
                dy[o] = 10f * (y[o + 1] - y[o]);
                dy[o + 1] = y[o] * (28f - y[o + 2]) - y[o + 1];
                dy[o + 2] = y[o] * y[o + 1] - (8f / 3f) * y[o + 2];
            }
        }
    };

    /** The float solve continues from its last proposal as the double one does (the float interpolating adjoint). */
    @Test
    void aFloatSolveContinuedFromTheLastProposalTakesTheStepsOfOneSolve() {
        SolverWorkspaceF32 ws = new SolverWorkspaceF32();
        float[] y0 = new float[Y0.length];
        for (int i = 0; i < y0.length; i++) y0[i] = (float) Y0[i];
        SolveOptions o = SolveOptions.builder().rtol(1e-5).atol(1e-7).saveAt(SaveAt.t1()).build();
        float[] whole = new float[y0.length], mid = new float[y0.length], end = new float[y0.length];
        Solver.solveInto(LORENZ_F32, y0, 2, 0.0, 1.6, RungeKutta.dopri5(), o.toBuilder().tstops(0.7).build(), ws,
                whole);
        long wholeNfe = ws.lastNfe(), wholeAccepted = ws.lastAccepted(), wholeRejected = ws.lastRejected();
        Solver.solveInto(LORENZ_F32, y0, 2, 0.0, 0.7, RungeKutta.dopri5(), o, ws, mid);
        long nfe = ws.lastNfe(), accepted = ws.lastAccepted(), rejected = ws.lastRejected();
        double proposal = ws.lastStepProposal();
        assertTrue(proposal > 0 && Double.isFinite(proposal), "proposal " + proposal);
        Solver.solveInto(LORENZ_F32, mid, 2, 0.7, 1.6, RungeKutta.dopri5(), o, ws, end, proposal);
        assertArrayEquals(whole, end, 0.0f);
        assertEquals(wholeAccepted, accepted + ws.lastAccepted());
        assertEquals(wholeRejected, rejected + ws.lastRejected());
        assertEquals(wholeNfe + 1, nfe + ws.lastNfe(), "one evaluation for the restart");
        Solver.solveInto(LORENZ_F32, y0, 2, 0.0, 0.7, RungeKutta.rk4(),
                SolveOptions.builder().steps(10).saveAt(SaveAt.t1()).build(), ws, mid);
        assertTrue(Double.isNaN(ws.lastStepProposal()), "no proposal after fixed steps");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Solver.solveInto(LORENZ_F32, y0, 2, 0.0, 0.7, RungeKutta.dopri5(), o, ws, end, -1.0));
        assertTrue(bad.getMessage().contains("dt0 must be NaN or finite and > 0, got -1.0"), bad.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        SolverWorkspace ws = new SolverWorkspace();
        SolveOptions o = SolveOptions.builder().saveAt(SaveAt.times(0.5, 1.0)).build();
        IllegalArgumentException shortOut = assertThrows(IllegalArgumentException.class,
                () -> Solver.solveInto(Problems.LORENZ, Y0, 2, 0.0, 1.0, RungeKutta.dopri5(), o, ws, new double[11]));
        assertTrue(shortOut.getMessage().contains("savedStates must have length >= saves × rows × dim = 2 × 2 × 3 = 12, "
                + "got 11"), shortOut.getMessage());
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
                () -> Solver.solveInto(Problems.LORENZ, Y0, 2, 0.0, 1.0, RungeKutta.dopri5(),
                        o.toBuilder().saveAt(SaveAt.steps()).build(), ws, new double[12]));
        assertTrue(steps.getMessage().contains("SaveAt.t1() or SaveAt.times"), steps.getMessage());
        for (double dt0 : new double[] {0.0, -0.1, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> Solver.solveInto(Problems.LORENZ, Y0, 2, 0.0, 1.0, RungeKutta.dopri5(), o, ws,
                            new double[12], dt0));
            assertTrue(bad.getMessage().contains("dt0 must be NaN or finite and > 0, got " + dt0), bad.getMessage());
        }
        SolveOptions quiet = o.toBuilder().throwOnFailure(false).build();
        assertEquals(Result.INVALID_ARGUMENT, Solver.solveInto(Problems.LORENZ, Y0, 0, 0.0, 1.0, RungeKutta.dopri5(),
                quiet, ws, new double[12]));
    }
}
