package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panode.adjoint.models.LinearField;
import dev.panode.blas.testing.ChildJvm;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolveOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10⁵ checkpointed gradients in a loop (a small problem, binomial checkpointing so states are recomputed from the
 * off-heap store; every tenth one fails inside the forward solve): the stores' own accounting returns to its start
 * after every call, and the process's resident memory stays flat after warm-up.
 */
public class OffHeapLifecycleTest {
    static final int CALLS = 100_000, WARM_UP = 10_000;
    /** Allowed growth of the resident set after warm-up (GC and JIT noise, not a leak: a leak of one 0.5 KiB store
     *  per call would be ~45 MB). */
    static final long RSS_SLACK_BYTES = 16L << 20;

    /** VmRSS of this process, from /proc/self/status (Linux), or -1 elsewhere. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Runs the loop; returns {VmRSS after warm-up, VmRSS at the end, the largest VmRSS sampled after warm-up} (-1 where
     * /proc is missing). Throws if any call leaves bytes in open stores.
     */
    static long[] gradientLoop() {
        LinearField field = LinearField.of(new double[][] {{-0.3, 1.0, 0.0}, {-1.0, -0.3, 0.2}, {0.0, -0.2, -0.1}});
        double[] y0 = {1, 0, -1, 0.5, 0.5, 0.5};
        double[] times = {0, 0.5, 1};
        Backprop binomial = new Backprop(Checkpointing.binomial(3));
        SolveOptions fixed = SolveOptions.builder().steps(24).build();
        SolveOptions failing = SolveOptions.builder().rtol(1e-8).atol(1e-10).maxSteps(2).build();
        long baseline = CheckpointStore.openBytesAllStores();
        long rssAfterWarmUp = -1, peak = -1;
        double check = 0;
        for (int i = 0; i < CALLS; i++) {
            if (i % 10 == 9) {
                try {
                    Gradients.compute(field, y0, 2, times, Loss.sumOfSquaresAtEnd(), RungeKutta.dopri5(), failing,
                            binomial);
                    throw new AssertionError("call " + i + " should have failed");
                } catch (SolveException expected) {
                    // the forward solve ran out of steps
                }
            } else {
                check += Gradients.compute(field, y0, 2, times, Loss.sumOfSquaresAtEnd(), RungeKutta.rk4(), fixed,
                        binomial).dLdy0()[0];
            }
            if (CheckpointStore.openBytesAllStores() != baseline) {
                throw new AssertionError("call " + i + " left " + (CheckpointStore.openBytesAllStores() - baseline)
                        + " off-heap bytes in open stores");
            }
            if (i == WARM_UP) {
                rssAfterWarmUp = residentBytes();
            } else if (i > WARM_UP && i % 5_000 == 0) {
                peak = Math.max(peak, residentBytes());
            }
        }
        if (!Double.isFinite(check)) throw new AssertionError("non-finite gradients");
        return new long[] {rssAfterWarmUp, residentBytes(), peak};
    }

    /** Entry point of the child JVM: prints the three VmRSS figures. */
    public static void main(String[] args) {
        long[] r = gradientLoop();
        System.out.println(r[0] + " " + r[1] + " " + r[2]);
    }

    /**
     * Runs {@link #gradientLoop()} in a fresh JVM whose heap is fixed and touched up front ({@code -Xms = -Xmx},
     * {@code AlwaysPreTouch}): then VmRSS moves only with native memory (and a little code cache and metaspace),
     * not with the Java heap growing.
     */
    @Test
    void checkpointedGradientsInALoopKeepNativeMemoryFlat() throws Exception {
        assumeTrue(residentBytes() > 0, "VmRSS is read from /proc/self/status (Linux)");
        ChildJvm.Result child = ChildJvm.run(OffHeapLifecycleTest.class, List.of("--add-modules",
                "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"), e -> true);
        assertEquals(0, child.exitCode(), child.stderr());
        String[] f = child.stdout().strip().split("\\s+");
        long warm = Long.parseLong(f[f.length - 3]), end = Long.parseLong(f[f.length - 2]),
                peak = Long.parseLong(f[f.length - 1]);
        long growth = Math.max(end, peak) - warm;
        System.out.printf("[OffHeapLifecycleTest] %d gradients (every tenth failing), heap fixed at 256 MB: VmRSS after "
                + "%d-call warm-up %.1f MB, at end %.1f MB, peak %.1f MB (growth %.2f MB)%n", CALLS, WARM_UP, warm / 1e6,
                end / 1e6, peak / 1e6, growth / 1e6);
        assertTrue(growth < RSS_SLACK_BYTES, "VmRSS grew by " + growth + " bytes over " + (CALLS - WARM_UP)
                + " gradients after warm-up");
    }

    @Test
    void everyStoreIsFreedWhenClosedAlsoWhenTheBodyThrows() {
        long baseline = CheckpointStore.openBytesAllStores();
        CheckpointStore kept = null;
        try (CheckpointStore store = new CheckpointStore(16, 1 << 20)) {
            kept = store;
            store.write(0, new double[16], 0);
            store.write(5, new double[16], 0);
            assertTrue(CheckpointStore.openBytesAllStores() > baseline);
            throw new IllegalStateException("the solve failed");
        } catch (IllegalStateException expected) {
            assertEquals("the solve failed", expected.getMessage());
        }
        assertTrue(kept.isClosed());
        assertEquals(baseline, CheckpointStore.openBytesAllStores());
    }
}
