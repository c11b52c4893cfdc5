package dev.panode.cli;

import java.io.PrintStream;

/**
 * Runs the demo's periodic tests ({@link PeriodicTest}) and prints their lines in iteration order, either on the
 * training thread ({@link #serial}) or on one thread of their own ({@link #onThread}).
 * <p>
 * On its own thread a report overlaps the next iterations of training: {@link #due} captures the parameters into the
 * test's buffer (on the training thread, after waiting for the report before to be printed: at most one report in
 * flight) and hands them over; the test thread solves and prints. {@link #awaitPrinted} waits until every report due
 * so far is printed, so that the caller's own lines (progress, the summary) keep their place. The hand-over is a
 * monitor and two fields: nothing is allocated per report (the printed line's formatting aside, as on the training
 * thread). A failure on the test thread is rethrown on the training thread at its next wait as a
 * {@link PeriodicTestException}; {@link #close} ends the thread (after the report in flight, if any).
 * <p>
 * Cost: the training thread pays the parameter copy and a hand-over per report, and waits only when a report is not
 * done by the next one. On few cores the test thread competes with the training thread and the JIT's compiler
 * threads: measured in docs/BENCHMARKS.md §83.
 */
final class TestReports implements AutoCloseable {
    private final PeriodicTest test;
    private final PrintStream out;
    private final Thread thread;
    private final Object lock = new Object();
    /** The iteration whose report is handed over and not yet printed; 0 when none. Guarded by {@link #lock}. */
    private int pending;
    private boolean closed;
    private Throwable failure;
    private int failedIteration;

    private TestReports(PeriodicTest test, PrintStream out, boolean ownThread) {
        this.test = test;
        this.out = out;
        this.thread = ownThread ? Thread.ofPlatform().name("panode-test").daemon().unstarted(this::serve) : null;
        if (thread != null) thread.start();
    }

    /** Each report solved and printed by the caller, at once. */
    static TestReports serial(PeriodicTest test, PrintStream out) {
        return new TestReports(test, out, false);
    }

    /** Each report solved and printed on one daemon thread started now. */
    static TestReports onThread(PeriodicTest test, PrintStream out) {
        return new TestReports(test, out, true);
    }

    /** The test thread (null when serial). */
    Thread thread() {
        return thread;
    }

    /**
     * The report of {@code iteration} on {@code parameters} as they are now.
     *
     * @throws PeriodicTestException when an earlier report failed on the test thread
     */
    void due(int iteration, double[] parameters) {
        if (thread == null) {
            test.capture(parameters);
            PeriodicEvaluation.print(out, iteration, test.meanAbsoluteError());
            return;
        }
        awaitPrinted();
        test.capture(parameters);
        synchronized (lock) {
            pending = iteration;
            lock.notifyAll();
        }
    }

    /**
     * Returns when every report due so far is printed.
     *
     * @throws PeriodicTestException when a report failed on the test thread
     */
    void awaitPrinted() {
        if (thread == null) return;
        synchronized (lock) {
            while (pending != 0 && failure == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the test of iteration " + pending, e);
                }
            }
            if (failure != null) throw new PeriodicTestException(failedIteration, failure);
        }
    }

    private void serve() {
        while (true) {
            int iteration;
            synchronized (lock) {
                while (pending == 0 && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending == 0) return;
                iteration = pending;
            }
            try {
                PeriodicEvaluation.print(out, iteration, test.meanAbsoluteError());
            } catch (Throwable e) {
                synchronized (lock) {
                    failure = e;
                    failedIteration = iteration;
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                pending = 0;
                lock.notifyAll();
            }
        }
    }

    /** Ends the test thread once the report in flight, if any, is printed; returns when it has ended. */
    @Override
    public void close() {
        if (thread == null) return;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
