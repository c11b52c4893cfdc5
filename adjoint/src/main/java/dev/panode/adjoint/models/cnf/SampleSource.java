package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.SplitMix64;

/** Where a {@link CnfTrainer}'s batches come from: a sampler of D-dimensional points. */
@FunctionalInterface
public interface SampleSource {
    /**
     * Writes n independent samples into {@code out}, sample i at {@code offset + i·stride} (its D values), leaving the
     * other columns alone; draws from {@code rng} only, and allocates nothing.
     */
    void sampleInto(int n, SplitMix64 rng, double[] out, int offset, int stride);
}
