package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver;
import dev.panode.solvers.PerSampleSolver.Packing;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The MLP in per-sample mode: one GEMM per layer over the packed rows, each row at its own time. A row's result
 * may depend on the block's size through the GEMM's summation order, so a sample solved in a batch equals its solo
 * solve to rounding; the test measures how close (and that the step sequence is the same).
 */
class PerSampleMlpTest {

    private static double[] row(double[] y, int r, int dim) {
        return Arrays.copyOfRange(y, r * dim, (r + 1) * dim);
    }

    private static double maxRelDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(b[i])));
        return m;
    }

    /** d2_h50_b16_s3 with the initial states scaled 0.1 … 10: every sample equals its solo solve. */
    @Test
    void referenceMlpSamplesMatchTheirSoloSolves() {
        Mlp mlp = MlpJson.fromJson(ReferenceData.read("bench_d2_h50_b16_s3.json"));
        double[] z0 = ReferenceData.flat(ReferenceData.read("bench_d2_h50_b16_s3.json").get("z0"));
        int rows = z0.length / 2;
        double[] y0 = z0.clone();
        for (int r = 0; r < rows; r++) {
            double scale = Math.pow(10, -1 + 2.0 * r / (rows - 1));
            y0[2 * r] *= scale;
            y0[2 * r + 1] *= scale;
        }
        double[] t0 = new double[rows], t1 = new double[rows];
        for (int r = 0; r < rows; r++) t1[r] = 1.0 + 0.1 * r;
        SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();
        PerSampleSolution batch = PerSampleSolver.solve(mlp, y0, rows, t0, t1, null, RungeKutta.dopri5(), o,
                Packing.COMPACT);
        assertTrue(batch.isSuccess());
        double worst = 0;
        long sameStats = 0;
        for (int r = 0; r < rows; r++) {
            Solution alone = Solver.solve(mlp, row(y0, r, 2), 1, 0, t1[r], RungeKutta.dopri5(), o);
            worst = Math.max(worst, maxRelDiff(batch.state(r, 0), alone.lastState()));
            if (alone.stats().equals(batch.stats(r))) sameStats++;
        }
        System.out.printf("d2_h50_b16_s3 per-sample vs solo: max relative difference %.3e, equal stats %d/%d%n",
                worst, sameStats, rows);
        assertEquals(rows, sameStats, "every sample takes the same steps as alone");
        assertTrue(worst <= 1e-12, "per-sample batch vs solo: " + worst);
    }

    /** With time input each packed row sees its own t: a ragged batch matches the solo solves. */
    @Test
    void timeInputMlpSeesEachRowsTime() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(3, 16).withTimeInput(true), Initialisation.PYTORCH_DEFAULT,
                7, 2.0);
        double[] y0 = {0.5, -1, 0.2, 1, 1, 1, -0.3, 0.1, 2};
        double[] t0 = {0, 2, -1}, t1 = {3, 0.5, 1};
        SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).build();
        PerSampleSolution batch = PerSampleSolver.solve(mlp, y0, 3, t0, t1, RungeKutta.tsit5(), o);
        for (int r = 0; r < 3; r++) {
            Solution alone = Solver.solve(mlp, row(y0, r, 3), 1, t0[r], t1[r], RungeKutta.tsit5(), o);
            assertEquals(alone.stats(), batch.stats(r));
            assertTrue(maxRelDiff(batch.state(r, 0), alone.lastState()) <= 1e-12);
        }
    }

    /** Compacted per-sample solves of the MLP allocate per solve, not per step: ten times the steps, same bytes. */
    @Test
    void compactedMlpStepsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16).withTimeInput(true), Initialisation.PYTORCH_DEFAULT,
                3, 2.0);
        double[] y0 = {0.1, 0.2, 1, -1, 3, 0.5, -2, 2};
        double[] t0 = new double[4], tShort = {0.5, 1, 0.2, 0.7}, tLong = {20, 40, 8, 28};
        SolveOptions o = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();
        Runnable shorter = () -> PerSampleSolver.solve(mlp, y0, 4, t0, tShort, RungeKutta.dopri5(), o);
        Runnable longer = () -> PerSampleSolver.solve(mlp, y0, 4, t0, tLong, RungeKutta.dopri5(), o);
        long a = PerSampleSolver.solve(mlp, y0, 4, t0, tShort, RungeKutta.dopri5(), o).totalNfe();
        long b = PerSampleSolver.solve(mlp, y0, 4, t0, tLong, RungeKutta.dopri5(), o).totalNfe();
        assertTrue(b > 3 * a, "many more steps: " + a + " vs " + b);
        for (int i = 0; i < 300; i++) {
            shorter.run();
            longer.run();
        }
        long least = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int k = 0; least != 0 && (k < 5 || System.nanoTime() < deadline); k++) {
            long s0 = mx.getCurrentThreadAllocatedBytes();
            shorter.run();
            long s1 = mx.getCurrentThreadAllocatedBytes();
            longer.run();
            long s2 = mx.getCurrentThreadAllocatedBytes();
            least = Math.min(least, Math.abs((s2 - s1) - (s1 - s0)));
        }
        assertEquals(0, least, "bytes that grow with the number of steps");
    }
}
