package dev.panode.adjoint.training;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that run one parallel region at a time, fork–join style (OpenMP's team): the calling thread
 * is member 0 and {@code size − 1} persistent daemon workers are members 1.., started with the team and kept until
 * {@link #close()}. {@link #run} hands the same {@link Region} to every member (each learns its index and does its
 * own share), and returns once all have finished. Nothing is allocated per region, unlike an executor's futures and
 * task lists.
 *
 * <p>The hand-over is a set of flags, each written by one thread only and each on cache lines of its own: the
 * region's generation (the caller posts it), each worker's last finished generation (the caller waits until every
 * one has reached the posted one), and a flag per thread that says it is parked. A waiting thread spins for
 * {@link #SPIN_NANOS} and then parks; the other side unparks it only when that flag says so (Dekker's handshake:
 * the posting thread writes its flag and then reads the parked flag, the parking thread writes its parked flag and
 * then reads the posted one, all as volatile accesses, so at least one of them sees the other). A region that
 * follows the last within the spin therefore costs one store and one cache-line transfer each way and no system
 * call: no {@link LockSupport#unpark} on a thread that is spinning, no atomic read–modify–write on a line that
 * several threads share. An idle team spins for at most {@link #SPIN_NANOS} after its last region and then parks:
 * it burns no core between trainings.
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
    static final long SPIN_NANOS = 200_000;

    /** Longs from one flag to the next: 128 bytes, so that no two flags (nor the array's header) share a line pair. */
    private static final int STRIDE = 16;
    private static final VarHandle FLAG = MethodHandles.arrayElementVarHandle(long[].class);

    private final int size;
    private final Thread[] workers;
    private final Throwable[] failures;
    /**
     * The flags, {@link #STRIDE} apart: {@link #POSTED} (the generation the caller posted), {@link #CALLER_PARKED},
     * then per worker m its {@link #done} generation and its {@link #parked} flag.
     */
    private final long[] flags;
    private static final int POSTED = STRIDE, CALLER_PARKED = 2 * STRIDE;
    private long generation;
    private Region region;
    private Thread caller;
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
        this.flags = new long[(2 * size + 2) * STRIDE];
        for (int w = 1; w < size; w++) {
            int member = w;
            Thread t = new Thread(() -> serve(member), name + "-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
        }
        for (Thread t : workers) t.start();
    }

    private static int done(int member) {
        return (2 * member + 1) * STRIDE;
    }

    private static int parked(int member) {
        return (2 * member + 2) * STRIDE;
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
        long g = ++generation;
        FLAG.setVolatile(flags, POSTED, g); // publishes region and caller to the workers that read it
        for (int m = 1; m < size; m++) {
            if ((long) FLAG.getVolatile(flags, parked(m)) != 0) LockSupport.unpark(workers[m - 1]);
        }
        try {
            r.run(0);
        } catch (Throwable e) {
            failures[0] = e;
        }
        for (int m = 1; m < size; m++) awaitDone(m, g);
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

    /** Waits until worker {@code m} has finished generation {@code g}: spins, then parks. */
    private void awaitDone(int m, long g) {
        int at = done(m);
        if ((long) FLAG.getAcquire(flags, at) == g) return;
        long deadline = System.nanoTime() + SPIN_NANOS;
        while ((long) FLAG.getAcquire(flags, at) != g) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
                continue;
            }
            FLAG.setVolatile(flags, CALLER_PARKED, 1L);
            if ((long) FLAG.getVolatile(flags, at) != g) LockSupport.park(this);
            FLAG.setVolatile(flags, CALLER_PARKED, 0L);
        }
    }

    private void serve(int member) {
        long seen = 0;
        while (true) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            long g;
            while ((g = (long) FLAG.getAcquire(flags, POSTED)) == seen && !closed) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                FLAG.setVolatile(flags, parked(member), 1L);
                if ((long) FLAG.getVolatile(flags, POSTED) == seen && !closed) LockSupport.park(this);
                FLAG.setVolatile(flags, parked(member), 0L);
            }
            if (closed) return;
            seen = g;
            try {
                region.run(member);
            } catch (Throwable e) {
                failures[member] = e;
            }
            FLAG.setVolatile(flags, done(member), g);
            if ((long) FLAG.getVolatile(flags, CALLER_PARKED) != 0) LockSupport.unpark(caller);
        }
    }

    /** Stops the workers (they finish the region they are in); idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) LockSupport.unpark(t);
    }
}
