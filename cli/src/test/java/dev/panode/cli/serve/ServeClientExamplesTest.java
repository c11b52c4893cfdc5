package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.models.Mlp;
import dev.panode.io.MlpJson;
import dev.panode.cli.GradientChoice;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.ProblemFile;
import dev.panode.cli.SolverOptions;
import dev.panode.solvers.SolverWorkspace;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client examples of docs/examples run against a live server and get the answers the library computes
 * in-process: the Python one (standard library only; skipped when there is no python3 on the PATH) and the Java one
 * (java.net.http, run with the source launcher).
 */
@Timeout(120)
class ServeClientExamplesTest {
    static PanodeServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PanodeServer.start(ServeFixtures.config());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pythonClientExample() throws Exception {
        Path python = onPath("python3");
        assumeTrue(python != null, "no python3 on the PATH");
        JsonNode out = run(List.of(python.toString(), example("serve_client.py").toString(), base()));
        assertEquals("ok", out.get("health").get("status").asText());
        assertEquals(201, out.get("load").get(0).asInt());
        JsonNode problem = ProblemFile.MAPPER.readTree(
                "{\"z0\": [[1.0, 0.0], [0.0, -0.5]], \"t\": [0.0, 0.5, 1.0]}");
        Mlp model = MlpJson.fromJson(out.get("model"));
        ProblemFile p = ProblemFile.of(problem, model);
        assertEquals(200, out.get("solve").get(0).asInt());
        assertEquals(solved(p).toString(), out.get("solve").get(1).toString());
        assertEquals(JsonInterface.gradient(p, new SolverOptions("dopri5", null, 1e-6, 1e-8),
                GradientChoice.ADJOINT_SEMINORM, "final", 10_000, Checkpointing.all()).toString(),
                out.get("grad").get(1).toString());
        JsonNode batch = out.get("batch").get(1).get("results");
        assertEquals(solved(p).toString(), batch.get(0).toString());
        assertEquals(JsonInterface.solve(p, new SolverOptions("rk4", 10, 1e-6, 1e-8), 10_000, new SolverWorkspace())
                .toString(), batch.get(1).toString());
        assertEquals(422, out.get("bad").get(0).asInt());
        assertEquals("z0[0]", out.get("bad").get(1).get("error").get("field").asText());
    }

    @Test
    void javaClientExample() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        JsonNode out = run(List.of(java, example("ServeClient.java").toString(), base()));
        assertEquals(201, out.get("load").get("status").asInt());
        Mlp model = MlpJson.fromJson(out.get("model"));
        ProblemFile p = ProblemFile.of(ProblemFile.MAPPER.readTree(
                "{\"z0\": [[1.0, 0.0], [0.0, -0.5]], \"t\": [0.0, 0.5, 1.0]}"), model);
        assertEquals(solved(p).toString(), out.get("solve").get("body").toString());
        assertEquals(JsonInterface.gradient(p, new SolverOptions("dopri5", null, 1e-6, 1e-8), GradientChoice.BACKPROP,
                "final", 10_000, Checkpointing.all()).toString(), out.get("grad").get("body").toString());
        assertEquals(422, out.get("bad").get("status").asInt());
        assertEquals("z0[1]", out.get("bad").get("body").get("error").get("field").asText());
    }

    private static JsonNode solved(ProblemFile p) {
        return JsonInterface.solve(p, new SolverOptions("dopri5", null, 1e-6, 1e-8), 10_000, new SolverWorkspace());
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Runs a program (at most 60 s) and parses the last line it prints as JSON. */
    private static JsonNode run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("the example did not finish: " + output);
            assertEquals(0, p.exitValue(), output);
            List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
            return ProblemFile.MAPPER.readTree(lines.getLast());
        } finally {
            p.destroyForcibly();
        }
    }

    /** docs/examples/NAME, found from the module folder upwards. */
    static Path example(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("docs").resolve("examples").resolve(name);
            if (Files.isRegularFile(f)) return f;
        }
        throw new IllegalStateException("no docs/examples/" + name + " above " + Path.of("").toAbsolutePath());
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path f = Path.of(dir).resolve(program);
            if (Files.isExecutable(f)) return f;
        }
        return null;
    }
}
