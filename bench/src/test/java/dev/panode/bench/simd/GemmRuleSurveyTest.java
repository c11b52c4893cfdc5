package dev.panode.bench.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.simd.GemmPlatform;
import dev.panode.simd.GemmThresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The platform rule against the committed four-way survey runs (docs/benchmarks/gemm-dispatch/, docs/BENCHMARKS.md
 * §6.1): on the VJP products (layouts TN and NN) of every run it loses no more time against the faster backend than
 * the single rule {@link GemmThresholds#MEASURED} did, and on the runs of the current kernels ({@code hot2-*}) with
 * OpenBLAS's AVX-512 kernels it stays within 15% at every VJP product. A change of the rule that breaks a measured
 * claim fails here.
 */
class GemmRuleSurveyTest {
    private static final Path RUNS = Path.of("..", "docs", "benchmarks", "gemm-dispatch");

    @Test
    void theRuleNeverLosesMoreThanTheSingleRuleOnTheVjpProducts() throws IOException {
        List<Path> runs = runs();
        assertEquals(12, runs.size(), "three runs of four combinations: " + runs);
        for (Path run : runs) {
            GemmPlatform platform = GemmCalibration.platform(run);
            List<ThresholdFit.Measured> all = GemmCalibration.read(run);
            for (String dtype : new String[] {"f64", "f32"}) {
                List<ThresholdFit.Measured> vjp = all.stream()
                        .filter(s -> s.layout().startsWith(dtype) && !s.forwardLayout()).toList();
                assertEquals(24, vjp.size(), run + " " + dtype);
                ThresholdFit.Fit rule = ThresholdFit.score(GemmThresholds.rule(platform, dtype.equals("f32")), vjp);
                ThresholdFit.Fit single = ThresholdFit.score(GemmThresholds.MEASURED, vjp);
                assertTrue(rule.loss() <= single.loss() + 1e-9, run.getFileName() + " " + dtype + ": rule "
                        + rule.loss() + " against " + single.loss());
                if (run.getFileName().toString().startsWith("hot2-") && platform.openblasVectorBits() == 512) {
                    assertTrue(rule.worstRatio() <= 1.15, run.getFileName() + " " + dtype + ": "
                            + vjp.get(rule.worstIndex()).label() + " at " + rule.worstRatio());
                }
            }
        }
    }

    private static List<Path> runs() throws IOException {
        try (Stream<Path> files = Files.list(RUNS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
