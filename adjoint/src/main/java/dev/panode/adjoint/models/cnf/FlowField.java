package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.SplitMix64;

/**
 * A continuous normalising flow's augmented field: rows of D + 1 columns, z then ℓ with dℓ/dt = −tr(∂f/∂z), what
 * {@link CnfTrainer}, {@link FlowSolves} and {@link FlowLikelihood} work on. {@link CnfField} builds f from layers;
 * {@link HypernetworkCnfField} is the hypernetwork flow of torchdiffeq's CNF example.
 */
public interface FlowField extends DifferentiableField {

    /** D, the dimension of z (the state has D + 1 columns). */
    int dataDim();

    /**
     * Draws the random probes of a stochastic trace estimate, once per solve (never during one). Nothing for an exact
     * trace (the default).
     */
    default void resampleNoise(SplitMix64 rng) {
    }

    /** The most rows one evaluation takes (the probes held for a stochastic trace); unbounded by default. */
    default int probeRows() {
        return Integer.MAX_VALUE;
    }
}
