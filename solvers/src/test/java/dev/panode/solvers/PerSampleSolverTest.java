package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.PerSampleSolver.Packing;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PerSampleSolverTest {
    private static final double[] MUS = {0.5, 1, 2, 5, 10, 20};

    private static double[] vdpStates(double... mus) {
        double[] y = new double[3 * mus.length];
        for (int r = 0; r < mus.length; r++) {
            y[3 * r] = 2.0;
            y[3 * r + 2] = mus[r];
        }
        return y;
    }

    private static double[] row(double[] y, int r, int dim) {
        return Arrays.copyOfRange(y, r * dim, (r + 1) * dim);
    }

    private static double[] fill(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** One sample per-sample equals Solver.solve of that sample alone, bitwise: the same machinery. */
    private static void assertSameAsSolver(RowTimeField f, double[] y0, double t0, double t1, RungeKutta m,
                                           SolveOptions o) {
        Solution ref = Solver.solve(f, y0, 1, t0, t1, m, o);
        PerSampleSolution ps = PerSampleSolver.solve(f, y0, 1, new double[]{t0}, new double[]{t1}, null, m, o,
                Packing.COMPACT);
        assertEquals(Result.SUCCESSFUL, ps.result(0), ps.message(0));
        assertEquals(ref.stats(), ps.stats(0), m.name());
        assertArrayEquals(ref.times(), ps.times(0), m.name());
        assertArrayEquals(ref.states(), ps.states(0), m.name());
    }

    @Test
    void aSingleSampleIsSolvedExactlyAsSolverSolvesIt() {
        double[] y0 = vdpStates(3.0);
        SolveOptions base = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        for (RungeKutta m : new RungeKutta[]{RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.bosh3(),
                RungeKutta.dop853()}) {
            assertSameAsSolver(PerSampleFields.VAN_DER_POL_MU, y0, 0, 7, m, base);
            assertSameAsSolver(PerSampleFields.VAN_DER_POL_MU, y0, 0, 7, m,
                    base.toBuilder().saveAt(SaveAt.times(0, 0.3, 1.7, 4, 6.99)).build());
            assertSameAsSolver(PerSampleFields.FORCED, new double[]{1, 0}, 0.5, -4, m,
                    base.toBuilder().saveAt(SaveAt.times(0.1, -1, -3.5)).controller(PidController.gustafsson())
                            .build());
        }
        assertSameAsSolver(PerSampleFields.FORCED, new double[]{1, 0}, 0, 3, RungeKutta.rk4(),
                SolveOptions.builder().dt(0.07).saveAt(SaveAt.times(0.5, 1.01, 3)).build());
        assertSameAsSolver(PerSampleFields.VAN_DER_POL_MU, y0, 0, 5, RungeKutta.dopri5(),
                SolveOptions.builder().torchdiffeqCompatible(true).rtol(1e-5).atol(1e-7)
                        .saveAt(SaveAt.times(1, 2.5, 5)).build());
        assertSameAsSolver(PerSampleFields.VAN_DER_POL_MU, y0, 0, 5, RungeKutta.dopri5(),
                SolveOptions.builder().dt0(1e-3).dtMax(0.1).norm(dev.panode.simd.NormKind.MAX).build());
    }

    /** Each sample of a ragged batch (own t0, t1, save times) equals its solo solve, bitwise, in any order. */
    @Test
    void aSampleDoesNotDependOnTheOtherSamples() {
        int rows = MUS.length;
        double[] y0 = vdpStates(MUS);
        double[] t0 = new double[rows], t1 = new double[rows];
        double[][] save = new double[rows][];
        for (int r = 0; r < rows; r++) {
            t0[r] = 0.1 * r;
            t1[r] = r % 2 == 0 ? 3 + r : -2 - r;
            save[r] = new double[]{t0[r] + 0.5 * (t1[r] - t0[r]), t1[r]};
        }
        SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();
        for (RungeKutta m : new RungeKutta[]{RungeKutta.dopri5(), RungeKutta.dop853()}) {
            PerSampleSolution batch = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, rows, t0, t1, save, m,
                    o, Packing.COMPACT);
            PerSampleSolution masked = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, rows, t0, t1, save,
                    m, o, Packing.MASK);
            int[] perm = {3, 5, 0, 2, 4, 1};
            double[] yp = new double[y0.length], t0p = new double[rows], t1p = new double[rows];
            double[][] sp = new double[rows][];
            for (int j = 0; j < rows; j++) {
                System.arraycopy(y0, 3 * perm[j], yp, 3 * j, 3);
                t0p[j] = t0[perm[j]];
                t1p[j] = t1[perm[j]];
                sp[j] = save[perm[j]];
            }
            PerSampleSolution permuted = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, yp, rows, t0p, t1p, sp,
                    m, o, Packing.COMPACT);
            assertTrue(batch.isSuccess());
            for (int r = 0; r < rows; r++) {
                PerSampleSolution alone = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, row(y0, r, 3), 1,
                        new double[]{t0[r]}, new double[]{t1[r]}, new double[][]{save[r]}, m, o, Packing.COMPACT);
                for (PerSampleSolution other : new PerSampleSolution[]{batch, masked}) {
                    assertEquals(alone.stats(0), other.stats(r), "sample " + r);
                    assertArrayEquals(alone.times(0), other.times(r));
                    assertArrayEquals(alone.states(0), other.states(r), "sample " + r);
                }
            }
            for (int j = 0; j < rows; j++) {
                assertEquals(batch.stats(perm[j]), permuted.stats(j));
                assertArrayEquals(batch.states(perm[j]), permuted.states(j));
            }
        }
    }

    /** Per-row times reach a time-dependent field: a ragged batch equals the solo solves of the forced oscillator. */
    @Test
    void timeDependentFieldsSeeEachRowsOwnTime() {
        double[] y0 = {1, 0, 0, 1, -1, 0.5};
        double[] t0 = {0, 1.3, -2}, t1 = {5, 2, 4};
        SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).build();
        PerSampleSolution b = PerSampleSolver.solve(PerSampleFields.FORCED, y0, 3, t0, t1, RungeKutta.tsit5(), o);
        for (int r = 0; r < 3; r++) {
            Solution alone = Solver.solve(PerSampleFields.FORCED, row(y0, r, 2), 1, t0[r], t1[r], RungeKutta.tsit5(),
                    o);
            assertArrayEquals(alone.state(0), b.state(r, 0));
            assertEquals(alone.stats(), b.stats(r));
        }
    }

    /**
     * The cost comparison on Van der Pol with μ over 0.5 … 20: total useful NFE is the same in both packings; masking
     * evaluates every row at every stage, compaction only the running rows; shared stepping (one h for the batch,
     * the worst row's error) evaluates rows × NFE. Counts, not time.
     */
    @Test
    void compactionEvaluatesFewerRowsThanMaskingAndSharedStepping() {
        double[] mus = {0.5, 1, 2, 3, 5, 8, 12, 20};
        int rows = mus.length;
        double[] y0 = vdpStates(mus);
        double[] t0 = new double[rows], t1 = fill(rows, 10.0);
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        PerSampleSolution compact = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, rows, t0, t1, null,
                RungeKutta.dopri5(), o, Packing.COMPACT);
        PerSampleSolution masked = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, rows, t0, t1, null,
                RungeKutta.dopri5(), o, Packing.MASK);
        Solution shared = Solver.solve(PerSampleFields.VAN_DER_POL_MU, y0, rows, 0, 10, RungeKutta.dopri5(),
                o.toBuilder().errorNorm(ErrorNorm.worstRow(dev.panode.simd.NormKind.RMS)).build());
        long sharedRows = shared.stats().nfe() * rows;
        assertEquals(compact.totalNfe(), masked.totalNfe());
        assertEquals(compact.totalNfe(), compact.rowsEvaluated(), "compaction evaluates exactly the useful rows");
        assertEquals(compact.fieldCalls(), masked.fieldCalls());
        assertEquals(masked.fieldCalls() * rows, masked.rowsEvaluated());
        long maxNfe = 0, minNfe = Long.MAX_VALUE;
        for (int r = 0; r < rows; r++) {
            maxNfe = Math.max(maxNfe, compact.stats(r).nfe());
            minNfe = Math.min(minNfe, compact.stats(r).nfe());
        }
        assertTrue(maxNfe > 2 * minNfe, "a heterogeneous batch: NFE " + minNfe + " … " + maxNfe);
        System.out.printf("VdP mu 0.5..20, %d rows: per-sample NFE %d..%d, rows evaluated: compact %d, mask %d, "
                + "shared %d (shared NFE %d)%n", rows, minNfe, maxNfe, compact.rowsEvaluated(), masked.rowsEvaluated(),
                sharedRows, shared.stats().nfe());
        assertTrue(compact.rowsEvaluated() < 0.8 * masked.rowsEvaluated(),
                compact.rowsEvaluated() + " vs " + masked.rowsEvaluated());
        assertTrue(compact.rowsEvaluated() < 0.5 * sharedRows, compact.rowsEvaluated() + " vs " + sharedRows);
    }

    @Test
    void aFailingSampleDoesNotStopTheOthers() {
        double[] y0 = {0.1, 2.0, 0.5};
        PerSampleSolution s = PerSampleSolver.solve(PerSampleFields.BLOW_UP, y0, 3, new double[3], fill(3, 1.0),
                RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-6).atol(1e-8).maxSteps(2000).build());
        assertEquals(Result.SUCCESSFUL, s.result(0));
        assertEquals(Result.SUCCESSFUL, s.result(2));
        assertTrue(!s.result(1).isSuccess(), s.result(1).name());
        assertTrue(s.message(1).startsWith(s.result(1).name() + ": "), s.message(1));
        assertEquals(0.1 / (1 - 0.1), s.state(0, 0)[0], 1e-6);
        assertEquals(1.0, s.state(2, 0)[0], 1e-5);
        // the same failure and message as a solo Solver.solve of that sample
        Solution alone = Solver.solve(PerSampleFields.BLOW_UP, new double[]{2.0}, 1, 0, 1, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-6).atol(1e-8).maxSteps(2000).throwOnFailure(false).build());
        assertEquals(alone.result(), s.result(1));
        assertEquals(alone.message(), s.message(1));
        assertEquals(alone.stats(), s.stats(1));
    }

    @Test
    void invalidArgumentsAreNamed() {
        RowTimeField f = PerSampleFields.VAN_DER_POL_MU;
        double[] y0 = vdpStates(1, 2);
        SolveOptions o = SolveOptions.defaults();
        RungeKutta m = RungeKutta.dopri5();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerSampleSolver.solve(f, y0, 2, new double[]{0}, new double[]{1, 1}, m, o));
        assertTrue(e.getMessage().contains("t0 must have length rows = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PerSampleSolver.solve(f, y0, 2, new double[]{0, 1}, new double[]{1, 1}, m, o));
        assertTrue(e.getMessage().contains("t0[1] and t1[1] must differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PerSampleSolver.solve(f, y0, 2, new double[2],
                new double[]{1, 2}, new double[][]{{0.5}, {3}}, m, o, Packing.COMPACT));
        assertTrue(e.getMessage().contains("save times of sample 1 must lie in [0.0, 2.0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PerSampleSolver.solve(f, y0, 2, new double[2],
                new double[]{1, 2}, m, o.toBuilder().tstops(0.5).build()));
        assertTrue(e.getMessage().contains("tstops"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PerSampleSolver.solve(f, y0, 2, new double[2],
                new double[]{1, 2}, RungeKutta.dop853Dense(), o));
        assertTrue(e.getMessage().contains("extra stages"), e.getMessage());
        PerSampleSolution quiet = PerSampleSolver.solve(f, y0, 2, new double[2], new double[]{1, Double.NaN}, m,
                o.toBuilder().throwOnFailure(false).build());
        assertEquals(Result.INVALID_ARGUMENT, quiet.result(1));
        assertTrue(quiet.message(0).contains("t1[1] must be finite, got NaN"), quiet.message(0));
    }
}
