package dev.panode.bench.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.simd.GemmPlatform;
import dev.panode.simd.GemmThresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The platform rule's row rule against the committed {@link DenseVjpSurvey} runs (docs/benchmarks/vjp-dispatch/,
 * docs/BENCHMARKS.md §48): the whole MLP VJPs of the benchmark cases (the SciML spiral and d2_h50 at batch 1, d2_h50
 * at 16, d2_h64 at 1024, d32_h256 at 256) run on the backend that was faster, or within 5% of it, and a single row of
 * every surveyed double layer stays on the Java kernels, where its fused pass was not slower than OpenBLAS by more
 * than 5%. (A float row's fused pass and sgemm were within the survey's noise of each other; the row rule keeps it on
 * the Java kernels for its bits.)
 */
class VjpRuleSurveyTest {
    private static final Path RUNS = Path.of("..", "docs", "benchmarks", "vjp-dispatch");

    /** One surveyed VJP. */
    private record Run(String dtype, String net, int in, int out, int rows, double java, double openblas) {}

    @Test
    void theBenchmarkVjpsRunOnTheFasterBackend() throws IOException {
        List<Path> files = files();
        assertFalse(files.isEmpty(), "no survey in " + RUNS);
        for (Path file : files) {
            GemmPlatform platform = GemmCalibration.platform(file);
            int nets = 0, rows1 = 0;
            for (Run r : read(file)) {
                boolean f32 = r.dtype().equals("f32");
                GemmThresholds rule = GemmThresholds.rule(platform, f32);
                Boolean java = rule.javaVjp(r.rows()) ? Boolean.TRUE
                        : rule.minBlasBackwardVolume() <= 1 ? Boolean.FALSE : null; // null: the products decide
                if (java == null) continue;
                double chosen = java ? r.java() : r.openblas(), best = Math.min(r.java(), r.openblas());
                String what = file.getFileName() + " " + r;
                if (r.net() != null && r.rows() != 2 && r.rows() != 3) {
                    assertTrue(chosen <= 1.05 * best, what + ": " + (java ? "Java" : "OpenBLAS") + " chosen");
                    nets++;
                } else if (r.net() == null && r.rows() == 1 && !f32) {
                    assertTrue(java, what);
                    assertTrue(r.java() <= 1.05 * r.openblas(), what);
                    rows1++;
                }
            }
            assertEquals(5, nets, file + ": the five benchmark VJPs");
            assertEquals(9, rows1, file + ": one row of nine layers");
        }
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(RUNS)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static List<Run> read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            JsonNode n = json.readTree(line);
            runs.add(new Run(n.path("dtype").asText(), n.has("net") ? n.path("net").asText() : null,
                    n.path("in").asInt(), n.path("out").asInt(), n.path("rows").asInt(), n.path("java").asDouble(),
                    n.path("openblas").asDouble()));
        }
        return runs;
    }
}
