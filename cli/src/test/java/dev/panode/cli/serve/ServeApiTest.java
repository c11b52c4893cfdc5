package dev.panode.cli.serve;

import static dev.panode.cli.serve.ServeFixtures.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.io.MlpJson;
import dev.panode.cli.GradientChoice;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.ProblemFile;
import dev.panode.cli.SolverOptions;
import dev.panode.solvers.SolverWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints answer what the command line computes in-process, in its format, over keep-alive connections. */
class ServeApiTest {
    static PanodeServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = PanodeServer.start(ServeFixtures.config());
        port = server.port();
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/models", ServeFixtures.loadRequest("m"));
        assertEquals(201, r.status(), r.body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ProblemFile problem(JsonNode request) {
        return ProblemFile.of(request, MODEL);
    }

    @Test
    void solveIsTheInProcessSolveBitForBit() {
        ObjectNode req = ServeFixtures.solveRequest("m", 3);
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/solve", req.toString());
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.headers().get("content-type"));
        ObjectNode want = JsonInterface.solve(problem(req), new SolverOptions("dopri5", null, 1e-6, 1e-8), 10_000,
                new SolverWorkspace());
        assertEquals(want.toString(), r.json().toString());
        assertEquals("SUCCESSFUL", r.json().get("result").asText());
        assertEquals(3, r.json().get("z").size(), "t0, 0.5 and 1 saved");
    }

    @Test
    void gradientIsTheInProcessGradient() {
        ObjectNode req = ServeFixtures.solveRequest("m", 2);
        req.put("method", "tsit5").put("rtol", 1e-8).put("atol", 1e-10).put("gradient", "interpolating")
                .put("loss", "multi");
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/grad", req.toString());
        assertEquals(200, r.status(), r.body());
        ObjectNode want = JsonInterface.gradient(problem(req), new SolverOptions("tsit5", null, 1e-8, 1e-10),
                GradientChoice.INTERPOLATING, "multi", 10_000, Checkpointing.all());
        assertEquals(want.toString(), r.json().toString());
    }

    @Test
    void batchesAnswerEachProblemAsItsSingleRequestWouldOnOneKeepAliveConnection() {
        ObjectNode a = ServeFixtures.solveRequest("m", 1);
        ObjectNode b = ServeFixtures.solveRequest("m", 4).put("method", "tsit5").put("rtol", 1e-9).put("atol", 1e-11);
        ObjectNode c = ServeFixtures.solveRequest("m", 2);
        c.set("model", MlpJson.toJson(MODEL)); // inline model
        ObjectNode batch = ProblemFile.MAPPER.createObjectNode();
        batch.putArray("problems").add(a).add(b).add(c);
        try (RawHttp h = new RawHttp(port)) {
            JsonNode got = h.call("POST", "/v1/solve/batch", batch.toString()).json().get("results");
            assertEquals(3, got.size());
            assertEquals(h.call("POST", "/v1/solve", a.toString()).json(), got.get(0));
            assertEquals(h.call("POST", "/v1/solve", b.toString()).json(), got.get(1));
            assertEquals(h.call("POST", "/v1/solve", c.toString()).json(), got.get(2));
        }
    }

    @Test
    void aGradientBatchAnswersAFailingProblemInItsSlotOnly() {
        ObjectNode ok = ServeFixtures.solveRequest("m", 2);
        ObjectNode tooLong = ServeFixtures.solveRequest("m", 1).put("max_steps", 5);
        tooLong.putArray("t").add(0.0).add(1e6);
        ObjectNode batch = ProblemFile.MAPPER.createObjectNode();
        batch.putArray("problems").add(ok).add(tooLong);
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/grad/batch", batch.toString());
        assertEquals(200, r.status(), r.body());
        JsonNode results = r.json().get("results");
        assertEquals(RawHttp.once(port, "POST", "/v1/grad", ok.toString()).json(), results.get(0));
        JsonNode err = results.get(1).get("error");
        assertTrue(err != null, ModelRegistry.truncate(results.get(1).toString()));
        assertEquals("step_budget", err.get("kind").asText());
        assertEquals("problems[1].max_steps", err.get("field").asText());
        assertEquals("MAX_STEPS_REACHED", err.get("result").asText());
    }

    @Test
    void modelsAreListedWithTheirArchitecture() {
        JsonNode models = RawHttp.once(port, "GET", "/v1/models", null).json().get("models");
        JsonNode m = models.get(0);
        assertEquals("m", m.get("name").asText());
        assertEquals(2, m.get("dim").asInt());
        assertEquals("[16,16,2]", m.get("widths").toString());
        assertEquals(MODEL.parameterCount(), m.get("parameters").asInt());
        // loading under the same name replaces the model: 200, not 201
        assertEquals(200, RawHttp.once(port, "POST", "/v1/models", ServeFixtures.loadRequest("m")).status());
    }

    @Test
    void healthAndPrometheusMetrics() {
        RawHttp.Reply h = RawHttp.once(port, "GET", "/health", null);
        assertEquals(200, h.status());
        assertEquals("ok", h.json().get("status").asText());
        long nfeBefore = metric(port, "panode_nfe_total{pass=\"forward\"}");
        JsonNode solved = RawHttp.once(port, "POST", "/v1/solve", ServeFixtures.solveRequest("m", 2).toString()).json();
        assertEquals(nfeBefore + solved.get("stats").get("nfe").asLong(),
                metric(port, "panode_nfe_total{pass=\"forward\"}"));
        RawHttp.Reply m = RawHttp.once(port, "GET", "/metrics", null);
        assertTrue(m.headers().get("content-type").startsWith("text/plain; version=0.0.4"));
        Pattern sample = Pattern.compile("[a-z_]+(\\{([a-z_]+=\"[^\"]*\",?)+\\})? -?[0-9.eE+-]+");
        for (String line : m.body().split("\n")) {
            if (line.startsWith("#")) {
                assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE "), line);
            } else {
                assertTrue(sample.matcher(line).matches(), "not a Prometheus sample: " + line);
            }
        }
        // one scrape: a request's duration is recorded after its reply is sent, so two scrapes may differ by it
        String scrape = RawHttp.once(port, "GET", "/metrics", null).body();
        assertEquals(valueIn(scrape, "panode_http_request_duration_seconds_bucket{endpoint=\"/v1/solve\",le=\"+Inf\"}"),
                valueIn(scrape, "panode_http_request_duration_seconds_count{endpoint=\"/v1/solve\"}"));
        assertTrue(metric(port, "panode_http_requests_total{endpoint=\"/v1/solve\",status=\"200\"}") >= 1);
    }

    @Test
    void unknownPathsAndWrongMethodsAreJsonErrors() {
        RawHttp.Reply nf = RawHttp.once(port, "GET", "/v2/solve", null);
        ServeAssertions.assertError(nf, 404, "not_found", null);
        RawHttp.Reply na = RawHttp.once(port, "GET", "/v1/solve", null);
        ServeAssertions.assertError(na, 405, "method_not_allowed", null);
        assertEquals("POST", na.headers().get("allow"));
    }

    @Test
    void modelsLoadByPathOnlyFromInsideTheModelFolder(@TempDir Path dir) throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve("spiral.json"), MlpJson.toJsonString(MODEL));
        Files.writeString(dir.resolve("secret.json"), MlpJson.toJsonString(MODEL));
        Files.createSymbolicLink(models.resolve("link.json"), dir.resolve("secret.json"));
        try (PanodeServer s = PanodeServer.start(ServeFixtures.config().withModels(models, 4))) {
            int p = s.port();
            RawHttp.Reply ok = RawHttp.once(p, "POST", "/v1/models", "{\"name\": \"spiral\", \"path\": \"spiral.json\"}");
            assertEquals(201, ok.status(), ok.body());
            assertEquals("spiral.json", ok.json().get("source").asText());
            for (String bad : new String[] {"../secret.json", dir.resolve("secret.json").toString(), "link.json",
                    "missing.json", "sub/../../secret.json"}) {
                RawHttp.Reply r = RawHttp.once(p, "POST", "/v1/models",
                        "{\"name\": \"x\", \"path\": " + ProblemFile.MAPPER.valueToTree(bad) + "}");
                ServeAssertions.assertError(r, 422, "invalid_field", "path");
                assertFalse(r.body().contains(models.toString()), "the server's folders stay private: " + r.body());
            }
        }
        RawHttp.Reply off = RawHttp.once(port, "POST", "/v1/models", "{\"name\": \"x\", \"path\": \"spiral.json\"}");
        ServeAssertions.assertError(off, 422, "invalid_field", "path");
    }

    /** The value of one sample line of /metrics. */
    static long metric(int port, String sample) {
        return valueIn(RawHttp.once(port, "GET", "/metrics", null).body(), sample);
    }

    /** The value of {@code sample} in one scrape's body, 0 when absent. */
    private static long valueIn(String body, String sample) {
        for (String line : body.split("\n")) {
            if (line.startsWith(sample + " ")) return (long) Double.parseDouble(line.substring(sample.length() + 1));
        }
        return 0;
    }
}
