package dev.panode.bench.suite;

import java.util.Map;
import java.util.Optional;

/**
 * The hook for issue 9 point 4: one entry per benchmark method (fully qualified name) whose roofline
 * {@code panode bench --roofline} reports. An MLP benchmark adds, for example,
 * <pre>{@code
 * Map.entry("dev.panode.bench.mlp.MlpFieldBench.evaluate",
 *           params -> MlpShapes.gemmFlops(params))   // Σ 2·batch·in·out over the layers
 * }</pre>
 * and may override {@link RooflineModel#otherNanos} to add the activation cost measured in the same run.
 */
public final class RooflineModels {
    private RooflineModels() {}

    private static final Map<String, RooflineModel> MODELS = Map.ofEntries(
            // The dgemm benchmark itself: a check that the mechanism gives ~1 at the peak shape.
            Map.entry("dev.panode.bench.blas.DgemmBench.dgemm", params -> FlopModels.flopsPerOp(
                    new BenchResult("dgemm", "avgt", params, 1, 0, "ns/op", Double.NaN)).orElse(Double.NaN))
    );

    /** @return the model registered for this benchmark method, if any */
    public static Optional<RooflineModel> forBenchmark(String benchmark) {
        return Optional.ofNullable(MODELS.get(benchmark));
    }
}
