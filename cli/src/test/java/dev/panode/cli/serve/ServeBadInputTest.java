package dev.panode.cli.serve;

import static dev.panode.cli.serve.ServeAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.cli.ProblemFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each kind of bad request gets its status and a JSON error naming the field, and the service answers the next good
 * request as before. Tight limits keep the requests small: 64 KiB bodies, rows × width ≤ 1024 (64 rows of the
 * 16-wide model), 500 steps, 100 save points, 5000 output numbers, batches of 4.
 */
@Timeout(120)
class ServeBadInputTest {
    static PanodeServer server;
    static int port;

    static ServeConfig limits() {
        return ServeFixtures.config().withLimits(64 << 10, 1024, 500, 100, 5000, 4);
    }

    @BeforeAll
    static void start() throws Exception {
        server = PanodeServer.start(limits());
        port = server.port();
        assertEquals(201, RawHttp.once(port, "POST", "/v1/models", ServeFixtures.loadRequest("m")).status());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawHttp.Reply solve(String body) {
        return RawHttp.once(port, "POST", "/v1/solve", body);
    }

    static ObjectNode good(int rows) {
        return ServeFixtures.solveRequest("m", rows);
    }

    @Test
    void malformedJsonIs400() {
        assertError(solve("{\"model\": \"m\", \"z0\": [[1, 2]"), 400, "malformed_json", "body");
        assertError(solve(""), 400, "malformed_json", "body");
        assertError(solve("{\"model\": NaN}"), 400, "malformed_json", "body");
        assertGoodStillServed();
    }

    @Test
    void wrongShapesAndValuesAre422NamingTheField() {
        assertError(solve("[1, 2]"), 422, "invalid_field", "body");
        assertError(solve(good(2).put("z0", "no").toString()), 422, "invalid_field", "z0");
        ObjectNode wrongDim = good(2);
        ((ArrayNode) wrongDim.get("z0")).set(1, ProblemFile.MAPPER.createArrayNode().add(1).add(2).add(3));
        assertError(solve(wrongDim.toString()), 422, "invalid_field", "z0[1]");
        ObjectNode text = good(2);
        ((ArrayNode) text.get("z0").get(0)).set(1, "x");
        assertError(solve(text.toString()), 422, "invalid_field", "z0[0][1]");
        assertError(solve(good(1).toString().replace("[0.0,0.5,1.0]", "[0.0,0.5,0.2]")), 422, "invalid_field", "t[2]");
        assertError(solve(good(1).put("model", "nope").toString()), 422, "invalid_field", "model");
        assertError(solve(good(1).put("method", "rk5").toString()), 422, "invalid_field", "method");
        assertError(solve(good(1).put("rtol", -1e-6).toString()), 422, "invalid_field", "rtol");
        assertError(solve(good(1).put("steps", 2.5).toString()), 422, "invalid_field", "steps");
        assertError(solve(good(1).put("rtoll", 1e-6).toString()), 422, "invalid_field", "rtoll");
        ObjectNode badModel = good(1);
        badModel.putObject("model").putArray("layers");
        assertError(solve(badModel.toString()), 422, "invalid_field", "model");
        ObjectNode grad = good(1).put("gradient", "magic");
        assertError(RawHttp.once(port, "POST", "/v1/grad", grad.toString()), 422, "invalid_field", "gradient");
        assertGoodStillServed();
    }

    @Test
    void nonFiniteNumbersAre422() {
        assertError(solve(good(2).toString().replace("[-0.4,0.3]", "[-0.4,1e999]")), 422, "invalid_field", "z0[0][1]");
        assertError(solve(good(1).put("atol", 0.125).toString().replace("0.125", "-1e400")), 422, "invalid_field",
                "atol");
        assertGoodStillServed();
    }

    @Test
    void bodiesOverTheLimitAre413AndTheConnectionIsClosed() {
        String big = "{\"pad\": \"" + "x".repeat(70_000) + "\"}";
        try (RawHttp h = new RawHttp(port)) {
            // announced by Content-Length: answered before the body is read
            h.send(RawHttp.head("POST", "/v1/solve", big.length()), new byte[0]);
            assertError(h.read(), 413, "body_too_large", "body");
            assertTrue(h.closedByServer(5_000));
        }
        try (RawHttp h = new RawHttp(port)) {
            // chunked, no length: cut off once the limit is passed
            String head = "POST /v1/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
            byte[] chunk = big.getBytes(StandardCharsets.US_ASCII);
            String framed = Integer.toHexString(chunk.length) + "\r\n" + big + "\r\n0\r\n\r\n";
            h.send(head, framed.getBytes(StandardCharsets.US_ASCII));
            assertError(h.read(), 413, "body_too_large", "body");
        }
        assertGoodStillServed();
    }

    @Test
    void absurdSizesAre422BeforeAnyWork() {
        assertError(solve(good(65).toString()), 422, "limit_exceeded", "z0");
        assertError(solve(good(1).put("method", "rk4").put("steps", 501).toString()), 422, "limit_exceeded", "steps");
        assertError(solve(good(1).put("max_steps", 501).toString()), 422, "limit_exceeded", "max_steps");
        ObjectNode manyTimes = good(1);
        ArrayNode t = manyTimes.putArray("t");
        for (int k = 0; k <= 100; k++) t.add(k * 0.01);
        assertError(solve(manyTimes.toString()), 422, "limit_exceeded", "t");
        ObjectNode bigOutput = good(30);
        ArrayNode t2 = bigOutput.putArray("t");
        for (int k = 0; k < 90; k++) t2.add(k * 0.01);
        assertError(solve(bigOutput.toString()), 422, "limit_exceeded", "t");
        ObjectNode batch = ProblemFile.MAPPER.createObjectNode();
        ArrayNode problems = batch.putArray("problems");
        for (int i = 0; i < 5; i++) problems.add(good(1));
        assertError(RawHttp.once(port, "POST", "/v1/solve/batch", batch.toString()), 422, "limit_exceeded", "problems");
        problems.remove(4);
        ((ObjectNode) problems.get(2)).put("steps", 9999);
        assertError(RawHttp.once(port, "POST", "/v1/solve/batch", batch.toString()), 422, "limit_exceeded",
                "problems[2].steps");
        assertGoodStillServed();
    }

    @Test
    void aSolveBeyondTheStepBudgetReturnsItsPartialSolutionAndResultCode() {
        ObjectNode longRun = good(1).put("rtol", 1e-10).put("atol", 1e-12).put("max_steps", 20);
        longRun.putArray("t").add(0.0).add(1.0).add(1e3).add(1e6);
        RawHttp.Reply r = solve(longRun.toString());
        assertEquals(200, r.status(), r.body());
        JsonNode out = r.json();
        assertEquals("MAX_STEPS_REACHED", out.get("result").asText());
        assertTrue(out.get("message").asText().contains("maxSteps = 20"), out.get("message").asText());
        JsonNode stats = out.get("stats");
        assertEquals(20, stats.get("accepted").asLong() + stats.get("rejected").asLong());
        assertTrue(out.get("t").size() >= 1 && out.get("t").size() < 4, "t0 saved, 1e6 not reached");
        assertEquals(out.get("t").size(), out.get("z").size());
        RawHttp.Reply g = RawHttp.once(port, "POST", "/v1/grad", longRun.toString());
        JsonNode e = assertError(g, 422, "step_budget", "max_steps");
        assertEquals("MAX_STEPS_REACHED", e.get("result").asText());
        assertGoodStillServed();
    }

    @Test
    void aClientThatStallsMidBodyGets408AndItsConnectionClosed() throws Exception {
        long t0 = System.nanoTime();
        try (RawHttp h = new RawHttp(port)) {
            h.send(RawHttp.head("POST", "/v1/solve", 200), "{\"model\": \"m\", ".getBytes(StandardCharsets.US_ASCII));
            assertError(h.read(), 408, "read_timeout", null);
            assertTrue(h.closedByServer(5_000));
        }
        double s = (System.nanoTime() - t0) * 1e-9;
        assertTrue(s >= 1.2 && s < 10, "answered after the 1.5 s read timeout, took " + s + " s");
        assertGoodStillServed();
    }

    @Test
    void aClientThatTricklesItsBodyIsCutOffAtTheDeadline() throws Exception {
        long t0 = System.nanoTime();
        try (RawHttp h = new RawHttp(port)) {
            h.send(RawHttp.head("POST", "/v1/solve", 200), new byte[0]);
            // one byte every 250 ms never leaves the connection idle for the 1.5 s timeout
            RawHttp.Reply r = null;
            for (int i = 0; i < 40 && r == null; i++) {
                Thread.sleep(250);
                h.out.write(' ');
                h.out.flush();
                if (h.socket.getInputStream().available() > 0) r = h.read();
            }
            if (r == null) r = h.read();
            assertError(r, 408, "read_timeout", null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // the server may close while a byte is being sent; then the reply was sent first
        }
        double s = (System.nanoTime() - t0) * 1e-9;
        assertTrue(s < 8, "cut off near the 1.5 s deadline, took " + s + " s");
        assertTrue(server.metrics().errors(ApiError.Kind.READ_TIMEOUT) >= 1);
        assertGoodStillServed();
    }

    @Test
    void aClientThatStallsInTheHeadersIsDisconnected() {
        try (RawHttp h = new RawHttp(port)) {
            h.send("POST /v1/solve HTTP/1.1\r\nHost: 127", new byte[0]);
            assertTrue(h.closedByServer(10_000), "closed after the idle timeout");
        }
        assertGoodStillServed();
    }

    @Test
    void connectionsBeyondTheLimitAre503AndClosed() throws Exception {
        try (PanodeServer s = PanodeServer.start(ServeFixtures.config().withConnections(2, Duration.ofSeconds(5)));
             RawHttp a = new RawHttp(s.port()); RawHttp b = new RawHttp(s.port())) {
            assertEquals(200, a.call("GET", "/health", null).status());
            assertEquals(200, b.call("GET", "/health", null).status());
            try (RawHttp c = new RawHttp(s.port())) {
                RawHttp.Reply r = c.call("GET", "/health", null);
                assertError(r, 503, "too_many_connections", null);
                assertEquals("1", r.headers().get("retry-after"));
                assertTrue(c.closedByServer(5_000));
            }
            // the connections within the limit are served as before
            assertEquals(200, a.call("GET", "/health", null).status());
        }
    }

    @Test
    void aFullQueueIs503WithRetryAfter() throws Exception {
        try (PanodeServer s = PanodeServer.start(ServeFixtures.config().withWorkers(1, 0));
             RawHttp slow = new RawHttp(s.port())) {
            assertEquals(201, RawHttp.once(s.port(), "POST", "/v1/models", ServeFixtures.loadRequest("m")).status());
            SlowRequest.awaitIdle(s.port()); // the load's worker has given back its slot
            slow.send(RawHttp.head("POST", "/v1/solve", SlowRequest.BODY.length()), SlowRequest.bytes());
            SlowRequest.awaitBusy(s.port(), 1);
            RawHttp.Reply r = RawHttp.once(s.port(), "POST", "/v1/solve", good(1).toString());
            assertError(r, 503, "queue_full", null);
            assertEquals("1", r.headers().get("retry-after"));
            assertEquals(200, slow.read().status());
            SlowRequest.awaitIdle(s.port());
            assertEquals(200, RawHttp.once(s.port(), "POST", "/v1/solve", good(1).toString()).status());
        }
    }

    /** A good request right after the bad ones is answered normally. */
    static void assertGoodStillServed() {
        RawHttp.Reply r = solve(good(2).toString());
        assertEquals(200, r.status(), r.body());
        assertEquals("SUCCESSFUL", r.json().get("result").asText());
    }
}
