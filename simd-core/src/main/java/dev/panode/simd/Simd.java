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

    /**
     * Whether the float vector of elements {@code [j, j + FLOAT_LANES)} of a pass over n elements, partial
     * ({@code n − j < FLOAT_LANES}), would reach past the end of {@code p} read from {@code pOff} or of {@code q}
     * from {@code qOff}. The kernels do not load or store such a tail under a mask: the Vector API
     * checks a masked access that reaches past an array's end lane by lane (an index vector, a comparison, a mask
     * {@code and}: {@code AbstractMask.checkIndexByLane}), and whether C2 keeps that mask in a register or boxes it on
     * the heap depends on how the calling method was compiled (24 to 64 bytes a call after warm-up in some
     * compilations, seen once in CI). Such a tail is done with the same operations in scalar, or on copies in scratch
     * arrays, with the same bits. A masked access that stays inside its array takes the Vector API's plain path.
     */
    static boolean pastEnd(int j, int n, float[] p, int pOff, float[] q, int qOff) {
        return n - j < FLOAT_LANES && (pOff + j + FLOAT_LANES > p.length || qOff + j + FLOAT_LANES > q.length);
    }

    /** {@link #pastEnd(int, int, float[], int, float[], int)} for double arrays and vectors. */
    static boolean pastEnd(int j, int n, double[] p, int pOff, double[] q, int qOff) {
        return n - j < LANES && (pOff + j + LANES > p.length || qOff + j + LANES > q.length);
    }
}
