package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.CheckpointStore;
import dev.panode.adjoint.models.MlpArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The per-thread cache of workspaces: one per thread and key, bounded with the least recently used pushed out and
 * closed, the workspaces of ended threads closed when a new thread comes, all of them closed when the executor stops
 * (the plugin's shutdown) — gradient sessions' off-heap memory included.
 */
class ThreadWorkspacesTest {
    /** A workspace that records whether it was closed. */
    private static final class Probe implements ThreadWorkspaces.Workspace {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private record Key(String test, int shape) {}

    private static Probe get(Key key) {
        return ThreadWorkspaces.get(key, Probe::new);
    }

    private static <T> T onNewThread(java.util.function.Supplier<T> body) throws InterruptedException {
        AtomicReference<T> out = new AtomicReference<>();
        Thread t = new Thread(() -> out.set(body.get()));
        t.start();
        t.join();
        return out.get();
    }

    @Test
    void oneWorkspacePerThreadAndKey() throws InterruptedException {
        Key a = new Key("per-thread", 1), b = new Key("per-thread", 2);
        Probe first = get(a);
        assertSame(first, get(a));
        assertSame(first, get(new Key("per-thread", 1)), "equal keys share a workspace");
        assertNotSame(first, get(b));
        Probe other = onNewThread(() -> get(a));
        assertNotSame(first, other, "another thread has its own");
        assertEquals(1, ThreadWorkspaces.census(b).creations());
    }

    @Test
    void theLeastRecentlyUsedIsPushedOutAndClosed() {
        List<Probe> made = new ArrayList<>();
        for (int i = 0; i < ThreadWorkspaces.PER_THREAD; i++) made.add(get(new Key("lru", i)));
        get(new Key("lru", 0));                                            // 0 is now the most recently used
        Probe extra = get(new Key("lru", ThreadWorkspaces.PER_THREAD));    // pushes out 1
        assertFalse(made.get(0).closed);
        assertTrue(made.get(1).closed, "the least recently used is closed");
        assertFalse(extra.closed);
        assertNotSame(made.get(1), get(new Key("lru", 1)), "asked again, it is made anew");
        assertEquals(2, ThreadWorkspaces.census(new Key("lru", 1)).mostByOneThread());
    }

    @Test
    void workspacesOfEndedThreadsAreClosedWhenANewThreadComes() throws InterruptedException {
        Probe orphan = onNewThread(() -> get(new Key("ended", 0)));
        assertFalse(orphan.closed);
        onNewThread(() -> get(new Key("ended", 1)));                       // a new thread registers
        assertTrue(orphan.closed);
    }

    /** This thread's shard session of {@code rows} trajectories on a small model, after one gradient. */
    private static void gradientOnThisThread(int rows) {
        MlpArchitecture arch = MlpArchitecture.mlp3Tanh(2, 5);
        double[] theta = new double[arch.parameterCount()];
        java.util.Arrays.fill(theta, 0.1);
        double[] times = {0, 0.5, 1};
        SolveSpec spec = SolveSpec.fixedSteps("rk4", 4);
        List<double[]> data = new ArrayList<>();
        for (int b = 0; b < rows; b++) data.add(new double[]{1, b, 0.9, b, 0.8, b});
        ShardGradient.compute(arch, theta, spec, times, data, 3.0 * rows * 2, rows);
    }

    @Test
    void theExecutorPluginsShutdownFreesTheGradientSessionsOffHeapMemory() throws InterruptedException {
        ThreadWorkspaces.closeAll();                     // other tests' sessions: not part of this count
        long before = CheckpointStore.openBytesAllStores();
        Thread worker = new Thread(() -> gradientOnThisThread(3));
        worker.start();
        worker.join();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread alive = new Thread(() -> {
            gradientOnThisThread(4);
            ready.countDown();
            try {
                release.await();                         // stays alive, holding its session, until the end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        alive.start();
        ready.await();
        long held = CheckpointStore.openBytesAllStores();
        new PanodeSparkPlugin().executorPlugin().shutdown();
        long after = CheckpointStore.openBytesAllStores();
        // (stores of other tests that a cleaner frees meanwhile can only lower the counts)
        assertTrue(held > after, "the live thread's session held off-heap memory until the shutdown: " + held + " -> "
                + after);
        assertTrue(after <= before, "every session made here is closed, from another thread: " + before + " -> "
                + after);
        release.countDown();
        alive.join();
    }
}
