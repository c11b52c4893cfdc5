package dev.panode.cli.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
        this.free = new Semaphore(slots, true);
    }

    /** Takes a slot for inline work if one is free and nothing waits in the queue; {@link #release} gives it back. */
    boolean tryInline() {
        return tryInline(0);
    }

    /**
     * Takes a slot for inline work: at once if one is free and nothing waits in the queue, else waiting up to
     * {@code waitNanos} in line behind the queued requests (the slots are handed out first come, first served).
     * Waiting a little on the HTTP thread keeps a saturated server solving inline: once a request has gone to the pool
     * and holds a slot, the next ones would find the slots taken and follow it there, each paying a hand-off.
     */
    boolean tryInline(long waitNanos) {
        if (waiting.get() == 0 && free.tryAcquire()) return true;
        if (waitNanos <= 0) return false;
        try {
            return free.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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

    /** Slots in use now. */
    int busy() {
        return slots - free.availablePermits();
    }
}
