package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.AffineTanhField;
import dev.panode.adjoint.models.PerStepField;
import dev.panode.adjoint.models.PerStepParameters;
import dev.panode.adjoint.models.ScalarPerStepTanh;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.AdamsBashforth;
import dev.panode.solvers.Leapfrog;
import dev.panode.solvers.LinearMultistep;
import dev.panode.solvers.MultistepSolver;
import dev.panode.solvers.MultistepWorkspace;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.Starter;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The EXACT mode against central finite differences of the discrete loss, for every method and starter. */
class MultistepBackpropTest {
    private static final int DIM = 3;
    private static final int ROWS = 2;
    private static final int STEPS = 9;
    private static final double H = 0.07;
    private static final double T0 = 0.3;

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of(Leapfrog.of()),
                Arguments.of(Leapfrog.of(Starter.HEUN)),
                Arguments.of(Leapfrog.of(Starter.RK4)),
                Arguments.of(AdamsBashforth.of(2, Starter.EULER)),
                Arguments.of(AdamsBashforth.of(2)),
                Arguments.of(AdamsBashforth.of(3)),
                Arguments.of(AdamsBashforth.of(4)),
                Arguments.of(AdamsBashforth.of(4, Starter.RK3)));
    }

    private static PerStepParameters randomField(long seed) {
        Random r = new Random(seed);
        double[] w = new double[DIM * DIM];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() * 0.8;
        PerStepParameters f = PerStepParameters.replicate(new AffineTanhField(w, new double[DIM]), STEPS);
        double[] th = f.parameters();
        for (int i = 0; i < th.length; i++) th[i] = r.nextGaussian() * 0.5;
        return f;
    }

    private static ScalarPerStepTanh scalarField(long seed) {
        Random r = new Random(seed);
        double[] w = new double[DIM * DIM];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() * 0.8;
        ScalarPerStepTanh f = new ScalarPerStepTanh(w, DIM, STEPS);
        double[] th = f.parameters();
        for (int i = 0; i < th.length; i++) th[i] = r.nextGaussian() * 0.5;
        return f;
    }

    @Test
    void aFieldImplementingPerStepFieldDirectlyAgreesWithTheAdapter() {
        ScalarPerStepTanh direct = scalarField(11);
        Random r = new Random(11);
        double[] w = new double[DIM * DIM];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() * 0.8;
        PerStepParameters adapted = PerStepParameters.replicate(new AffineTanhField(w, new double[DIM]), STEPS);
        System.arraycopy(direct.parameters(), 0, adapted.parameters(), 0, STEPS * DIM);
        LinearMultistep m = AdamsBashforth.of(3);
        MultistepBackprop bp = new MultistepBackprop(m, MultistepBackprop.Mode.EXACT);
        double[][] g = new double[2][STEPS * DIM];
        double[][] y0Bar = new double[2][ROWS * DIM];
        PerStepField[] fields = {direct, adapted};
        for (int k = 0; k < 2; k++) {
            double[][] states = new double[STEPS + 1][ROWS * DIM];
            MultistepSolver.integrate(m, fields[k], T0, H, STEPS, y0(), ROWS, states, new MultistepWorkspace(m, fields[k], ROWS));
            bp.gradient(fields[k], T0, H, STEPS, ROWS, states, C, y0Bar[k], g[k], bp.newWorkspace(fields[k], ROWS));
        }
        for (int i = 0; i < g[0].length; i++) assertEquals(g[0][i], g[1][i], 1e-13);
        for (int i = 0; i < y0Bar[0].length; i++) assertEquals(y0Bar[0][i], y0Bar[1][i], 1e-13);
    }

    private static double[] y0() {
        return new double[] {0.4, -0.7, 0.2, -0.1, 0.9, 0.3};
    }

    /** L = Σ c·z_N with fixed weights c: ∂L/∂z_N = c. */
    private static final double[] C = {0.3, -1.1, 0.7, 0.5, 0.2, -0.4};

    private static double loss(LinearMultistep m, PerStepParameters f, double[] y0) {
        double[][] states = new double[STEPS + 1][ROWS * DIM];
        MultistepSolver.integrate(m, f, T0, H, STEPS, y0, ROWS, states, new MultistepWorkspace(m, f, ROWS));
        double l = 0;
        for (int i = 0; i < C.length; i++) l += C[i] * states[STEPS][i];
        return l;
    }

    @ParameterizedTest
    @MethodSource("methods")
    void exactModeMatchesCentralFiniteDifferences(LinearMultistep m) {
        PerStepParameters f = randomField(42);
        double[] y0 = y0();
        double[][] states = new double[STEPS + 1][ROWS * DIM];
        MultistepSolver.integrate(m, f, T0, H, STEPS, y0, ROWS, states, new MultistepWorkspace(m, f, ROWS));
        MultistepBackprop bp = new MultistepBackprop(m, MultistepBackprop.Mode.EXACT);
        double[] y0Bar = new double[ROWS * DIM];
        double[] thetaBar = new double[STEPS * DIM];
        bp.gradient(f, T0, H, STEPS, ROWS, states, C, y0Bar, thetaBar, bp.newWorkspace(f, ROWS));
        double eps = 1e-6;
        for (int i = 0; i < y0.length; i++) {
            double keep = y0[i];
            y0[i] = keep + eps;
            double lp = loss(m, f, y0);
            y0[i] = keep - eps;
            double lm = loss(m, f, y0);
            y0[i] = keep;
            assertEquals((lp - lm) / (2 * eps), y0Bar[i], 1e-8, m.name() + " dL/dy0[" + i + "]");
        }
        double[] th = f.parameters();
        for (int i = 0; i < th.length; i++) {
            double keep = th[i];
            th[i] = keep + eps;
            double lp = loss(m, f, y0);
            th[i] = keep - eps;
            double lm = loss(m, f, y0);
            th[i] = keep;
            assertEquals((lp - lm) / (2 * eps), thetaBar[i], 1e-8, m.name() + " dL/dtheta[" + i + "]");
        }
    }

    @Test
    void filteredModeConservesTheSumAndTheInitialGradient() {
        LinearMultistep m = Leapfrog.of();
        PerStepParameters f = randomField(7);
        double[][] states = new double[STEPS + 1][ROWS * DIM];
        MultistepSolver.integrate(m, f, T0, H, STEPS, y0(), ROWS, states, new MultistepWorkspace(m, f, ROWS));
        double[][] y0Bar = new double[2][ROWS * DIM];
        double[][] thetaBar = new double[2][STEPS * DIM];
        MultistepBackprop.Mode[] modes = {MultistepBackprop.Mode.EXACT, MultistepBackprop.Mode.FILTERED};
        for (int k = 0; k < 2; k++) {
            MultistepBackprop bp = new MultistepBackprop(m, modes[k]);
            bp.gradient(f, T0, H, STEPS, ROWS, states, C, y0Bar[k], thetaBar[k], bp.newWorkspace(f, ROWS));
        }
        for (int i = 0; i < y0Bar[0].length; i++) assertEquals(y0Bar[0][i], y0Bar[1][i], 0.0);
        for (int c = 0; c < DIM; c++) {
            double s0 = 0, s1 = 0;
            for (int n = 0; n < STEPS; n++) {
                s0 += thetaBar[0][n * DIM + c];
                s1 += thetaBar[1][n * DIM + c];
            }
            assertEquals(s0, s1, 1e-14);
        }
        for (int n = 1; n < STEPS - 1; n++) {
            double expected = (thetaBar[0][(n - 1) * DIM] + 2 * thetaBar[0][n * DIM] + thetaBar[0][(n + 1) * DIM]) / 4;
            assertEquals(expected, thetaBar[1][n * DIM], 1e-15);
        }
    }

    @Test
    void gradientFromTheCommonSolveEntryPointEqualsTheBufferApi() {
        for (MultistepBackprop.Mode mode : MultistepBackprop.Mode.values()) {
            LinearMultistep m = Leapfrog.of(Starter.HEUN);
            PerStepParameters f = randomField(5);
            Solution sol = Solver.solve(f, y0(), ROWS, T0, T0 + STEPS * H, m,
                    SolveOptions.builder().steps(STEPS).saveAt(SaveAt.steps()).build());
            double[][] states = new double[STEPS + 1][ROWS * DIM];
            MultistepSolver.integrate(m, f, T0, H, STEPS, y0(), ROWS, states, new MultistepWorkspace(m, f, ROWS));
            MultistepBackprop bp = new MultistepBackprop(m, mode);
            double[][] g = new double[2][STEPS * DIM];
            double[][] y0Bar = new double[2][ROWS * DIM];
            bp.gradient(f, sol, C, y0Bar[0], g[0], bp.newWorkspace(f, ROWS));
            bp.gradient(f, T0, H, STEPS, ROWS, states, C, y0Bar[1], g[1], bp.newWorkspace(f, ROWS));
            for (int i = 0; i < g[0].length; i++) assertEquals(g[1][i], g[0][i], 1e-12, mode + " theta " + i);
            for (int i = 0; i < y0Bar[0].length; i++) assertEquals(y0Bar[1][i], y0Bar[0][i], 1e-12, mode + " y0 " + i);
        }
        PerStepParameters f = randomField(5);
        Solution endOnly = Solver.solve(f, y0(), ROWS, T0, T0 + STEPS * H, Leapfrog.of(),
                SolveOptions.builder().steps(STEPS).build());
        MultistepBackprop bp = new MultistepBackprop(Leapfrog.of(), MultistepBackprop.Mode.EXACT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bp.gradient(f, endOnly, C, new double[6], new double[27], bp.newWorkspace(f, ROWS)));
        assertTrue(e.getMessage().startsWith("forward must hold every step"), e.getMessage());
    }

    @Test
    void correctionsAreRefusedForMethodsWithoutAParasiticRoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultistepBackprop(AdamsBashforth.of(3), MultistepBackprop.Mode.FILTERED));
        assertTrue(e.getMessage().contains("ab3"), e.getMessage());
    }

    @Test
    void wrongShapesAreRejectedWithTheirNames() {
        LinearMultistep m = Leapfrog.of();
        PerStepParameters f = randomField(1);
        MultistepBackprop bp = new MultistepBackprop(m, MultistepBackprop.Mode.EXACT);
        double[][] states = new double[STEPS + 1][ROWS * DIM];
        MultistepBackprop.Workspace ws = bp.newWorkspace(f, ROWS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bp.gradient(f, T0, H, STEPS, ROWS, states, C, new double[ROWS * DIM], new double[3], ws));
        assertTrue(e.getMessage().startsWith("thetaBar"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> bp.gradient(f, T0, H, STEPS + 1, ROWS, states, C, new double[6], new double[99], ws));
        assertTrue(e.getMessage().startsWith("steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> bp.gradient(f, T0, Double.NaN, STEPS, ROWS, states, C, new double[6], new double[27], ws));
        assertTrue(e.getMessage().startsWith("h "), e.getMessage());
    }

    @Test
    void forwardAndBackwardAllocateNothingAfterWarmUp() {
        for (MultistepBackprop.Mode mode : MultistepBackprop.Mode.values()) {
            LinearMultistep m = Leapfrog.of(Starter.RK4);
            // A field without simd-core kernels, so that this measures the solver and the backward pass alone.
            ScalarPerStepTanh f = scalarField(3);
            double[][] states = new double[STEPS + 1][ROWS * DIM];
            double[] y0 = y0();
            double[] y0Bar = new double[ROWS * DIM];
            double[] thetaBar = new double[STEPS * DIM];
            MultistepWorkspace fws = new MultistepWorkspace(m, f, ROWS);
            MultistepBackprop bp = new MultistepBackprop(m, mode);
            MultistepBackprop.Workspace bws = bp.newWorkspace(f, ROWS);
            Allocations.assertNoAllocation(mode + ": a forward + backward pass", 20_000, 500, () -> {
                MultistepSolver.integrate(m, f, T0, H, STEPS, y0, ROWS, states, fws);
                bp.gradient(f, T0, H, STEPS, ROWS, states, C, y0Bar, thetaBar, bws);
            });
        }
    }
}
