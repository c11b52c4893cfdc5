package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Inline work takes free slots only while nobody queues; queued work gets the next free slot. */
class SolverSlotsTest {
    @Test
    void inlineTakesFreeSlotsUpToTheBound() {
        SolverSlots s = new SolverSlots(2);
        assertTrue(s.tryInline());
        assertTrue(s.tryInline());
        assertFalse(s.tryInline(), "both slots taken");
        assertEquals(2, s.busy());
        s.release();
        assertEquals(1, s.busy());
        assertTrue(s.tryInline());
    }

    @Test
    void aQueuedRequestKeepsInlineWorkFromOvertakingIt() throws Exception {
        SolverSlots s = new SolverSlots(1);
        assertTrue(s.tryInline());
        assertTrue(s.tryQueue(1));
        CountDownLatch got = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().start(() -> {
            s.acquireQueued();
            got.countDown();
        });
        assertFalse(got.await(50, TimeUnit.MILLISECONDS), "the slot is still held inline");
        s.release();
        assertFalse(s.tryInline(), "the freed slot belongs to the queued request");
        assertTrue(got.await(5, TimeUnit.SECONDS));
        worker.join();
        assertEquals(1, s.busy());
        s.release();
        assertTrue(s.tryInline(), "nobody waits any more");
    }

    @Test
    void aRefusedQueuedRequestNoLongerBlocksInlineWork() {
        SolverSlots s = new SolverSlots(1);
        assertTrue(s.tryQueue(0), "a free slot admits even without queue room");
        assertFalse(s.tryInline());
        s.dequeued();
        assertTrue(s.tryInline());
    }

    @Test
    void theQueueAdmitsUpToItsCapacityOnceEverySlotIsBusy() {
        SolverSlots s = new SolverSlots(1);
        assertTrue(s.tryInline());
        assertTrue(s.tryQueue(2));
        assertTrue(s.tryQueue(2));
        assertFalse(s.tryQueue(2), "slot busy and two wait: full");
        s.dequeued();
        assertTrue(s.tryQueue(2));
    }

    @Test
    void atLeastOneSlot() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SolverSlots(0));
        assertEquals("slots must be at least 1, got 0", e.getMessage());
    }
}
