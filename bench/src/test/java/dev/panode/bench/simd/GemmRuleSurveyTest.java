package dev.panode.bench.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The platform rule against the committed survey runs (docs/benchmarks/gemm-dispatch/, docs/BENCHMARKS.md §6.1, §36,
 * §44). With OpenBLAS's AVX-512 kernels, on the bare VJP products (layouts TN and NN, the Java side {@code GemmKernel})
 * of every four-way run, it loses no more time against the faster backend than the single rule
 * {@link GemmThresholds#MEASURED} did, and on the runs of the current kernels ({@code hot2-*}) it stays within 15% at
 * every VJP product. With OpenBLAS's 256-bit kernels the judge is the layer survey ({@code layers/}), whose Java side
 * is what an MLP runs (the fused and single-row kernels, which the bare products leave out). A change of the rule that
 * breaks a measured claim fails here.
 */
class GemmRuleSurveyTest {
    private static final Path RUNS = Path.of("..", "docs", "benchmarks", "gemm-dispatch");

    @Test
    void theRuleNeverLosesMoreThanTheSingleRuleOnTheVjpProducts() throws IOException {
        List<Path> runs = runs();
        assertEquals(12, runs.size(), "three runs of four combinations: " + runs);
        for (Path run : runs) {
            GemmPlatform platform = GemmCalibration.platform(run);
            if (platform.openblasVectorBits() == 256) continue; // judged by the layer survey (the next test)
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

    /**
     * The layer survey (docs/BENCHMARKS.md §44, §57, re-run per product in §69: each layer of the benchmark nets and of
     * the spiral's, forward pass and VJP, as the MLP runs it with either backend, and each VJP block's two products)
     * on OpenBLAS's 256-bit kernels, both Java widths: the rule's choice, product by product, is within 5% of the
     * fastest choice at every layer of every hot run ({@link ThresholdFit#judge}).
     */
    @Test
    void theHaswellRowsAreWithinFivePercentOfTheFasterBackendAtEveryLayer() throws IOException {
        List<Path> runs = runs(RUNS.resolve("layers")).stream()
                .filter(p -> p.getFileName().toString().matches("hot-.*-Haswell-.*")).toList();
        assertEquals(4, runs.size(), "two hot runs of two Java widths: " + runs);
        for (Path run : runs) {
            GemmPlatform platform = GemmCalibration.platform(run);
            assertEquals(256, platform.openblasVectorBits(), run.toString());
            assertEveryLayerWithinFivePercent(run, platform);
        }
        // the check run of §57's outlier: the narrow-input VJPs faster on the Java kernels, as the rule has it
        for (ThresholdFit.Measured layer : GemmCalibration.read(RUNS.resolve("layers/check-avx512-Haswell-vjp.jsonl"))) {
            assertTrue(layer.openblasMicros() > 1.05 * layer.javaMicros(), layer.label());
            assertFalse(GemmThresholds.rule(GemmCalibration.platform(RUNS.resolve(
                    "layers/check-avx512-Haswell-vjp.jsonl")), true).preferBlas(false, layer.m(), layer.n(), layer.k()));
        }
    }

    /**
     * The layer survey on OpenBLAS's 512-bit kernels (SkylakeX, and Cooperlake: its sgemm is SkylakeX's, chosen with
     * {@code OPENBLAS_CORETYPE=Cooperlake} on this CPU) with 512-bit Java vectors: the rule's choice is within 5% of
     * the faster backend at every float layer, the output layers' forward passes (50 or 64 → 2, one to 1024 rows,
     * 1.9–3.8× faster in the Java dot-product kernel than sgemm plus a bias pass in §57's runs, 1.4–2.9× in §69's)
     * included, and at every double VJP. d32's input
     * layer's VJP (256 rows, 32 → 256), 4–7% slower on OpenBLAS in §57, is within 5% since the deep-product exception
     * keeps its {@code Ḡ·W} (256 deep, 32 wide) on the Java kernels while its mirror's products, 32 or 256 deep and
     * 256 wide, stay on OpenBLAS. The double forward passes with 512-bit Java vectors (§6's thresholds, which keep
     * them on the fused Java kernels below 128³) are judged too since the eight-row broadcast kernels and the
     * two-output dot form's transposed lane sums (§74) made the d32 input layer (256 × 32 → 256) and the output layer
     * over 10–20 rows (50 → 2) faster than OpenBLAS plus its bias pass, in every run of those kernels (§74, and the
     * {@code -quiet} run re-surveyed after them, §79). With 256-bit Java vectors against the SkylakeX kernels
     * ({@code -XX:UseAVX=2}, or a JVM that keeps to AVX2 on an AVX-512 CPU) every layer is judged, forward passes
     * included: their row sends every layout to OpenBLAS from 32768 with every side at least 16 (§69). The
     * {@code -quiet} run is this machine's default combination re-surveyed on a quiet machine after the narrow output
     * layers' kernels changed (§71) and again after the double forward kernels changed (§79).
     */
    @Test
    void theRuleIsWithinFivePercentOnOpenBlasAvx512KernelsAtEveryLayer() throws IOException {
        List<Path> runs = runs(RUNS.resolve("layers")).stream()
                .filter(p -> p.getFileName().toString().matches("hot-avx(512|2)-(SkylakeX|Cooperlake)(-quiet)?\\.jsonl"))
                .toList();
        assertEquals(4, runs.size(), runs.toString());
        for (Path run : runs) {
            GemmPlatform platform = GemmCalibration.platform(run);
            assertEquals(512, platform.openblasVectorBits(), run.toString());
            assertEveryLayerWithinFivePercent(run, platform);
            for (ThresholdFit.Measured layer : GemmCalibration.read(run)) {
                if (layer.layout().equals("f32 NT") && layer.n() < 16 && layer.k() >= 16) {
                    assertTrue(layer.openblasMicros() > 1.3 * layer.javaMicros(), "output layer " + layer.label());
                }
            }
        }
    }

    /** Every layer row of a layer survey (64: 16 layers of two precisions, forward and VJP), judged under the platform's rule. */
    private static void assertEveryLayerWithinFivePercent(Path run, GemmPlatform platform) throws IOException {
        List<ThresholdFit.Measured> all = GemmCalibration.read(run);
        List<ThresholdFit.Measured> layers = all.stream()
                .filter(l -> l.layout().endsWith("VJP") || l.forwardLayout()).toList();
        assertEquals(64, layers.size(), run + ": 16 layers of two precisions, forward and VJP");
        assertEquals(110, all.size(), run + ": and the two products of each VJP block of more than one row but the"
                + " double output layers' through-tanh blocks");
        for (ThresholdFit.Measured layer : layers) {
            GemmThresholds rule = GemmThresholds.rule(platform, layer.layout().startsWith("f32"));
            ThresholdFit.Judged j = ThresholdFit.judge(layer, rule, all);
            assertTrue(j.ratio() <= 1.05, run.getFileName() + " " + layer.label() + ": " + j.choice() + " at "
                    + j.ratio() + " of " + j.fastest());
        }
    }

    private static List<Path> runs() throws IOException {
        return runs(RUNS);
    }

    private static List<Path> runs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
