package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Mlp;
import dev.panode.io.MlpJson;
import dev.panode.solvers.FieldWorkspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code panode demo} end to end, with few iterations. */
class DemoCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static DemoCommand.DemoResult demo(String output, String... args) throws Exception {
        DemoCommand cmd = new DemoCommand();
        new CommandLine(cmd).parseArgs(args);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DemoCommand.DemoResult r = cmd.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("summary"), text);
        assertTrue(text.contains("NFE per iteration"), text);
        assertTrue(text.contains("backend"), text);
        assertTrue(text.contains("iter "), "plain progress lines when not on a terminal: " + text);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"spiral", "oscillator"})
    void writesNonEmptyPlotsAndTheModel(String problem, @TempDir Path dir) throws Exception {
        DemoCommand.DemoResult r = demo(problem, problem, "-n", "5", "--seed", "3", "-o", dir.toString());
        List<String> names = List.of("trajectories.png", "phase_portrait.png", "vector_field.png", "loss.png",
                "overview.png");
        for (String name : names) {
            Path png = dir.resolve(name);
            assertTrue(Files.size(png) > 5_000, name + " is " + Files.size(png) + " bytes");
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
            assertArrayEquals(PNG_SIGNATURE, head, name + " is a PNG");
        }
        assertTrue(Files.size(dir.resolve("model.json")) > 100);
        assertEquals(5, r.losses().length);
        assertTrue(r.nfeForwardPerIteration() > 0 && r.nfeBackwardPerIteration() > 0);
    }

    @Test
    void theSavedModelReloadsToIdenticalOutputs(@TempDir Path dir) throws Exception {
        DemoCommand.DemoResult r = demo("spiral", "-n", "3", "-o", dir.toString());
        Mlp trained = r.model();
        Mlp reloaded = MlpJson.read(dir.resolve("model.json"));
        assertEquals(trained.architecture(), reloaded.architecture());
        assertArrayEquals(trained.parameters(), reloaded.parameters(), 0.0);
        int rows = 64;
        double[] y = new double[rows * 2];
        for (int i = 0; i < y.length; i++) y[i] = 2.5 * Math.sin(1.7 * i + 0.3);
        double[] a = new double[y.length], b = new double[y.length];
        FieldWorkspace wa = trained.newWorkspace(rows), wb = reloaded.newWorkspace(rows);
        trained.evaluate(0.0, y, a, rows, wa);
        reloaded.evaluate(0.0, y, b, rows, wb);
        assertArrayEquals(a, b, 0.0, "bit-identical field values after save and load");
        double[] t = {0.0, 0.5, 1.0};
        double[] y0 = {2.0, 0.0, -1.0, 0.5};
        SolverOptions s = new SolverOptions();
        double[] want = Numerics.solve(trained, y0, 2, t, s).states();
        assertArrayEquals(want, Numerics.solve(reloaded, y0, 2, t, s).states(), 0.0, "bit-identical solutions");

        // The same through the command line: panode solve --problem P --model model.json.
        Path problem = dir.resolve("problem.json");
        Files.writeString(problem, "{\"z0\": [[2.0, 0.0], [-1.0, 0.5]], \"t\": [0.0, 0.5, 1.0]}");
        var json = ReferenceFiles.MAPPER.readTree(ReferenceFiles.run("solve", "--problem", problem.toString(),
                "--model", dir.resolve("model.json").toString()));
        assertArrayEquals(want, ReferenceFiles.numbers(json.get("z")), 0.0, "panode solve with the saved model");
        assertEquals("spiral", ReferenceFiles.MAPPER.readTree(dir.resolve("model.json").toFile())
                .get("training").get("problem").asText());
    }

    @Test
    void sameSeedSameRun(@TempDir Path dir) throws Exception {
        double[] a = demo("oscillator", "oscillator", "-n", "4", "--seed", "9", "-o", dir.resolve("a").toString()).losses();
        double[] b = demo("oscillator", "oscillator", "-n", "4", "--seed", "9", "-o", dir.resolve("b").toString()).losses();
        assertArrayEquals(a, b, 0.0);
    }
}
