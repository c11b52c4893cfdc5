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
 * Bad input files give one line naming the problem on standard error, never a stack trace: exit code 1 for a missing
 * or malformed file (I/O), 2 for valid JSON with invalid content (picocli's usage-error code, as for a bad option,
 * followed by the usage).
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
        if (exit == 1) assertFalse(all.contains("\n"), "one line: " + all);
        String first = all.lines().findFirst().orElse(""); // exit 2: picocli prints the usage after this line
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
        Path truncatedModel = Files.writeString(dir.resolve("truncated-model.json"), "{\"layers\": [{\"W\": [[1, 2]");
        assertOneLineFailure(run("grad", "--problem", problem.toString(), "--model", truncatedModel.toString()), 1,
                "model file", "truncated-model.json", "not valid JSON");
    }
}
