package dev.panode.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The reusable workspaces of the threads that run panode's tasks: per-sample solver workspaces and gradient sessions
 * (with their off-heap checkpoint memory), kept per thread and per shape (the key: model architecture, solver
 * choices, batch rows, …), so that a thread running partition after partition — and iteration after iteration of
 * data-parallel training — builds each once instead of once per batch.
 *
 * <p>Bounded: a thread keeps at most {@link #PER_THREAD} workspaces (system property
 * {@code panode.spark.workspacesPerThread}, default 4), least recently used first out; the one pushed out is closed at
 * once. Spark runs tasks on pooled threads (an executor's cached thread pool, whose idle threads end after a while),
 * so a workspace lives as long as its thread: the workspaces of threads that have ended are closed when a new thread
 * first asks for one, and all of them when the executor stops ({@link PanodeSparkPlugin}) or on {@link #closeAll}.
 * Should none of these run, a gradient session that becomes unreachable is still freed by its cleaner.
 *
 * <p>Thread-safety: each thread reads its own cache; {@link #closeAll} may run on any thread (it must not race with
 * tasks still using their workspaces, which is the case when an executor stops).
 */
final class ThreadWorkspaces {
    private ThreadWorkspaces() {}

    /** What a thread keeps: closed when pushed out of the cache, when its thread has ended or the executor stops. */
    interface Workspace extends AutoCloseable {
        /** Frees what the workspace holds beyond the heap; idempotent, never throws a checked exception. */
        @Override
        void close();
    }

    /** The most workspaces one thread keeps. */
    static final int PER_THREAD = Math.max(1, Integer.getInteger("panode.spark.workspacesPerThread", 4));

    private static final ConcurrentHashMap<Thread, Cache> CACHES = new ConcurrentHashMap<>();
    private static final AtomicLong CREATED = new AtomicLong(), CLOSED = new AtomicLong();

    /**
     * This thread's workspace for {@code key}, made by {@code make} when the thread has none (or had it pushed out).
     *
     * @param key  the shape (equal keys share a workspace); a record of small values
     * @param make builds the workspace for {@code key}
     */
    @SuppressWarnings("unchecked")
    static <W extends Workspace> W get(Object key, Supplier<W> make) {
        Thread thread = Thread.currentThread();
        Cache cache = CACHES.get(thread);
        if (cache == null) {
            releaseEnded();
            cache = new Cache();
            CACHES.put(thread, cache);
        }
        synchronized (cache) {
            Workspace w = cache.live.get(key);
            if (w == null) {
                w = make.get();
                CREATED.incrementAndGet();
                cache.made.merge(key, 1, Integer::sum);
                cache.live.put(key, w);
            }
            return (W) w;
        }
    }

    /** Closes the workspaces of threads that have ended. */
    static void releaseEnded() {
        for (Map.Entry<Thread, Cache> e : CACHES.entrySet()) {
            if (!e.getKey().isAlive() && CACHES.remove(e.getKey(), e.getValue())) e.getValue().closeAll();
        }
    }

    /** Closes every thread's workspaces (the executor stops); threads that ask again get new ones. */
    static void closeAll() {
        for (Thread t : new ArrayList<>(CACHES.keySet())) {
            Cache c = CACHES.remove(t);
            if (c != null) c.closeAll();
        }
    }

    /**
     * How often the threads alive now made a workspace for {@code key} (creations after a push-out count again).
     *
     * @param creations       the creations
     * @param threads         the threads that made one
     * @param mostByOneThread the most creations by one thread (1 when every thread reused its workspace)
     */
    record Census(long creations, int threads, int mostByOneThread) {}

    /** The {@link Census} of {@code key}. */
    static Census census(Object key) {
        long creations = 0;
        int threads = 0, most = 0;
        for (Cache c : CACHES.values()) {
            synchronized (c) {
                int n = c.made.getOrDefault(key, 0);
                creations += n;
                if (n > 0) threads++;
                most = Math.max(most, n);
            }
        }
        return new Census(creations, threads, most);
    }

    /** Workspaces made in this JVM so far. */
    static long created() {
        return CREATED.get();
    }

    /** Workspaces closed in this JVM so far (pushed out, of ended threads, or by {@link #closeAll}). */
    static long closed() {
        return CLOSED.get();
    }

    /** One thread's workspaces, least recently used first. */
    private static final class Cache {
        final LinkedHashMap<Object, Workspace> live = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Workspace> eldest) {
                if (size() <= PER_THREAD) return false;
                close(eldest.getValue());
                return true;
            }
        };
        final Map<Object, Integer> made = new HashMap<>();

        synchronized void closeAll() {
            List<Workspace> all = new ArrayList<>(live.values());
            live.clear();
            made.clear();
            for (Workspace w : all) close(w);
        }

        private static void close(Workspace w) {
            CLOSED.incrementAndGet();
            w.close();
        }
    }
}
