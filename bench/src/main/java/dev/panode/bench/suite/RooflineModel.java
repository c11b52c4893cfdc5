package dev.panode.bench.suite;

import java.util.List;
import java.util.Map;

/**
 * What a benchmark could cost at best: its GEMM flops, run at the dgemm peak measured in the same run, plus the cost
 * of its non-GEMM work (activations). Implemented per MLP benchmark and registered in {@link RooflineModels}.
 */
public interface RooflineModel {
    /** GEMM flops of one benchmark operation (for an MLP field evaluation: Σ over layers of 2·batch·in·out). */
    double gemmFlops(Map<String, String> params);

    /**
     * Nanoseconds one operation must spend outside GEMM (activations, bias), typically the number of activation
     * evaluations times a per-element cost measured by an activation benchmark of the same run ({@code sameRun}).
     * 0 when not known, which makes the bound the GEMM time alone.
     */
    default double otherNanos(Map<String, String> params, List<BenchResult> sameRun) {
        return 0.0;
    }
}
