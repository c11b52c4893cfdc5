package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.cli.GradientChoice;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.ProblemFile;
import dev.panode.cli.SolverOptions;
import dev.panode.io.MlpJson;
import dev.panode.io.Precision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A float32 backprop or interpolating-adjoint request under the server's {@code --checkpoint-bytes}: within it, the
 * gradient of every step kept (binomial checkpointing, or thinned states and replayed segments, when the steps do not
 * fit), the bytes kept and steps recomputed in its stats; a batch whose first state alone exceeds it, a clear 422
 * naming the budget, and the server answers the next request.
 */
class ServeFloatBudgetTest {
    /** 40 rows of 2 floats: 320 bytes a state. */
    private static final int ROWS = 40;
    private static final long BUDGET = 5 * 320;
    static PanodeServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = PanodeServer.start(ServeFixtures.config().withCheckpointBytes(BUDGET));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ObjectNode floatGradient(int rows, GradientChoice gradient) {
        ObjectNode req = ServeFixtures.solveRequest("m", rows);
        req.put("gradient", gradient.toString());
        req.set("model", MlpJson.toJson(ServeFixtures.MODEL, Precision.FLOAT32)); // a float32 model: a float32 solve
        req.put("rtol", 1e-7).put("atol", 1e-9).put("loss", "multi");
        ArrayNode t = req.putArray("t");
        for (int k = 0; k <= 8; k++) t.add(k * 0.5);
        return req;
    }

    @Test
    void aFloatGradientWithinTheBudgetIsTheGradientOfEveryStepKept() {
        for (GradientChoice g : new GradientChoice[] {GradientChoice.BACKPROP, GradientChoice.INTERPOLATING_SEMINORM}) {
            withinTheBudget(g);
        }
    }

    private static void withinTheBudget(GradientChoice gradient) {
        ObjectNode req = floatGradient(ROWS, gradient);
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/grad", req.toString());
        assertEquals(200, r.status(), gradient + ": " + r.body());
        JsonNode got = r.json();
        ObjectNode want = JsonInterface.gradient(ProblemFile.of(req, MlpJson.fromJson(req.get("model"))),
                new SolverOptions("dopri5", null, 1e-7, 1e-9), gradient, "multi", 10_000,
                Checkpointing.all());
        assertEquals("float32", got.get("dtype").asText());
        for (String key : new String[] {"loss", "dL_dz0", "dL_dtheta"}) {
            assertEquals(want.get(key).toString(), got.get(key).toString(), gradient + " " + key);
        }
        JsonNode stats = got.get("stats");
        long steps = stats.get("forward_steps").asLong();
        assertTrue(steps > 5, "more steps than the 5 states the budget holds: " + stats);
        assertTrue(stats.get("steps_recomputed").asLong() > 0, stats.toString());
        assertTrue(stats.get("checkpoint_bytes").asLong() <= BUDGET, stats.toString());
        assertEquals(0, want.get("stats").get("steps_recomputed").asLong());
        assertTrue(want.get("stats").get("checkpoint_bytes").asLong() > BUDGET, want.toString());
    }

    @Test
    void aFloatGradientWhoseFirstStateExceedsTheBudgetIsA422NamingIt() {
        for (GradientChoice g : new GradientChoice[] {GradientChoice.BACKPROP, GradientChoice.INTERPOLATING}) {
            firstStateExceedsTheBudget(g);
        }
    }

    private static void firstStateExceedsTheBudget(GradientChoice gradient) {
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/grad", floatGradient(6 * ROWS, gradient).toString());
        assertEquals(422, r.status(), r.body());
        JsonNode err = r.json().get("error");
        assertEquals("limit_exceeded", err.get("kind").asText(), r.body());
        assertEquals("z0", err.get("field").asText(), r.body());
        String message = err.get("message").asText();
        assertTrue(message.contains("checkpoint budget of 1600 bytes cannot hold one slot of 480 floats (1920 bytes)")
                && message.contains("--checkpoint-bytes"), message);
        assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), r.body());
        RawHttp.Reply next = RawHttp.once(port, "POST", "/v1/grad", floatGradient(2, gradient).toString());
        assertEquals(200, next.status(), next.body());
    }
}
