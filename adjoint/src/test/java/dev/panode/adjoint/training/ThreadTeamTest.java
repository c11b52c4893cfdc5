package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ThreadTeam}: every member runs every region once and the caller returns only after all have finished (each
 * member's writes visible to it), a member's failure reaches the caller, and a team with nothing to do parks — its
 * workers after their bounded spin, the caller while it waits for a slow member — instead of burning a core.
 */
class ThreadTeamTest {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void everyMemberRunsEveryRegionOnceAndTheCallerSeesTheirWrites() {
        try (ThreadTeam team = new ThreadTeam(3, "team-test")) {
            long[] counts = new long[3 * 16]; // one member per 128 bytes
            for (int i = 1; i <= 2_000; i++) {
                team.run(m -> counts[m * 16]++);
                int k = i;
                assertTrue(counts[0] == k && counts[16] == k && counts[32] == k, () -> "after region " + k + ": "
                        + counts[0] + ", " + counts[16] + ", " + counts[32]);
            }
        }
    }

    @Test
    void aMembersFailureIsRethrownAfterEveryMemberHasFinished() {
        try (ThreadTeam team = new ThreadTeam(2, "team-test")) {
            boolean[] finished = new boolean[2];
            IllegalStateException thrown = new IllegalStateException("worker failed");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(m -> {
                if (m == 1) throw thrown;
                sleep(20);
                finished[m] = true;
            }));
            assertSame(thrown, e);
            assertTrue(finished[0]);
            team.run(m -> finished[m] = false); // the team still works after a failure
            assertArrayEquals(new boolean[2], finished);
        }
    }

    @Test
    void anIdleWorkerParksAfterItsSpinAndWakesForTheNextRegion() {
        try (ThreadTeam team = new ThreadTeam(2, "team-test")) {
            int[] runs = new int[1];
            team.run(m -> {
                if (m == 1) runs[0]++;
            });
            Thread worker = team.workers()[0];
            awaitParked(worker);
            long cpu0 = CPU.getThreadCpuTime(worker.threadId());
            sleep(300);
            long idleCpu = CPU.getThreadCpuTime(worker.threadId()) - cpu0;
            awaitParked(worker); // still (or again, after a spurious wake-up) parked
            assertTrue(idleCpu < TimeUnit.MILLISECONDS.toNanos(30),
                    "an idle worker burns no core: " + idleCpu / 1e6 + " ms of CPU in 300 ms");
            team.run(m -> {
                if (m == 1) runs[0]++;
            });
            assertEquals(2, runs[0], "the parked worker was woken for the next region");
        }
    }

    @Test
    void aCallerWaitingForASlowMemberParks() {
        try (ThreadTeam team = new ThreadTeam(2, "team-test")) {
            team.run(m -> { }); // both started
            long cpu0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            int[] done = new int[1];
            team.run(m -> {
                if (m == 1) {
                    sleep(400);
                    done[0] = 1;
                }
            });
            long wall = System.nanoTime() - t0, cpu = CPU.getCurrentThreadCpuTime() - cpu0;
            assertEquals(1, done[0]);
            assertTrue(wall >= TimeUnit.MILLISECONDS.toNanos(400));
            assertTrue(cpu < TimeUnit.MILLISECONDS.toNanos(100),
                    "the caller spins only briefly, then parks: " + cpu / 1e6 + " ms of CPU in " + wall / 1e6 + " ms");
        }
    }

    @Test
    void aClosedTeamStopsItsWorkersAndRefusesRegions() throws InterruptedException {
        ThreadTeam team = new ThreadTeam(3, "team-test");
        team.run(m -> { });
        team.close();
        for (Thread t : team.workers()) {
            t.join(10_000);
            assertEquals(Thread.State.TERMINATED, t.getState());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(m -> { }));
        assertEquals("the thread team is closed", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ThreadTeam(0, "team-test"));
    }

    /** Waits (up to 20 s: a loaded machine may keep the worker from its spin's end) until {@code t} parks. */
    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (t.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the idle worker did not park within 20 s: " + t.getState());
            sleep(1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
