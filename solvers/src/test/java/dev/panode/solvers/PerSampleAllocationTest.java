package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A per-sample solve allocates its buffers and solution up front and nothing per step: a solve with ten times the
 * steps (same batch, same number of save times) allocates the same bytes.
 */
class PerSampleAllocationTest {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated(Runnable r) {
        long before = MX.getCurrentThreadAllocatedBytes();
        r.run();
        return MX.getCurrentThreadAllocatedBytes() - before;
    }

    /** The least |bytes(longer) − bytes(shorter)| over repeated windows (C2 may lag on a loaded machine). */
    private static long extraBytes(Runnable shorter, Runnable longer) {
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int attempt = 0; best != 0 && (attempt < 5 || System.nanoTime() < deadline); attempt++) {
            best = Math.min(best, Math.abs(allocated(longer) - allocated(shorter)));
        }
        return best;
    }

    @Test
    void stepsAllocateNothing() {
        double[] mus = {0.5, 2, 5, 20};
        double[] y0 = new double[12];
        for (int r = 0; r < 4; r++) {
            y0[3 * r] = 2;
            y0[3 * r + 2] = mus[r];
        }
        double[] t0 = new double[4];
        double[] tShort = {1, 1.5, 2, 0.5}, tLong = {10, 15, 20, 5};
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        for (PerSampleSolver.Packing p : PerSampleSolver.Packing.values()) {
            for (RungeKutta m : new RungeKutta[]{RungeKutta.dopri5(), RungeKutta.dop853()}) {
                Runnable shorter = () -> PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, 4, t0, tShort, null,
                        m, o, p);
                Runnable longer = () -> PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, 4, t0, tLong, null,
                        m, o, p);
                for (int i = 0; i < 200; i++) {
                    shorter.run();
                    longer.run();
                }
                long a = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, 4, t0, tShort, null, m, o, p)
                        .totalNfe();
                long b = PerSampleSolver.solve(PerSampleFields.VAN_DER_POL_MU, y0, 4, t0, tLong, null, m, o, p)
                        .totalNfe();
                assertTrue(b > 5 * a, "the long solve takes many more steps: " + a + " vs " + b);
                assertEquals(0, extraBytes(shorter, longer), p + " " + m.name() + ": bytes per step");
            }
        }
    }
}
