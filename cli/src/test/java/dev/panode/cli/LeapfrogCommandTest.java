package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LeapfrogCommandTest {

    @Test
    void runsE1AndE2AndWritesBothPngs(@TempDir Path dir) throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(text));
        int code = cmd.execute("leapfrog", "--out", dir.toString(), "--e1-steps", "50,100", "--e2-steps", "32",
                "--iterations", "20", "--reference-steps", "2000", "--plot-steps", "20", "--train-plot-steps", "32");
        assertEquals(0, code, text.toString());
        String s = text.toString();
        assertTrue(s.contains("E1:") && s.contains("E2:"), s);
        assertTrue(s.lines().anyMatch(l -> l.trim().startsWith("50 |")), s);
        assertTrue(s.lines().anyMatch(l -> l.trim().startsWith("32 |")), s);
        for (String name : new String[] {"gradients.png", "learned-biases.png"}) {
            Path png = dir.resolve(name);
            assertTrue(Files.size(png) > 1000, name + " is " + Files.size(png) + " bytes");
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, name);
        }
    }

    @Test
    void rejectsTooFewSteps(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new LeapfrogCommand());
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("--out", dir.toString(), "--e1-steps", "4");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--e1-steps must be >= 8, got 4"), err.toString());
    }
}
