package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;

/**
 * Runge–Kutta stage combinations over contiguous {@code double[]} states (Hairer, Nørsett &amp; Wanner I, §II.1):
 * {@code y + h·Σ bᵢkᵢ} and the embedded error estimate {@code h·Σ eᵢkᵢ}.
 *
 * <p>API contract (stable): stage {@code i} lives in {@code k[i][kOff .. kOff+n)}; coefficients equal to zero are
 * skipped; nothing is allocated. Arguments are checked by the callers' public edges; these kernels trust their input.
 * Cost: one pass over the output, reading each non-zero stage once, {@code O(n·s)} fused multiply-adds.
 *
 * <p>The vector kernels accumulate {@code acc = fma(cᵢ, kᵢ, acc)} in stage order and finish with
 * {@code fma(h, acc, y)}, four vectors per pass over the stages while four remain (independent chains, so the
 * multiply-adds' latency overlaps), then one; the remainder after the last full vector uses the same
 * {@link Math#fma} sequence, so an element's result does not depend on its position (offset) in the array. The {@code ...Scalar} twins are the plain
 * multiply-add oracles the tests compare against (they differ from the kernels by rounding only).
 */
public final class StageKernels {
    private StageKernels() {}

    /** {@code out[outOff+j] = y[yOff+j] + h·Σ_{i<s} c[i]·k[i][kOff+j]} for {@code j < n}. {@code out} may alias {@code y}. */
    public static void combine(double[] y, int yOff, double h, double[] c, int s, double[][] k, int kOff,
                               double[] out, int outOff, int n) {
        long used = nonZero(c, s);
        DoubleVector hv = DoubleVector.broadcast(SPECIES, h);
        int j = 0;
        int bound = SPECIES.loopBound(n);
        for (; j + 4 * LANES <= bound; j += 4 * LANES) {
            // four vectors per pass over the stages: four chains of multiply-adds in flight, each element's as below
            DoubleVector a0 = DoubleVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
            int o = kOff + j;
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                double[] ki = k[i];
                DoubleVector ci = DoubleVector.broadcast(SPECIES, c[i]);
                a0 = DoubleVector.fromArray(SPECIES, ki, o).fma(ci, a0);
                a1 = DoubleVector.fromArray(SPECIES, ki, o + LANES).fma(ci, a1);
                a2 = DoubleVector.fromArray(SPECIES, ki, o + 2 * LANES).fma(ci, a2);
                a3 = DoubleVector.fromArray(SPECIES, ki, o + 3 * LANES).fma(ci, a3);
            }
            int yo = yOff + j, oo = outOff + j;
            a0 = a0.fma(hv, DoubleVector.fromArray(SPECIES, y, yo));
            a1 = a1.fma(hv, DoubleVector.fromArray(SPECIES, y, yo + LANES));
            a2 = a2.fma(hv, DoubleVector.fromArray(SPECIES, y, yo + 2 * LANES));
            a3 = a3.fma(hv, DoubleVector.fromArray(SPECIES, y, yo + 3 * LANES));
            a0.intoArray(out, oo);
            a1.intoArray(out, oo + LANES);
            a2.intoArray(out, oo + 2 * LANES);
            a3.intoArray(out, oo + 3 * LANES);
        }
        for (; j < bound; j += LANES) {
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                acc = DoubleVector.fromArray(SPECIES, k[i], kOff + j).fma(DoubleVector.broadcast(SPECIES, c[i]), acc);
            }
            acc.fma(hv, DoubleVector.fromArray(SPECIES, y, yOff + j)).intoArray(out, outOff + j);
        }
        for (; j < n; j++) {
            double acc = 0.0;
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                acc = Math.fma(k[i][kOff + j], c[i], acc);
            }
            out[outOff + j] = Math.fma(acc, h, y[yOff + j]);
        }
    }

    /** {@code out[outOff+j] = h·Σ_{i<s} e[i]·k[i][kOff+j]}: the embedded error estimate. */
    public static void errorEstimate(double h, double[] e, int s, double[][] k, int kOff,
                                     double[] out, int outOff, int n) {
        long used = nonZero(e, s);
        DoubleVector hv = DoubleVector.broadcast(SPECIES, h);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                acc = DoubleVector.fromArray(SPECIES, k[i], kOff + j).fma(DoubleVector.broadcast(SPECIES, e[i]), acc);
            }
            acc.mul(h).intoArray(out, outOff + j);
        }
        for (; j < n; j++) {
            double acc = 0.0;
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                acc = Math.fma(k[i][kOff + j], e[i], acc);
            }
            out[outOff + j] = acc * h;
        }
    }

    /**
     * Bit i set when {@code c[i] != 0}, i &lt; s ≤ 64: the stages a combination reads. The vector loops walk these bits
     * instead of testing each coefficient, so no accumulator vector is merged from two paths (a merged vector can be
     * boxed, depending on how C2 compiled the loop; docs/RELIABILITY.md §8).
     */
    static long nonZero(double[] c, int s) {
        if (s > 64) throw new IllegalArgumentException("s must be <= 64 stages, got " + s);
        long used = 0;
        for (int i = 0; i < s; i++) if (c[i] != 0.0) used |= 1L << i;
        return used;
    }

    /** Scalar twin of {@link #combine}: the oracle. */
    public static void combineScalar(double[] y, int yOff, double h, double[] c, int s, double[][] k, int kOff,
                                     double[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            double acc = 0.0;
            for (int i = 0; i < s; i++) {
                if (c[i] != 0.0) acc += c[i] * k[i][kOff + j];
            }
            out[outOff + j] = y[yOff + j] + h * acc;
        }
    }

    /** Scalar twin of {@link #errorEstimate}: the oracle. */
    public static void errorEstimateScalar(double h, double[] e, int s, double[][] k, int kOff,
                                           double[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            double acc = 0.0;
            for (int i = 0; i < s; i++) {
                if (e[i] != 0.0) acc += e[i] * k[i][kOff + j];
            }
            out[outOff + j] = h * acc;
        }
    }
}
