package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Stepping allocates nothing after warm-up (ThreadMXBean#getCurrentThreadAllocatedBytes). */
class ZeroAllocationTest {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated(Runnable r) {
        long before = MX.getCurrentThreadAllocatedBytes();
        r.run();
        return MX.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * The extra bytes of {@code longer} over {@code shorter}, the least over repeated windows (for up to 30 s): on a
     * loaded machine the C2 compilation of the Vector API kernels can lag far behind (until then their vectors are
     * real objects), while allocation per step that is in the code shows in every window.
     */
    private static long extraBytes(Runnable shorter, Runnable longer) {
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int attempt = 0; best != 0 && (attempt < 5 || System.nanoTime() < deadline); attempt++) {
            long a = allocated(shorter);
            long b = allocated(longer);
            best = Math.min(best, Math.abs(b - a));
        }
        return best;
    }

    @Test
    void adaptiveSolveBytesDoNotGrowWithTheNumberOfSteps() {
        SolverWorkspace ws = new SolverWorkspace();
        double[] y0 = {1, 1, 1};
        long[] steps = new long[1];
        SolveOptions opts = SolveOptions.builder().rtol(1e-6).atol(1e-8).saveAt(SaveAt.times(0.5, 1.0, 2.0))
                .observer(v -> steps[0]++).build();
        SolveOptions longOpts = opts.toBuilder().saveAt(SaveAt.times(0.5, 10.0, 20.0)).build();
        for (int i = 0; i < 300; i++) {
            Solver.solve(Problems.LORENZ, y0, 1, 0, 2, RungeKutta.dopri5(), opts, ws);
            Solver.solve(Problems.LORENZ, y0, 1, 0, 20, RungeKutta.dopri5(), longOpts, ws);
        }
        long[] shortSteps = {0}, longSteps = {0};
        long shortBytes = allocated(() -> {
            long s0 = steps[0];
            Solver.solve(Problems.LORENZ, y0, 1, 0, 2, RungeKutta.dopri5(), opts, ws);
            shortSteps[0] = steps[0] - s0;
        });
        long extra = extraBytes(() -> Solver.solve(Problems.LORENZ, y0, 1, 0, 2, RungeKutta.dopri5(), opts, ws),
                () -> {
                    long s0 = steps[0];
                    Solver.solve(Problems.LORENZ, y0, 1, 0, 20, RungeKutta.dopri5(), longOpts, ws);
                    longSteps[0] = steps[0] - s0;
                });
        assertTrue(longSteps[0] > 5 * shortSteps[0], "the long solve takes many more steps: " + longSteps[0]);
        assertEquals(0, extra, "bytes of a " + longSteps[0] + "-step solve beyond a " + shortSteps[0]
                + "-step solve: allocation per step");
        assertTrue(shortBytes < 4096, "a whole solve allocates only its Solution: " + shortBytes + " bytes");
    }

    @Test
    void everyMethodStepsWithoutAllocation() {
        for (RungeKutta m : new RungeKutta[]{RungeKutta.euler(), RungeKutta.rk4(), RungeKutta.bosh3(),
                RungeKutta.tsit5(), RungeKutta.dop853(), RungeKutta.dop853Dense()}) {
            SolverWorkspace ws = new SolverWorkspace();
            double[] y0 = {2, 0, 1, 0.5};
            SolveOptions shortOpts = m.isAdaptive()
                    ? SolveOptions.builder().rtol(1e-6).atol(1e-8).saveAt(SaveAt.times(0.3, 1.0)).build()
                    : SolveOptions.builder().steps(50).saveAt(SaveAt.times(0.3, 1.0)).build();
            SolveOptions longOpts = m.isAdaptive() ? shortOpts
                    : SolveOptions.builder().steps(5000).saveAt(SaveAt.times(0.3, 1.0)).build();
            double tLong = m.isAdaptive() ? 20.0 : 1.0;
            double[] save = {0.3, tLong};
            SolveOptions lo = longOpts.toBuilder().saveAt(SaveAt.times(save)).build();
            for (int i = 0; i < 200; i++) {
                Solver.solve(Problems.VAN_DER_POL, y0, 2, 0, 1.0, m, shortOpts, ws);
                Solver.solve(Problems.VAN_DER_POL, y0, 2, 0, tLong, m, lo, ws);
            }
            long extra = extraBytes(() -> Solver.solve(Problems.VAN_DER_POL, y0, 2, 0, 1.0, m, shortOpts, ws),
                    () -> Solver.solve(Problems.VAN_DER_POL, y0, 2, 0, tLong, m, lo, ws));
            assertEquals(0, extra, m.name() + ": bytes of a short and a long solve must be equal");
        }
    }

    @Test
    void publicSingleStepAllocatesNothing() {
        RungeKutta m = RungeKutta.dopri5();
        RkWorkspace ws = m.newWorkspace(Problems.LORENZ, 4, 3);
        double[] y = {1, 1, 1, 2, 2, 2, 0.5, 0.1, 3, -1, 0, 1}, yOut = new double[12], err = new double[12];
        for (int i = 0; i < 20_000; i++) m.step(Problems.LORENZ, 0.0, 1e-3, y, yOut, err, 4, ws);
        long bytes = extraBytes(() -> { }, () -> {
            for (int i = 0; i < 10_000; i++) m.step(Problems.LORENZ, 0.0, 1e-3, y, yOut, err, 4, ws);
        });
        assertEquals(0, bytes, "10 000 RungeKutta.step calls");
    }
}
