package dev.panode.adjoint.training;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that run one parallel region at a time, fork–join style (OpenMP's team): the calling thread
 * is member 0 and {@code size − 1} persistent daemon workers are members 1.., started with the team and kept until
 * {@link #close()}. {@link #run} hands the same {@link Region} to every member (each learns its index and does its
 * own share), and returns once all have finished. The hand-over is a volatile generation counter and
 * {@link LockSupport#park}/{@link LockSupport#unpark} (a short spin first): nothing is allocated per region, unlike
 * an executor's futures and task lists.
 *
 * <p>Failures: a member's exception is kept and, after every member has finished, the lowest member's is rethrown
 * on the calling thread. Used by one calling thread at a time.
 */
final class ThreadTeam implements AutoCloseable {
    /** The work of one parallel region. */
    @FunctionalInterface
    interface Region {
        /** Runs member {@code member}'s share (0 is the calling thread). */
        void run(int member);
    }

    /**
     * How long a waiting member spins before parking. Waking a parked thread costs tens of microseconds on a virtual
     * machine, as much as a small batch gradient's share; spinning through the gap between two regions of a training
     * loop (the optimiser step, the next batch) avoids it. Measured: DemoBatchGradientBenchmark, docs/BENCHMARKS.md §22.
     */
    private static final long SPIN_NANOS = 200_000;

    private final int size;
    private final Thread[] workers;
    private final Throwable[] failures;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile Region region;
    private volatile Thread caller;
    private volatile boolean closed;

    /**
     * Starts {@code size − 1} workers named {@code name-1}, {@code name-2}, ….
     *
     * @throws IllegalArgumentException if {@code size < 1}
     */
    ThreadTeam(int size, String name) {
        if (size < 1) throw new IllegalArgumentException("size must be >= 1, got " + size);
        this.size = size;
        this.workers = new Thread[size - 1];
        this.failures = new Throwable[size];
        for (int w = 1; w < size; w++) {
            int member = w;
            Thread t = new Thread(() -> serve(member), name + "-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
        }
        for (Thread t : workers) t.start();
    }

    /** Members, the calling thread included. */
    int size() {
        return size;
    }

    /** The worker threads (members 1..), for tests that measure their allocation. */
    Thread[] workers() {
        return workers.clone();
    }

    /**
     * Runs {@code r} on every member and waits for all of them.
     *
     * @throws IllegalStateException if the team is closed
     */
    void run(Region r) {
        if (closed) throw new IllegalStateException("the thread team is closed");
        region = r;
        caller = Thread.currentThread();
        pending.set(size - 1);
        generation = generation + 1;
        for (Thread t : workers) LockSupport.unpark(t);
        try {
            r.run(0);
        } catch (Throwable e) {
            failures[0] = e;
        }
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (pending.get() != 0) {
            if (System.nanoTime() < deadline) Thread.onSpinWait();
            else LockSupport.park(this);
        }
        region = null;
        for (int m = 0; m < size; m++) {
            Throwable e = failures[m];
            if (e == null) continue;
            java.util.Arrays.fill(failures, null);
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            throw new IllegalStateException("member " + m + " of the thread team failed", e);
        }
    }

    private void serve(int member) {
        int seen = 0;
        while (true) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() < deadline) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            try {
                region.run(member);
            } catch (Throwable e) {
                failures[member] = e;
            }
            if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    /** Stops the workers (they finish the region they are in); idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) LockSupport.unpark(t);
    }
}
