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

    /** {@code --test-freq N} prints ode_demo's test line every N iterations (the full trajectory's MAE); --no-plots. */
    @Test
    void testFreqPrintsTheFullTrajectoryErrorEveryNIterations(@TempDir Path dir) throws Exception {
        DemoCommand cmd = new DemoCommand();
        new CommandLine(cmd).parseArgs("-n", "4", "--batch-size", "6", "--test-freq", "2", "--optimizer", "rmsprop",
                "--lr", "1e-3", "--schedule", "constant", "--no-plots", "-o", dir.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cmd.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> tests = text.lines().filter(l -> l.startsWith("Iter ")).toList();
        assertEquals(2, tests.size(), text);
        assertTrue(tests.get(0).matches("Iter 0002 \\| Total Loss \\d+\\.\\d{6}"), tests.get(0));
        assertTrue(tests.get(1).startsWith("Iter 0004 | Total Loss "), tests.get(1));
        assertTrue(text.contains("RMSprop lr 0.001"), text);
        assertTrue(Files.exists(dir.resolve("model.json")));
        assertTrue(!Files.exists(dir.resolve("overview.png")), "--no-plots writes no PNG");
    }

    /** The batch gradient in chunks gives the same run on one thread and on two. */
    @Test
    void threadsChangeNothingButTheSpeed(@TempDir Path dir) throws Exception {
        double[] one = demo("spiral", "-n", "3", "--batch-size", "8", "--chunk-rows", "4", "--threads", "1",
                "-o", dir.resolve("a").toString()).losses();
        double[] two = demo("spiral", "-n", "3", "--batch-size", "8", "--chunk-rows", "4", "--threads", "2",
                "-o", dir.resolve("b").toString()).losses();
        assertArrayEquals(one, two, 0.0);
    }

    /**
     * Balanced chunks give the same run on one thread and on two at the same --balanced-chunks, with either estimate,
     * and --threads 2 alone means two balanced chunks cut from the windows' observations.
     */
    @Test
    void balancedChunksChangeNothingButTheSpeed(@TempDir Path dir) throws Exception {
        double[] one = demo("spiral", "-n", "3", "--batch-size", "8", "--balanced-chunks", "2", "--threads", "1",
                "-o", dir.resolve("a").toString()).losses();
        double[] two = demo("spiral", "-n", "3", "--batch-size", "8", "--threads", "2",
                "-o", dir.resolve("b").toString()).losses();
        assertArrayEquals(one, two, 0.0);
        double[] whole = demo("spiral", "-n", "3", "--batch-size", "8", "-o", dir.resolve("c").toString()).losses();
        assertEquals(whole[0], one[0], 1e-6 * whole[0], "the same first loss up to the solves' tolerance");
        double[] data = demo("spiral", "-n", "3", "--batch-size", "8", "--threads", "2", "--split-estimate", "data",
                "-o", dir.resolve("d").toString()).losses();
        assertArrayEquals(two, data, 0.0, "the cut from the windows' observations is the default");
        double[] fieldOne = demo("spiral", "-n", "3", "--batch-size", "8", "--balanced-chunks", "2", "--threads", "1",
                "--split-estimate", "field", "-o", dir.resolve("e").toString()).losses();
        double[] fieldTwo = demo("spiral", "-n", "3", "--batch-size", "8", "--threads", "2", "--split-estimate",
                "field", "-o", dir.resolve("f").toString()).losses();
        assertArrayEquals(fieldOne, fieldTwo, 0.0, "the evaluated cut: the same run on one thread and on two");
    }

    @Test
    void badThreadAndTestOptionsAreNamed(@TempDir Path dir) {
        for (String[] args : List.of(new String[] {"--threads", "0"}, new String[] {"--chunk-rows", "0"},
                new String[] {"--balanced-chunks", "0"}, new String[] {"--split-estimate", "guess"},
                new String[] {"--test-freq", "-1"}, new String[] {"--schedule", "step"},
                new String[] {"--optimizer", "lbfgs"})) {
            DemoCommand cmd = new DemoCommand();
            new CommandLine(cmd).parseArgs(concat(args, "-n", "1", "-o", dir.toString()));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> cmd.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false));
            assertTrue(e.getMessage().startsWith(args[0] + " must be"), e.getMessage());
            assertTrue(e.getMessage().endsWith("got " + args[1]), e.getMessage());
        }
    }

    @Test
    void balancedChunksAndChunkRowsExcludeEachOther(@TempDir Path dir) {
        DemoCommand cmd = new DemoCommand();
        new CommandLine(cmd).parseArgs("-n", "1", "--balanced-chunks", "2", "--chunk-rows", "4", "-o", dir.toString());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cmd.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false));
        assertEquals("--balanced-chunks and --chunk-rows exclude each other, got --balanced-chunks 2 --chunk-rows 4",
                e.getMessage());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
