package dev.panode.blas.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shared allocation helper can fail: a real allocation per call shows in every window. */
class AllocationsTest {
    private static Object sink;

    @Test
    void aRealPerCallAllocationIsReportedWithItsBytesPerCall() {
        Allocations.Measurement m = Allocations.measure(() -> sink = new long[8], 1000, 1000, 0, Duration.ofMillis(300));
        assertFalse(m.met(), m.toString());
        assertTrue(m.windows() >= 2, "windows are repeated until the bound: " + m);
        assertTrue(m.lastBytesPerCall() >= 64 && m.leastBytes() >= 64_000, m.toString());
        assertTrue(m.toString().contains("bytes per call"), m.toString());
        assertTrue(m.jitIdle(), "it fails once the JIT is idle, not at the cap: " + m);
        assertTrue(m.millis() >= 300 + Allocations.QUIET.toMillis(), "not before the bound and the quiet time: " + m);
    }

    @Test
    void theJitQueueIsReadable() {
        String queue = JitActivity.compilerQueue();
        assertTrue(queue != null && queue.contains("C2 compile queue"), String.valueOf(queue));
    }

    @Test
    void aCallThatAllocatesNothingPassesAtOnce() {
        long[] counter = {0};
        Allocations.assertNoAllocation("a counter increment", () -> counter[0]++);
        Allocations.Measurement m = Allocations.measure(() -> counter[0]++, 100, 100, 0, Duration.ofSeconds(30));
        assertTrue(m.met() && m.lastBytes() == 0, m.toString());
    }

    @Test
    void workThatAllocatesMoreIsNotTheSameBytes() {
        int[] n = {0};
        AssertionError e = assertThrows(AssertionError.class, () -> Allocations.assertSameBytes("growing",
                () -> sink = new byte[16], () -> sink = new byte[16 + 8 * (++n[0] % 3 + 1)], 0, 10, Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("bytes per call"), e.getMessage());
    }
}
