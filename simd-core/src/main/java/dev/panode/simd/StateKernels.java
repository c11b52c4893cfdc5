package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Whole-state passes of the solvers and the continuous adjoints that the JIT does not vectorise on its own (a copy
 * between two arrays it cannot prove distinct, a floating-point reduction whose order it must keep): a negated move and
 * a finiteness test. Both give exactly what their scalar twins give: a negation is exact, and whether a sum of
 * {@code vᵢ·0} is NaN does not depend on its order.
 *
 * <p>Cost: one pass over n elements, memory bound; on states of a few hundred doubles (the augmented state of a small
 * adjoint) about a tenth of the scalar loop's time. Unchecked: callers check their arguments at their public edge.
 * Nothing is allocated. When not to use: nowhere in particular; the scalar loops are the reference.
 */
public final class StateKernels {
    private StateKernels() {}

    /**
     * {@code dst[dstOff + j] = −src[j]} and {@code src[j] = 0} for {@code j < n}: moves an accumulator out, negated,
     * and leaves it cleared for the next accumulation. {@code src} and {@code dst} must be different arrays.
     */
    public static void moveNegated(double[] src, double[] dst, int dstOff, int n) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector.fromArray(SPECIES, src, j).neg().intoArray(dst, dstOff + j);
            zero.intoArray(src, j);
        }
        for (; j < n; j++) {
            dst[dstOff + j] = -src[j];
            src[j] = 0.0;
        }
    }

    /** Scalar twin of {@link #moveNegated}: the oracle. */
    public static void moveNegatedScalar(double[] src, double[] dst, int dstOff, int n) {
        for (int j = 0; j < n; j++) {
            dst[dstOff + j] = -src[j];
            src[j] = 0.0;
        }
    }

    /**
     * Whether {@code v[off..off + n)} holds no NaN and no infinity: each {@code vᵢ·0} is ±0 or NaN, so their sum is NaN
     * exactly when one element is not finite, whatever order it is taken in.
     */
    public static boolean allFinite(double[] v, int off, int n) {
        double sum = 0.0;
        int j = 0;
        int bound = SPECIES.loopBound(n);
        if (bound > 0) { // a row of a per-sample batch is often narrower than a vector: no lane sum then
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (; j < bound; j += LANES) acc = acc.add(DoubleVector.fromArray(SPECIES, v, off + j).mul(0.0));
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; j < n; j++) sum += v[off + j] * 0.0;
        return sum == 0.0;
    }

    /** Scalar twin of {@link #allFinite}: the oracle. */
    public static boolean allFiniteScalar(double[] v, int off, int n) {
        for (int j = 0; j < n; j++) if (!Double.isFinite(v[off + j])) return false;
        return true;
    }
}
