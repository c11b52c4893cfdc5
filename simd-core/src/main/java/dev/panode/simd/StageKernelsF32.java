package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Runge–Kutta stage combinations over contiguous {@code float[]} states: {@code y + h·Σ bᵢkᵢ} and the embedded error
 * estimate {@code h·Σ eᵢkᵢ}, the float counterpart of {@link StageKernels} (Hairer, Nørsett &amp; Wanner I, §II.1).
 *
 * <p>API contract (stable): stage {@code i} lives in {@code k[i][kOff .. kOff+n)}; the tableau coefficients and the
 * step size stay double in the caller (time and step are accumulated in double) and are rounded to float here, once
 * per call, as torchdiffeq rounds its tableau to the state's dtype; coefficients equal to zero are skipped; nothing
 * is allocated. Arguments are checked by the callers' public edges; these kernels trust their input. Cost: one pass
 * over the output, reading each non-zero stage once, {@code O(n·s)} float fused multiply-adds.
 *
 * <p>The vector kernels accumulate {@code acc = fma(cᵢ, kᵢ, acc)} in float, in stage order, and finish with
 * {@code fma(h, acc, y)}; the remainder after the last full vector uses the same {@link Math#fma} sequence, so an
 * element's result does not depend on its position. The {@code ...Scalar} twins are plain float multiply-add oracles
 * (they differ from the kernels by rounding only). When not to use: a state whose increments fall below float's
 * relative precision (2⁻²⁴ of |y|) stalls; solve it in double.
 */
public final class StageKernelsF32 {
    private StageKernelsF32() {}

    /** {@link StageKernels#nonZero} for coefficients rounded to float: bit i set when {@code (float) c[i] != 0}. */
    static long nonZero(double[] c, int s) {
        if (s > 64) throw new IllegalArgumentException("s must be <= 64 stages, got " + s);
        long used = 0;
        for (int i = 0; i < s; i++) if ((float) c[i] != 0.0f) used |= 1L << i;
        return used;
    }

    /** {@code out[outOff+j] = y[yOff+j] + h·Σ_{i<s} c[i]·k[i][kOff+j]} for {@code j < n}. {@code out} may alias {@code y}. */
    public static void combine(float[] y, int yOff, double h, double[] c, int s, float[][] k, int kOff,
                               float[] out, int outOff, int n) {
        long used = nonZero(c, s);
        float hf = (float) h;
        FloatVector hv = FloatVector.broadcast(FLOAT_SPECIES, hf);
        int j = 0;
        for (int bound = FLOAT_SPECIES.loopBound(n); j < bound; j += FLOAT_LANES) {
            FloatVector acc = FloatVector.zero(FLOAT_SPECIES);
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                acc = FloatVector.fromArray(FLOAT_SPECIES, k[i], kOff + j).fma(FloatVector.broadcast(FLOAT_SPECIES, (float) c[i]), acc);
            }
            acc.fma(hv, FloatVector.fromArray(FLOAT_SPECIES, y, yOff + j)).intoArray(out, outOff + j);
        }
        for (; j < n; j++) {
            float acc = 0.0f;
            for (int i = 0; i < s; i++) {
                float ci = (float) c[i];
                if (ci != 0.0f) acc = Math.fma(k[i][kOff + j], ci, acc);
            }
            out[outOff + j] = Math.fma(acc, hf, y[yOff + j]);
        }
    }

    /** {@code out[outOff+j] = h·Σ_{i<s} e[i]·k[i][kOff+j]}: the embedded error estimate. */
    public static void errorEstimate(double h, double[] e, int s, float[][] k, int kOff, float[] out, int outOff, int n) {
        long used = nonZero(e, s);
        float hf = (float) h;
        FloatVector hv = FloatVector.broadcast(FLOAT_SPECIES, hf);
        int j = 0;
        for (int bound = FLOAT_SPECIES.loopBound(n); j < bound; j += FLOAT_LANES) {
            FloatVector acc = FloatVector.zero(FLOAT_SPECIES);
            for (long m = used; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                acc = FloatVector.fromArray(FLOAT_SPECIES, k[i], kOff + j).fma(FloatVector.broadcast(FLOAT_SPECIES, (float) e[i]), acc);
            }
            acc.mul(hv).intoArray(out, outOff + j);
        }
        for (; j < n; j++) {
            float acc = 0.0f;
            for (int i = 0; i < s; i++) {
                float ei = (float) e[i];
                if (ei != 0.0f) acc = Math.fma(k[i][kOff + j], ei, acc);
            }
            out[outOff + j] = acc * hf;
        }
    }

    /** Scalar twin of {@link #combine}: the oracle. */
    public static void combineScalar(float[] y, int yOff, double h, double[] c, int s, float[][] k, int kOff,
                                     float[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            float acc = 0.0f;
            for (int i = 0; i < s; i++) {
                if ((float) c[i] != 0.0f) acc += (float) c[i] * k[i][kOff + j];
            }
            out[outOff + j] = y[yOff + j] + (float) h * acc;
        }
    }

    /** Scalar twin of {@link #errorEstimate}: the oracle. */
    public static void errorEstimateScalar(double h, double[] e, int s, float[][] k, int kOff,
                                           float[] out, int outOff, int n) {
        for (int j = 0; j < n; j++) {
            float acc = 0.0f;
            for (int i = 0; i < s; i++) {
                if ((float) e[i] != 0.0f) acc += (float) e[i] * k[i][kOff + j];
            }
            out[outOff + j] = (float) h * acc;
        }
    }
}
