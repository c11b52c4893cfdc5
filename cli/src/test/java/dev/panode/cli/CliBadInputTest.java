package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input files give one line naming the problem on standard error, never a stack trace and never the whole usage:
 * exit code 1 for a missing or malformed file (I/O) or a computation that failed, 2 for valid JSON with invalid
 * content or a bad option value (picocli's usage-error code).
 */
class CliBadInputTest {
    private static final String MODEL = "{\"layers\": [{\"W\": [[0.5, -1.0], [1.0, 0.2]], \"b\": [0.1, 0.0]}]}";

    /** One run of the command line: exit code, standard output, standard error. */
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    /** Exit code {@code exit}, no stack trace, one line for exit 1, and a first line containing every part. */
    static void assertOneLineFailure(Run r, int exit, String... parts) {
        assertEquals(exit, r.exit(), r.err());
        String all = r.err().strip();
        assertFalse(all.contains("\tat ") || all.contains("Exception"), "no stack trace: " + all);
        assertFalse(all.contains("\n"), "one line: " + all);
        assertFalse(all.contains("Usage:"), "no usage after a data error: " + all);
        String first = all;
        for (String p : parts) assertTrue(first.contains(p), () -> "'" + first + "' lacks '" + p + "'");
    }

    @Test
    void malformedProblemAndModelFiles(@TempDir Path dir) throws Exception {
        Path truncated = Files.writeString(dir.resolve("truncated.json"), "{\"model\": {\"layers\": [");
        assertOneLineFailure(run("solve", "--problem", truncated.toString()), 1, "panode solve", "problem file", "truncated.json", "not valid JSON", "line 1, column");

        Path problem = Files.writeString(dir.resolve("problem.json"), "{\"z0\": [[1, 0]], \"t\": [0, 0.5, 1]}");
        Path badModel = Files.writeString(dir.resolve("model.json"),
                "{\"layers\": [{\"W\": [[0.5, \"x\"], [1.0, 0.2]], \"b\": [0.1, 0.0]}]}");
        assertOneLineFailure(run("grad", "--problem", problem.toString(), "--model", badModel.toString()),
                2, "layers[0].W[0][1]", "\"x\"");

        Path nanTimes = Files.writeString(dir.resolve("times.json"),
                "{\"model\": " + MODEL + ", \"z0\": [[1, 0]], \"t\": [0, 1, 0.5]}");
        assertOneLineFailure(run("solve", "--problem", nanTimes.toString()), 2, "t must be strictly monotone");

        Path wrongDim = Files.writeString(dir.resolve("dim.json"),
                "{\"model\": " + MODEL + ", \"z0\": [[1, 0, 3]], \"t\": [0, 1]}");
        assertOneLineFailure(run("solve", "--problem", wrongDim.toString()), 2, "z0[0]", "[1,0,3]");

        assertOneLineFailure(run("solve", "--problem", dir.resolve("missing.json").toString()), 1, "missing.json");
        Path twice = Files.writeString(dir.resolve("twice.json"),
                "{\"model\": " + MODEL + ", \"z0\": [[1, 0]], \"t\": [0, 1], \"z0\": [[5, 5]]}");
        assertOneLineFailure(run("solve", "--problem", twice.toString()), 1, "twice.json", "Duplicate field 'z0'");
        Path truncatedModel = Files.writeString(dir.resolve("truncated-model.json"), "{\"layers\": [{\"W\": [[1, 2]");
        assertOneLineFailure(run("grad", "--problem", problem.toString(), "--model", truncatedModel.toString()), 1,
                "model file", "truncated-model.json", "not valid JSON");
    }

    @Test
    void aLossThatOverflowsIsOneLine(@TempDir Path dir) throws Exception {
        Path huge = Files.writeString(dir.resolve("huge.json"),
                "{\"model\": " + MODEL + ", \"z0\": [[1e200, 1e200]], \"t\": [0, 0.5]}");
        assertOneLineFailure(run("grad", "--problem", huge.toString()), 1, "panode grad", "loss", "not finite",
                "Infinity");
    }

    @Test
    void maxStepsIsAnOptionAndTheMessageNamesIt(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.json"),
                "{\"model\": " + MODEL + ", \"z0\": [[1, 0]], \"t\": [0, 1]}");
        // 100 001 fixed steps: one more than the library's default budget of 100 000
        Run tooMany = run("solve", "--problem", p.toString(), "--method", "rk4", "--steps", "100001");
        assertOneLineFailure(tooMany, 1, "MAX_STEPS_REACHED", "--max-steps");
        assertFalse(tooMany.err().contains("raise maxSteps"), tooMany.err());
        Run raised = run("solve", "--problem", p.toString(), "--method", "rk4", "--steps", "100001",
                "--max-steps", "100001");
        assertEquals(0, raised.exit(), raised.err());
        assertTrue(raised.out().contains("\"accepted\" : 100001"), raised.out());
        assertOneLineFailure(run("grad", "--problem", p.toString(), "--max-steps", "3", "--rtol", "1e-10"), 1,
                "MAX_STEPS_REACHED", "--max-steps = 3");
        assertOneLineFailure(run("solve", "--problem", p.toString(), "--max-steps", "0"), 2, "--max-steps", "0");
    }

    @Test
    void aProblemFromStandardInput() throws Exception {
        String problem = "{\"model\": " + MODEL + ", \"z0\": [[1, 0]], \"t\": [0, 0.5, 1]}";
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(problem.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Run r = run("solve", "--problem", "-");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("\"t\" : [ 0.0, 0.5, 1.0 ]"), r.out());
            System.setIn(new java.io.ByteArrayInputStream("{\"z0\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertOneLineFailure(run("solve", "--problem", "-"), 1, "problem file", "standard input", "not valid JSON");
        } finally {
            System.setIn(saved);
        }
    }
}
