package dev.panode.cli.serve;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's thread pool, except for work that Jetty hands off from a solver worker. When a worker has written an
 * answer, Jetty resumes the connection (reads its next request) by executing a task on its thread pool, which wakes an
 * idle HTTP thread: a futex wake-up, a context switch onto that thread and one back, for every request the pool
 * answers. Here such a task goes to the back of the worker queue instead, and a worker runs it when it gets there: no
 * thread is woken while the workers are busy, and by the time the task runs the client has usually sent its next
 * request, so the read finds it instead of registering with the selector and waking that thread later.
 *
 * <p>The task waits for the work queued before it, so it is queued only while that work is expected to take at most
 * {@link #MAX_QUEUE_WAIT_NANOS} (the tasks queued times the workers' recent time per task, over the workers): a
 * connection is not left unread for long (a request waiting on it would otherwise not even be answered 503, and a
 * connection silent for the read timeout is closed). Otherwise, and when the worker queue cannot take it (full, or
 * shutting down), the task goes to Jetty's threads as before. Every task Jetty executes is asynchronous by contract
 * and the service's handler never blocks, so running one later on a worker is as correct as running it at once.
 */
final class HttpThreads extends QueuedThreadPool {
    /** Longest expected wait in the worker queue for which a worker's hand-off is queued there. */
    static final long MAX_QUEUE_WAIT_NANOS = 50_000_000;

    /** The worker threads' class: work Jetty executes from one of them may be queued behind the worker pool. */
    static final class Worker extends Thread {
        private long taskStart;

        Worker(Runnable r, String name) {
            super(r, name);
        }
    }

    /**
     * The solver workers: a fixed pool of daemon {@link Worker} threads {@code panode-worker-N} that keeps a moving
     * average of the time its tasks take, to predict how long a task queued now waits.
     */
    static final class Workers extends ThreadPoolExecutor {
        /** Exponential moving average (weight 1/8) of the time per task, nanoseconds; 0 before the first. */
        private volatile long nanosPerTask;

        Workers(int threads, BlockingQueue<Runnable> queue) {
            super(threads, threads, 0, TimeUnit.MILLISECONDS, queue, threadFactory(), new AbortPolicy());
        }

        private static ThreadFactory threadFactory() {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Worker(r, "panode-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            if (t instanceof Worker w) w.taskStart = System.nanoTime();
        }

        @Override
        protected void afterExecute(Runnable r, Throwable x) {
            if (Thread.currentThread() instanceof Worker w) {
                long took = System.nanoTime() - w.taskStart, avg = nanosPerTask;
                nanosPerTask = avg == 0 ? took : avg + ((took - avg) >> 3); // racy updates only lose a sample
            }
        }

        /** How long a task queued now is expected to wait for the tasks queued before it. */
        long expectedWaitNanos() {
            return getQueue().size() * nanosPerTask / getCorePoolSize();
        }
    }

    private final Workers workers;

    /**
     * @param maxThreads Jetty's threads at most
     * @param minThreads Jetty's threads kept idle
     * @param workers    the solver workers
     */
    HttpThreads(int maxThreads, int minThreads, Workers workers) {
        super(maxThreads, minThreads);
        this.workers = workers;
        setName("panode-http");
    }

    @Override
    public void execute(Runnable job) {
        if (Thread.currentThread() instanceof Worker && !workers.isShutdown()
                && workers.expectedWaitNanos() <= MAX_QUEUE_WAIT_NANOS) {
            try {
                workers.execute(job);
                return;
            } catch (RejectedExecutionException e) {
                // the queue is full or closing: an HTTP thread takes it
            }
        }
        super.execute(job);
    }
}
