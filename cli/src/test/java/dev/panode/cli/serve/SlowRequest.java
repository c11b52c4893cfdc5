package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A request that keeps a worker busy for a while (256 rows, 4000 classic RK4 steps of the 16-wide model: about 0.7 s
 * on a quiet core, seconds on a loaded one; long enough that the polling below sees it running), and a wait until the
 * server reports it running.
 */
final class SlowRequest {
    private SlowRequest() {}

    static final String BODY = body();

    private static String body() {
        ObjectNode o = ServeFixtures.solveRequest("m", 256);
        o.put("method", "rk4").put("steps", 4000);
        ArrayNode t = o.putArray("t");
        t.add(0.0).add(40.0);
        return o.toString();
    }

    static byte[] bytes() {
        return BODY.getBytes(StandardCharsets.UTF_8);
    }

    /** Polls /health (at most 20 s) until {@code busy} workers are solving. */
    static void awaitBusy(int port, int busy) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            if (RawHttp.once(port, "GET", "/health", null).json().get("busy").asInt() >= busy) return;
            Thread.sleep(5);
        }
        fail("the slow request never started");
    }

    /** Polls /health (at most 20 s) until no worker is busy. */
    static void awaitIdle(int port) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            if (RawHttp.once(port, "GET", "/health", null).json().get("busy").asInt() == 0) return;
            Thread.sleep(5);
        }
        fail("the workers never became idle");
    }

}
