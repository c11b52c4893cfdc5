package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Work Jetty hands off from a worker is queued behind the workers while they are expected to reach it soon; everything
 * else runs on Jetty's threads.
 */
class HttpThreadsTest {
    private static HttpThreads.Workers workers(int queue) {
        return new HttpThreads.Workers(1, new ArrayBlockingQueue<>(queue));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The thread that ran a job handed to {@code http} by a worker that had just queued one more task; the worker is
     * held until the job ran.
     */
    private static Thread handedOffWithOneTaskQueued(HttpThreads http, HttpThreads.Workers workers) throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        workers.execute(() -> {
            workers.execute(() -> { });
            http.execute(() -> ran.complete(Thread.currentThread()));
            await(hold);
        });
        try {
            return ran.get(5, TimeUnit.SECONDS);
        } finally {
            hold.countDown();
        }
    }

    /** The thread that ran a job handed to {@code http} from a thread of {@code from}. */
    private static Thread ranOn(HttpThreads http, ThreadPoolExecutor from) throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        from.execute(() -> http.execute(() -> ran.complete(Thread.currentThread())));
        return ran.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aHandOffFromAWorkerRunsOnAWorkerAfterTheQueuedWork() throws Exception {
        HttpThreads.Workers workers = workers(8);
        HttpThreads http = new HttpThreads(8, 1, workers);
        http.start();
        try {
            CountDownLatch go = new CountDownLatch(1);
            StringBuffer order = new StringBuffer();
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            workers.execute(() -> {
                await(go);
                http.execute(() -> {
                    order.append("handed-off");
                    ran.complete(Thread.currentThread());
                });
            });
            workers.execute(() -> order.append("queued-before "));
            go.countDown();
            Thread t = ran.get(5, TimeUnit.SECONDS);
            assertInstanceOf(HttpThreads.Worker.class, t);
            assertTrue(t.getName().startsWith("panode-worker-"), t.getName());
            assertEquals("queued-before handed-off", order.toString(), "behind the work queued before it");
        } finally {
            http.stop();
            workers.shutdownNow();
        }
    }

    @Test
    void otherThreadsAndAFullWorkerQueueUseJettysThreads() throws Exception {
        HttpThreads.Workers workers = workers(1);
        HttpThreads http = new HttpThreads(8, 1, workers);
        http.start();
        ThreadPoolExecutor other = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1));
        try {
            assertFalse(ranOn(http, other) instanceof HttpThreads.Worker, "not from a worker: Jetty's thread");
            Thread t = handedOffWithOneTaskQueued(http, workers); // the one-place queue is full
            assertFalse(t instanceof HttpThreads.Worker, "the worker queue was full: " + t.getName());
            workers.shutdown();
            assertTrue(workers.awaitTermination(5, TimeUnit.SECONDS));
        } finally {
            http.stop();
            workers.shutdownNow();
            other.shutdownNow();
        }
    }

    @Test
    void aHandOffFacingALongQueueUsesJettysThreads() throws Exception {
        HttpThreads.Workers workers = workers(8);
        HttpThreads http = new HttpThreads(8, 1, workers);
        http.start();
        try {
            long slowMillis = 2 * HttpThreads.MAX_QUEUE_WAIT_NANOS / 1_000_000;
            workers.submit(() -> {
                Thread.sleep(slowMillis); // the workers' time per task so far
                return null;
            }).get(5, TimeUnit.SECONDS);
            Thread t = handedOffWithOneTaskQueued(http, workers); // expected to take as long as the last
            assertFalse(t instanceof HttpThreads.Worker, "run at once, not after the queue: " + t.getName());
        } finally {
            http.stop();
            workers.shutdownNow();
        }
    }
}
