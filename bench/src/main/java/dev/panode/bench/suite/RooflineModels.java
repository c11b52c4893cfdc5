package dev.panode.bench.suite;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The hook for issue 9 point 4: one entry per benchmark method (fully qualified name) whose roofline
 * {@code panode bench --roofline} reports. A new MLP-like benchmark adds an entry with its GEMM flops and, through
 * {@link RooflineModel#otherNanos}, its activation cost measured in the same run.
 */
public final class RooflineModels {
    private RooflineModels() {}

    /** The fused bias + activation benchmark whose per-element time prices the MLP's activations. */
    static final String ACTIVATION_BENCHMARK = "dev.panode.bench.simd.ActivationBench.biasActivate";
    static final String ACTIVATION_DERIVATIVE_BENCHMARK = "dev.panode.bench.simd.ActivationBench.derivativeTimes";

    private static final Map<String, RooflineModel> MODELS = Map.ofEntries(
            // The dgemm benchmark itself: a check of the mechanism (ratio 1 at the peak shape).
            Map.entry("dev.panode.bench.blas.DgemmBench.dgemm", params -> FlopModels.flopsPerOp(
                    new BenchResult("dgemm", "avgt", params, 1, 0, "ns/op", Double.NaN)).orElse(Double.NaN)),
            Map.entry("dev.panode.bench.mlp.MlpFieldBenchmark.evaluate", new Mlp3Tanh(false)),
            Map.entry("dev.panode.bench.mlp.MlpFieldBenchmark.evaluateHeld", new Mlp3Tanh(false)),
            Map.entry("dev.panode.bench.mlp.MlpFieldBenchmark.vjp", new Mlp3Tanh(true)),
            Map.entry("dev.panode.bench.gradients.GradientBenchmark.gradient",
                    dev.panode.bench.gradients.GradientFloor.forGradientBenchmark()),
            Map.entry("dev.panode.bench.gradients.SpiralGradientBenchmark.gradient",
                    dev.panode.bench.gradients.GradientFloor.forSpiralBenchmark()));

    /** @return the model registered for this benchmark method, if any */
    public static Optional<RooflineModel> forBenchmark(String benchmark) {
        return Optional.ofNullable(MODELS.get(benchmark));
    }

    /**
     * The reference MLP D → H → H → D with tanh after the two hidden layers, {@code shape = DxHxB}. A field evaluation
     * is 2·B·(2DH + H²) GEMM flops and 2·B·H activations; a VJP with parameter gradient 3× those flops (forward, W̄, X̄)
     * and each activation twice (value and derivative). The activation cost per element is the TANH
     * {@code ActivationBench} result with the largest {@code n} in the same run (0 when it did not run).
     */
    record Mlp3Tanh(boolean vjp) implements RooflineModel {
        @Override
        public double gemmFlops(Map<String, String> params) {
            long[] s = dims(params);
            double forward = 2.0 * s[2] * (2.0 * s[0] * s[1] + (double) s[1] * s[1]);
            return vjp ? 3.0 * forward : forward;
        }

        @Override
        public double otherNanos(Map<String, String> params, List<BenchResult> sameRun) {
            long[] s = dims(params);
            double activations = 2.0 * s[2] * s[1];
            double perElement = perElementNanos(ACTIVATION_BENCHMARK, sameRun).orElse(0.0);
            if (vjp) {
                perElement += perElementNanos(ACTIVATION_DERIVATIVE_BENCHMARK, sameRun).orElse(0.0);
            }
            return activations * perElement;
        }

        private static long[] dims(Map<String, String> params) {
            String[] p = params.getOrDefault("shape", "").split("x");
            if (p.length != 3) {
                throw new IllegalArgumentException("shape = '" + params.get("shape") + "' must be DxHxB");
            }
            return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
        }

        private static OptionalDouble perElementNanos(String benchmark, List<BenchResult> sameRun) {
            return sameRun.stream()
                    .filter(r -> r.benchmark().equals(benchmark) && "TANH".equals(r.params().get("activation")) && r.params().containsKey("n"))
                    .max(java.util.Comparator.comparingLong(r -> Long.parseLong(r.params().get("n"))))
                    .map(r -> OptionalDouble.of(r.nanosPerOp() / Long.parseLong(r.params().get("n"))))
                    .orElse(OptionalDouble.empty());
        }
    }
}
