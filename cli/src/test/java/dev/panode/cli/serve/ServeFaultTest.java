package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Under a modest load of good requests from three threads, every kind of bad request and a client that disconnects
 * mid-request: every good request succeeds with the same answer, the heap after GC stays flat, and the error
 * counters of /metrics account for every bad request, kind by kind. Loopback only; bounded in time and count.
 */
@Timeout(180)
class ServeFaultTest {
    private static final int GOOD_THREADS = 3;
    private static final int ROUNDS = 4; // the first warms up; the heap is compared after it and after the last
    private static final long MAX_GOOD_REQUESTS = 50_000;
    private static final long HEAP_TOLERANCE = 24L << 20;

    @Test
    void goodRequestsSucceedHeapStaysFlatAndEveryBadOneIsCounted() throws Exception {
        ServeConfig config = ServeBadInputTest.limits().withConnections(GOOD_THREADS + 4, Duration.ofMillis(1500));
        try (PanodeServer server = PanodeServer.start(config)) {
            int port = server.port();
            assertEquals(201, RawHttp.once(port, "POST", "/v1/models", ServeFixtures.loadRequest("m")).status());
            String good = ServeFixtures.solveRequest("m", 4).toString();
            String want = RawHttp.once(port, "POST", "/v1/solve", good).body();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong served = new AtomicLong(), worstNanos = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> load = new ArrayList<>();
            List<RawHttp> loadConnections = new ArrayList<>();
            for (int i = 0; i < GOOD_THREADS; i++) loadConnections.add(new RawHttp(port)); // opened first: within the limit
            for (RawHttp h : loadConnections) {
                Thread t = Thread.ofPlatform().name("good-load").start(() -> {
                    while (!stop.get() && served.get() < MAX_GOOD_REQUESTS) {
                        long t0 = System.nanoTime();
                        try {
                            RawHttp.Reply r = h.call("POST", "/v1/solve", good);
                            if (r.status() != 200 || !r.body().equals(want)) failures.add(r.status() + " " + r.body());
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                            return;
                        }
                        worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        served.incrementAndGet();
                    }
                });
                load.add(t);
            }

            Map<ApiError.Kind, Long> sent = new EnumMap<>(ApiError.Kind.class);
            Map<ApiError.Kind, Long> before = errorCounts(port, sent);
            long heapAfterWarmUp = 0;
            for (int round = 0; round < ROUNDS; round++) {
                badRound(port, config, sent);
                if (round == 0) heapAfterWarmUp = heapAfterGc();
            }
            awaitCounted(port, before, sent);
            long heapAtEnd = heapAfterGc();
            stop.set(true);
            for (Thread t : load) t.join(30_000);
            loadConnections.forEach(RawHttp::close);

            assertTrue(failures.isEmpty(), failures.size() + " good requests failed, e.g. " + failures.peek());
            assertTrue(served.get() >= 20, "the load kept going: " + served.get() + " good requests");
            Map<ApiError.Kind, Long> after = errorCounts(port, sent);
            for (ApiError.Kind k : ApiError.Kind.values()) {
                assertEquals(sent.getOrDefault(k, 0L), after.get(k) - before.get(k), "panode_errors_total{kind=\""
                        + k.label() + "\"}");
            }
            assertTrue(heapAtEnd - heapAfterWarmUp < HEAP_TOLERANCE, "heap after GC grew from " + heapAfterWarmUp
                    + " to " + heapAtEnd + " bytes");
            System.out.printf("fault test: %d good requests (worst %.1f ms), bad ones %s, heap after GC %d -> %d MB%n",
                    served.get(), worstNanos.get() * 1e-6, sent, heapAfterWarmUp >> 20, heapAtEnd >> 20);
        }
    }

    /** One of each kind of bad request, each checked for its status and counted in {@code sent}. */
    private static void badRound(int port, ServeConfig config, Map<ApiError.Kind, Long> sent) throws Exception {
        check(sent, ApiError.Kind.MALFORMED_JSON, RawHttp.once(port, "POST", "/v1/solve", "{\"model\": "), 400);
        ObjectNode wrongShape = ServeFixtures.solveRequest("m", 2);
        wrongShape.withArray("z0").set(0, wrongShape.arrayNode().add(1));
        check(sent, ApiError.Kind.INVALID_FIELD, RawHttp.once(port, "POST", "/v1/solve", wrongShape.toString()), 422);
        String nonFinite = ServeFixtures.solveRequest("m", 2).toString().replace("[-0.4,0.3]", "[-0.4,-1e999]");
        check(sent, ApiError.Kind.INVALID_FIELD, RawHttp.once(port, "POST", "/v1/solve", nonFinite), 422);
        check(sent, ApiError.Kind.LIMIT_EXCEEDED, RawHttp.once(port, "POST", "/v1/solve",
                ServeFixtures.solveRequest("m", 500).toString()), 422);
        ObjectNode budget = ServeFixtures.solveRequest("m", 1).put("rtol", 1e-10).put("max_steps", 10);
        budget.putArray("t").add(0.0).add(1e6);
        RawHttp.Reply partial = RawHttp.once(port, "POST", "/v1/solve", budget.toString());
        assertEquals("MAX_STEPS_REACHED", partial.json().get("result").asText());
        check(sent, ApiError.Kind.STEP_BUDGET, partial, 200);
        try (RawHttp h = new RawHttp(port)) {
            h.send(RawHttp.head("POST", "/v1/solve", config.maxBodyBytes() + 1L), new byte[0]);
            check(sent, ApiError.Kind.BODY_TOO_LARGE, h.read(), 413);
        }
        try (RawHttp h = new RawHttp(port)) { // stalls mid-body
            h.send(RawHttp.head("POST", "/v1/solve", 100), "{\"model\"".getBytes(StandardCharsets.US_ASCII));
            check(sent, ApiError.Kind.READ_TIMEOUT, h.read(), 408);
        }
        try (RawHttp h = new RawHttp(port)) { // disconnects mid-body
            h.send(RawHttp.head("POST", "/v1/solve", 100), "{\"model\": \"m\", \"z0\"".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(20);
            sent.merge(ApiError.Kind.CLIENT_DISCONNECTED, 1L, Long::sum);
        }
        awaitConnectionsAtMost(port, GOOD_THREADS + 1, sent);
        List<RawHttp> crowd = new ArrayList<>();
        try {
            // the load holds GOOD_THREADS connections; more are opened until one is refused (a connection still
            // closing may take a place, so the refusal may come one early)
            RawHttp.Reply refused = null;
            for (int i = GOOD_THREADS; i <= config.maxConnections() + 1 && refused == null; i++) {
                RawHttp h = new RawHttp(port);
                crowd.add(h);
                RawHttp.Reply r = h.call("GET", "/health", null);
                if (r.status() != 200) refused = r;
            }
            assertTrue(refused != null, "a connection beyond the limit was served");
            ServeAssertions.assertError(refused, 503, "too_many_connections", null);
            check(sent, ApiError.Kind.TOO_MANY_CONNECTIONS, refused, 503);
        } finally {
            crowd.forEach(RawHttp::close);
        }
        awaitConnectionsAtMost(port, GOOD_THREADS + 1, sent);
    }

    private static void check(Map<ApiError.Kind, Long> sent, ApiError.Kind kind, RawHttp.Reply r, int status) {
        assertEquals(status, r.status(), r.body());
        ServeAssertions.assertNoTrace(r.body());
        sent.merge(kind, 1L, Long::sum);
    }

    /**
     * GET /metrics on a new connection. While closed connections are still being counted by the server, that
     * connection may itself be refused: such a refusal is a real one, so it is added to {@code sent} and retried.
     */
    private static String scrape(int port, Map<ApiError.Kind, Long> sent) {
        for (int attempt = 0; attempt < 100; attempt++) {
            RawHttp.Reply r = RawHttp.once(port, "GET", "/metrics", null);
            if (r.status() == 200) return r.body();
            ServeAssertions.assertError(r, 503, "too_many_connections", null);
            sent.merge(ApiError.Kind.TOO_MANY_CONNECTIONS, 1L, Long::sum);
        }
        throw new AssertionError("/metrics refused 100 times");
    }

    private static Map<ApiError.Kind, Long> errorCounts(int port, Map<ApiError.Kind, Long> sent) {
        Map<ApiError.Kind, Long> m = new EnumMap<>(ApiError.Kind.class);
        String text = scrape(port, sent);
        for (ApiError.Kind k : ApiError.Kind.values()) {
            String prefix = "panode_errors_total{kind=\"" + k.label() + "\"} ";
            long v = text.lines().filter(l -> l.startsWith(prefix)).mapToLong(l -> Long.parseLong(l.substring(
                    prefix.length()))).findFirst().orElseThrow(() -> new AssertionError("no sample " + prefix));
            m.put(k, v);
        }
        return m;
    }

    /** Waits (at most 10 s) until the asynchronously counted errors (disconnects) have arrived. */
    private static void awaitCounted(int port, Map<ApiError.Kind, Long> before, Map<ApiError.Kind, Long> sent)
            throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        ApiError.Kind k = ApiError.Kind.CLIENT_DISCONNECTED;
        while (System.nanoTime() < end && errorCounts(port, sent).get(k) - before.get(k) < sent.getOrDefault(k, 0L)) {
            Thread.sleep(20);
        }
    }

    /** Waits (at most 10 s) until closed connections are gone from the server's count. */
    private static void awaitConnectionsAtMost(int port, int n, Map<ApiError.Kind, Long> sent)
            throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            String text = scrape(port, sent);
            long open = text.lines().filter(l -> l.startsWith("panode_open_connections ")).mapToLong(l -> Long.parseLong(
                    l.substring(24))).findFirst().orElse(0);
            if (open <= n) return;
            Thread.sleep(20);
        }
    }

    /**
     * The live heap: what the heap pools held right after a full collection ({@code getCollectionUsage}). Their usage
     * read afterwards would also count what the running load allocated since, eden's thread-local buffers included
     * (7–17 MB on a loaded machine, growing with eden).
     */
    private static long heapAfterGc() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                if (afterGc != null) live += afterGc.getUsed();
            }
            min = Math.min(min, live);
        }
        return min;
    }
}
