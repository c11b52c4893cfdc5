package dev.panode.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's guard against rot: the JMH annotation processor ran, the suite runner runs one tiny benchmark in this JVM
 * (smoke profile, no fork) with the gc profiler, the results survive a JSON round trip and pass the gate against
 * themselves. A second of work; no figure here is a measurement. The benchmark is a Vector API kernel, so the test
 * runs (and passes) on a machine without OpenBLAS, as panode itself does.
 */
class BenchSmokeTest {

    @Test
    void oneBenchmarkRunsThroughTheSuite(@TempDir Path dir) throws Exception {
        SuiteRequest request = new SuiteRequest(Profile.SMOKE,
                List.of("^dev\\.panode\\.bench\\.simd\\.ErrorNormsBench\\.rms$"), List.of(), true, false);
        ResultsFile run = SuiteRunner.run(request);
        assertEquals(3, run.results().size(), "one result per @Param n: " + run.results());
        for (BenchResult r : run.results()) {
            assertEquals("ns/op", r.unit());
            assertTrue(r.score() > 0 && Double.isFinite(r.score()), r.toString());
            assertTrue(Double.isFinite(r.allocBytesPerOp()), "gc profiler reported bytes per op: " + r);
        }
        Path file = dir.resolve("run.json");
        run.write(file);
        ResultsFile back = ResultsFile.read(file);
        assertEquals(run.results(), back.results());
        assertEquals("smoke", back.environment().path("profile").asText());
        assertTrue(back.describeEnvironment().contains("JDK " + Runtime.version()), back.describeEnvironment());
        assertFalse(BaselineComparison.compare(back.results(), run.results(), 1.25, 1.0).failed());
        assertTrue(ResultTable.render(run.results()).contains("ErrorNormsBench.rms"));
    }
}
