package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.spark.cli.SparkMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code panode demo --spark MASTER}, the demo's distributed variant (train-spark), on the shared local[2] session. */
class TrainSparkCommandTest {

    private static String run(String... args) {
        SparkTestSession.get();
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, SparkMain.commandLine().execute(args));
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoWithSparkTrainsDataParallelWithProgress() {
        String out = run("demo", "spiral", "--spark", "local[2]", "--trajectories", "8", "--observations", "5",
                "--hidden", "8", "--iterations", "4", "--steps", "5", "--compare");
        assertTrue(out.contains("train-spark: 8 trajectories × 5 observations"), out);
        assertEquals(4, out.lines().filter(l -> l.startsWith("iter ")).count(), out);
        assertTrue(out.contains("largest relative gap of the curves"), out);
        double gap = Double.parseDouble(out.lines().filter(l -> l.contains("largest relative gap")).findFirst()
                .orElseThrow().replaceAll(".*curves ", "").strip());
        assertTrue(gap < 1e-10, "fixed steps: the data-parallel curve is the single-JVM one, gap " + gap);
    }

    @Test
    void onlyTheSpiralIsOffered() {
        StringWriter err = new StringWriter();
        CommandLine cl = SparkMain.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(1, cl.execute("demo", "oscillator", "--spark", "local[2]"));
        assertTrue(err.toString().strip().endsWith(": PROBLEM must be spiral (the distributed demo trains the spiral), "
                + "got oscillator"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }
}
