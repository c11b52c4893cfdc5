package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import dev.panode.simd.ErrorNormsF32;
import dev.panode.simd.NormKind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockNorm}: the largest of the blocks' norms, the same on float states (summed in double) as on their widened
 * doubles, and a float solve under it takes the double solve's steps.
 */
class BlockNormTest {
    private static final int[] STARTS = {0, 5, 5, 40, 43};
    private static final int[] LENGTHS = {5, 35, 0, 3, 1};

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    @Test
    void theLargestBlockNormInBothPrecisions() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 46; // component 44 and 45 lie outside every block: never read
        for (NormKind kind : NormKind.values()) {
            BlockNorm norm = BlockNorm.of(kind, STARTS, LENGTHS);
            assertEquals(44, norm.componentsMeasured());
            for (int round = 0; round < 20; round++) {
                float[] err = new float[n], y0 = new float[n], y1 = new float[n];
                for (int i = 0; i < n; i++) {
                    // blocks of very different scales, so that the largest one is not always the same
                    double scale = i < 5 ? 1e-3 : i < 40 ? 1e-1 : round % 2 == 0 ? 10 : 1e-4;
                    err[i] = (float) (rnd.nextDouble(-1, 1) * 1e-5 * scale);
                    y0[i] = (float) rnd.nextDouble(-3, 3);
                    y1[i] = (float) rnd.nextDouble(-3, 3);
                }
                err[44] = err[45] = Float.NaN;
                double want = 0;
                for (int b = 0; b < STARTS.length; b++) {
                    want = Math.max(want, ErrorNormsF32.scaledScalar(kind, err, y0, y1, STARTS[b], LENGTHS[b], 1e-6,
                            1e-4));
                }
                double vector = norm.measure(err, y0, y1, 1e-6, 1e-4, false);
                double scalar = norm.measure(err, y0, y1, 1e-6, 1e-4, true);
                double dbl = norm.measure(widen(err), widen(y0), widen(y1), 1, n, 1e-6, 1e-4, null, null);
                assertEquals(want, scalar, 0.0, kind + " scalar");
                assertEquals(want, vector, 1e-14 * want, kind + " vector");
                assertEquals(want, dbl, 1e-14 * want, kind + " double");
            }
            float[] nan = new float[n];
            nan[41] = Float.NaN;
            assertTrue(Double.isNaN(norm.measure(nan, new float[n], new float[n], 1e-6, 1e-4, false)), kind + " NaN");
        }
    }

    @Test
    void badBlocksAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockNorm.of(NormKind.RMS, new int[] {0, 3}, new int[] {3, -1}));
        assertTrue(e.getMessage().contains("block 1 must have start and length >= 0, got start 3, length -1"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BlockNorm.of(NormKind.RMS, new int[] {0}, new int[2]));
        assertTrue(e.getMessage().contains("of one length, got 1 and 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BlockNorm.of(null, new int[0], new int[0]));
        assertTrue(e.getMessage().contains("kind must be non-null"), e.getMessage());
        float[] y0 = {1, 1, 1, 2, 0.5f, 1.5f};
        SolveOptions past = SolveOptions.builder().errorNorm(BlockNorm.of(NormKind.RMS, new int[] {0, 3},
                new int[] {3, 4})).build();
        e = assertThrows(IllegalArgumentException.class, () -> Solver.solve(SolveIntoTest.LORENZ_F32, y0, 2, 0.0, 1.0,
                RungeKutta.dopri5(), past, new SolverWorkspaceF32()));
        assertTrue(e.getMessage().contains("blocks must lie inside the state of rows × dim = 6 components, got blocks "
                + "up to component 7"), e.getMessage());
        SolveOptions custom = SolveOptions.builder().errorNorm(ErrorNorm.worstRow(NormKind.RMS)).build();
        e = assertThrows(IllegalArgumentException.class, () -> Solver.solve(SolveIntoTest.LORENZ_F32, y0, 2, 0.0, 1.0,
                RungeKutta.dopri5(), custom, new SolverWorkspaceF32()));
        assertTrue(e.getMessage().contains("built-in RMS or max norm or a BlockNorm in float32"), e.getMessage());
    }

    /**
     * Two Lorenz trajectories of different sizes in one flat state, one block each: the float solve takes the steps
     * of the double solve of the same (float-valued) start under the same norm (the initial-step heuristic measures
     * by blocks too), other steps than under the RMS over the whole state, and no allocation once warm.
     */
    @Test
    void aFloatSolveUnderBlocksTakesTheDoubleSolvesSteps() {
        float[] y0 = {1, 1, 1, 12, 0.5f, 30};
        double[] y0d = widen(y0);
        BlockNorm blocks = BlockNorm.of(NormKind.RMS, new int[] {0, 3}, new int[] {3, 3});
        SolveOptions o = SolveOptions.builder().rtol(1e-4).atol(1e-6).errorNorm(blocks).saveAt(SaveAt.t1()).build();
        SolverWorkspaceF32 ws = new SolverWorkspaceF32();
        float[] end = new float[6];
        Solver.solveInto(SolveIntoTest.LORENZ_F32, y0, 2, 0.0, 0.5, RungeKutta.dopri5(), o, ws, end);
        Solution d = Solver.solve(Problems.LORENZ, y0d, 2, 0.0, 0.5, RungeKutta.dopri5(), o);
        assertEquals(d.stats().nfe(), ws.lastNfe(), "NFE");
        assertEquals(d.stats().accepted(), ws.lastAccepted(), "accepted steps");
        assertEquals(d.stats().rejected(), ws.lastRejected(), "rejected steps");
        Solution rms = Solver.solve(Problems.LORENZ, y0d, 2, 0.0, 0.5, RungeKutta.dopri5(),
                o.toBuilder().errorNorm(ErrorNorm.rms()).build());
        assertNotEquals(rms.stats().nfe(), d.stats().nfe(), "the blocks decide the steps");
        Allocations.assertNoAllocation("a warm float solve under a block norm", 2000, 200,
                () -> Solver.solveInto(SolveIntoTest.LORENZ_F32, y0, 2, 0.0, 0.5, RungeKutta.dopri5(), o, ws, end));
    }
}
