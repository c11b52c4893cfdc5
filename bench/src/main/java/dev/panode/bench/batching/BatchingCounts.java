package dev.panode.bench.batching;

import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver.Packing;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolverWorkspace;

/**
 * The deterministic cost of a {@link HeterogeneousBatch} under the three strategies.
 *
 * @param name          the case
 * @param rows          samples
 * @param sharedNfe     evaluations of the shared solve (each over all rows)
 * @param sharedRows    rows evaluated by the shared solve: sharedNfe × rows
 * @param perSampleNfe  NFE of each sample in per-sample mode
 * @param maskedRows    rows evaluated with masking
 * @param compactedRows rows evaluated with compaction
 * @param fieldCalls    field calls of a per-sample solve (the same for both packings)
 */
public record BatchingCounts(String name, int rows, long sharedNfe, long sharedRows, long[] perSampleNfe,
                             long maskedRows, long compactedRows, long fieldCalls) {

    /** Runs the three solves once. */
    public static BatchingCounts of(HeterogeneousBatch b) {
        Solution shared = b.shared(new SolverWorkspace());
        PerSampleSolution masked = b.perSample(Packing.MASK);
        PerSampleSolution compacted = b.perSample(Packing.COMPACT);
        long[] nfe = new long[b.rows()];
        for (int r = 0; r < nfe.length; r++) nfe[r] = compacted.stats(r).nfe();
        return new BatchingCounts(b.name(), b.rows(), shared.stats().nfe(), shared.stats().nfe() * b.rows(), nfe,
                masked.rowsEvaluated(), compacted.rowsEvaluated(), compacted.fieldCalls());
    }

    /** One line per strategy. */
    public String summary() {
        long min = Long.MAX_VALUE, max = 0, sum = 0;
        for (long x : perSampleNfe) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        return String.format("%s (%d samples): per-sample NFE %d … %d (total %d); rows evaluated: shared %d "
                        + "(NFE %d × %d), masked %d, compacted %d (%d field calls)", name, rows, min, max, sum,
                sharedRows, sharedNfe, rows, maskedRows, compactedRows, fieldCalls);
    }
}
