package dev.panode.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The gate's exit code and report, on small JMH result files. */
class BenchCompareCommandTest {
    private static String jmh(double score, double error, double alloc) {
        return """
                [{"benchmark":"dev.panode.bench.blas.DgemmBench.dgemm","mode":"avgt","params":{"shape":"16x50x2"},
                  "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"ns/op"},
                  "secondaryMetrics":{"gc.alloc.rate.norm":{"score":%s,"scoreUnit":"B/op"}}}]
                """.formatted(score, error, alloc);
    }

    private static int compare(Path base, Path now, StringWriter out, String... extra) {
        CommandLine cl = BenchCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        String[] args = new String[3 + extra.length];
        args[0] = "compare";
        args[1] = now.toString();
        args[2] = "--baseline=" + base;
        System.arraycopy(extra, 0, args, 3, extra.length);
        return cl.execute(args);
    }

    @Test
    void exitCodeFollowsTheGate(@TempDir Path dir) throws Exception {
        Path base = Files.writeString(dir.resolve("base.json"), jmh(1000, 10, 0.001));
        Path same = Files.writeString(dir.resolve("same.json"), jmh(1020, 10, 0.001));
        Path slow = Files.writeString(dir.resolve("slow.json"), jmh(1400, 10, 0.001));
        Path allocating = Files.writeString(dir.resolve("alloc.json"), jmh(1000, 10, 48));

        StringWriter out = new StringWriter();
        assertEquals(0, compare(base, same, out), out.toString());
        assertTrue(out.toString().contains("1.020 ± 0.014"), out.toString());
        assertTrue(out.toString().contains("PASS"), out.toString());

        out = new StringWriter();
        assertEquals(1, compare(base, slow, out), out.toString());
        assertTrue(out.toString().contains("SLOWER"), out.toString());

        out = new StringWriter();
        assertEquals(0, compare(base, slow, out, "--threshold=1.5"), "a looser threshold passes: " + out);

        out = new StringWriter();
        assertEquals(1, compare(base, allocating, out), out.toString());
        assertTrue(out.toString().contains("ALLOCATES"), out.toString());
    }
}
