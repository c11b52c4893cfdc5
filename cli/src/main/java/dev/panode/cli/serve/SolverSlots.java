package dev.panode.cli.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on concurrent solver work: {@code workers} slots, shared by the worker pool and by requests run inline on
 * the HTTP thread that read them. A request may run inline only when a slot is free and no queued request waits for
 * one, so inline requests never overtake the queue; queued requests take slots in the pool's order.
 */
final class SolverSlots {
    private final int slots;
    private final Semaphore free;
    private final AtomicInteger waiting = new AtomicInteger();

    SolverSlots(int slots) {
        if (slots < 1) throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        this.slots = slots;
        this.free = new Semaphore(slots);
    }

    /** Takes a slot for inline work if one is free and nothing waits in the queue; {@link #release} gives it back. */
    boolean tryInline() {
        return waiting.get() == 0 && free.tryAcquire();
    }

    /**
     * Admits a request to the queue if a slot is free or fewer than {@code capacity} requests wait (undo with
     * {@link #dequeued} if the pool refuses it); false means every slot is busy and the queue is full.
     */
    boolean tryQueue(int capacity) {
        while (true) {
            int w = waiting.get();
            if (w >= capacity + free.availablePermits()) return false;
            if (waiting.compareAndSet(w, w + 1)) return true;
        }
    }

    /** A queued request was refused or dropped before taking a slot. */
    void dequeued() {
        waiting.decrementAndGet();
    }

    /** On a pool worker: waits for a slot for a queued request (at most the inline requests running now). */
    void acquireQueued() {
        free.acquireUninterruptibly();
        waiting.decrementAndGet();
    }

    void release() {
        free.release();
    }

    /** Requests admitted to the queue that have not yet taken a slot. */
    int waiting() {
        return waiting.get();
    }

    /** Slots in use now. */
    int busy() {
        return slots - free.availablePermits();
    }
}
