package dev.panode.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The vector shape every kernel of this package uses, resolved once. */
final class Simd {
    private Simd() {}

    /** The widest double vector the CPU runs natively (8 lanes with AVX-512, 4 with AVX2, 2 with NEON). */
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int LANES = SPECIES.length();
    /** The widest float vector the CPU runs natively: twice {@link #LANES} lanes in the same register. */
    static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Float lanes per vector. */
    static final int FLOAT_LANES = FLOAT_SPECIES.length();
}
