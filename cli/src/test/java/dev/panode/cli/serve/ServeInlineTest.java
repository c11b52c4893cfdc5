package dev.panode.cli.serve;

import static dev.panode.cli.serve.ServeFixtures.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.ProblemFile;
import dev.panode.cli.SolverOptions;
import dev.panode.solvers.SolverWorkspace;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Small solves are answered on the HTTP thread that read them; a solve too large for it (rows × width, or more steps
 * than the inline budget) is moved to the pool and answered exactly as if it had gone there first, counted once.
 */
class ServeInlineTest {
    private PanodeServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = PanodeServer.start(ServeFixtures.config());
        port = server.port();
        assertEquals(201, RawHttp.once(port, "POST", "/v1/models", ServeFixtures.loadRequest("m")).status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ObjectNode inProcess(ObjectNode req, SolverOptions options, long maxSteps) {
        return JsonInterface.solve(ProblemFile.of(req, MODEL), options, maxSteps, new SolverWorkspace());
    }

    /** Posts the solve, checks the answer is the in-process one, and returns that. */
    private ObjectNode solvedAsInProcess(ObjectNode req, SolverOptions options, long maxSteps) {
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/solve", req.toString());
        assertEquals(200, r.status(), r.body());
        ObjectNode want = inProcess(req, options, maxSteps);
        assertEquals(want.toString(), r.json().toString());
        // the streaming path's bytes are the general path's, byte for byte
        assertEquals(want.toString(), r.body());
        return want;
    }

    private long metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)$").matcher(server.metrics().render());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private void assertCounted(long answered, long moved, long nfe, String result, long results) {
        assertEquals(answered, metric("panode_inline_solves_total{outcome=\"answered\"}"), "inline answered");
        assertEquals(moved, metric("panode_inline_solves_total{outcome=\"moved\"}"), "moved to the pool");
        assertEquals(nfe, metric("panode_nfe_total{pass=\"forward\"}"), "NFE counted once");
        assertEquals(results, metric("panode_solve_results_total{result=\"" + result + "\"}"), result);
    }

    @Test
    void aSmallSolveIsAnsweredInline() {
        ObjectNode want = solvedAsInProcess(ServeFixtures.solveRequest("m", 3),
                new SolverOptions("dopri5", null, 1e-6, 1e-8), 10_000);
        assertCounted(1, 0, want.get("stats").get("nfe").asLong(), "SUCCESSFUL", 1);
    }

    @Test
    void aSolveNeedingMoreStepsThanTheInlineBudgetIsMovedAndRunInFull() {
        long steps = 2 * Computations.INLINE_STEPS;
        ObjectNode req = ServeFixtures.solveRequest("m", 2).put("method", "rk4").put("steps", steps);
        ObjectNode want = solvedAsInProcess(req, new SolverOptions("rk4", (int) steps, 1e-6, 1e-8), 10_000);
        assertEquals("SUCCESSFUL", want.get("result").asText());
        assertCounted(0, 1, 4 * steps, "SUCCESSFUL", 1);
        assertEquals(0, server.metrics().errors(ApiError.Kind.STEP_BUDGET), "the inline try is no budget error");
    }

    @Test
    void aRequestBudgetWithinTheInlineOneEndsInlineWithThePartialSolution() {
        ObjectNode req = ServeFixtures.solveRequest("m", 2).put("rtol", 1e-12).put("atol", 1e-14).put("max_steps", 3);
        ObjectNode want = solvedAsInProcess(req, new SolverOptions("dopri5", null, 1e-12, 1e-14), 3);
        assertEquals("MAX_STEPS_REACHED", want.get("result").asText());
        assertCounted(1, 0, want.get("stats").get("nfe").asLong(), "MAX_STEPS_REACHED", 1);
        assertEquals(1, server.metrics().errors(ApiError.Kind.STEP_BUDGET));
    }

    @Test
    void aSolveWithTooManyRowsForTheHttpThreadIsMoved() {
        int rows = Computations.INLINE_MAX_ROWS_WIDTH / 16 + 1; // the fixture's widest layer is 16
        ObjectNode want = solvedAsInProcess(ServeFixtures.solveRequest("m", rows),
                new SolverOptions("dopri5", null, 1e-6, 1e-8), 10_000);
        assertCounted(0, 1, want.get("stats").get("nfe").asLong(), "SUCCESSFUL", 1);
    }

    @Test
    void badInputOnTheInlinePathIsTheSameJsonError() {
        String bad = "{\"model\": \"m\", \"z0\": [[1, \"x\"]], \"t\": [0, 1]}";
        RawHttp.Reply r = RawHttp.once(port, "POST", "/v1/solve", bad);
        ServeAssertions.assertError(r, 422, "invalid_field", "z0[0][1]");
        assertCounted(0, 0, 0, "SUCCESSFUL", 0);
    }
}
