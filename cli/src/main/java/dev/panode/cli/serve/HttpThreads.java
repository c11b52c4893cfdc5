package dev.panode.cli.serve;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's thread pool, except for work that Jetty hands off from a solver worker. When a worker has written an
 * answer, Jetty resumes the connection (reads its next request) by executing a task on its thread pool, which wakes an
 * idle HTTP thread: a futex wake-up, a context switch onto that thread and one back, for every request the pool
 * answers. Here such a task goes to the back of the worker pool's queue instead, and a worker runs it when it gets
 * there: no thread is woken while the workers are busy, and by the time the task runs the client has usually sent its
 * next request, so the read finds it instead of registering with the selector and waking that thread later. A task
 * the worker queue cannot take (it is full, or the pool is shutting down) goes to Jetty's threads as before.
 *
 * <p>Every task Jetty executes is asynchronous by contract and the service's handler never blocks, so a task run
 * later on a worker is as correct as one run at once on an HTTP thread; it waits at most for the solves queued before
 * it, which is the order the requests came in.
 */
final class HttpThreads extends QueuedThreadPool {
    /** The worker threads' class: work Jetty executes from one of them is queued behind the worker pool. */
    static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
        }
    }

    private final ThreadPoolExecutor workers;

    /**
     * @param maxThreads Jetty's threads at most
     * @param minThreads Jetty's threads kept idle
     * @param workers    the solver workers, made by {@link #workerFactory()}
     */
    HttpThreads(int maxThreads, int minThreads, ThreadPoolExecutor workers) {
        super(maxThreads, minThreads);
        this.workers = workers;
        setName("panode-http");
    }

    /** Daemon threads {@code panode-worker-N} whose hand-offs to Jetty stay on the worker pool. */
    static ThreadFactory workerFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Worker(r, "panode-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable job) {
        if (Thread.currentThread() instanceof Worker && !workers.isShutdown()) {
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
