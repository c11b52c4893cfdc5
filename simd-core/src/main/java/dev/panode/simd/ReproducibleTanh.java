package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * tanh built only from IEEE-754 operations that are correctly rounded (add, multiply, fused multiply-add, divide,
 * min, abs and bit manipulation), so that its result is the same bit pattern whether the code runs interpreted, C1-
 * or C2-compiled, as a vector lane or as the scalar twin.
 *
 * <p>Why it exists: the Vector API's {@code lanewise(TANH)} is an SVML intrinsic once C2 has compiled the loop but
 * falls back to {@link Math#tanh} lane by lane before that, and the two differ in the last bit for about 2% of
 * arguments. A neural ODE solved twice in one JVM (before and after warm-up) then gives different bits, which breaks
 * reproducibility and bitwise comparisons between threads. This kernel has no such dependence.
 *
 * <p>Algorithm: with {@code u = −2·min(|x|, 20)}, {@code m = expm1(u)} by Cody–Waite reduction
 * {@code u = k·ln2 + r}, |r| ≤ ln2/2, a degree-14 Taylor polynomial for {@code expm1(r)} and the reconstruction
 * {@code m = 2ᵏ·expm1(r) + (2ᵏ − 1)} in one fused multiply-add (as in fdlibm's expm1); then
 * {@code tanh|x| = −m / (m + 2)} and the sign of x is restored. Error against {@link Math#tanh}: at most 3 ulp
 * (2 ulp for about 6% of arguments, 3 for about one in a million; tested). Cost: about 20 vector operations and one division per vector, a little over SVML's tanh.
 */
final class ReproducibleTanh {
    private ReproducibleTanh() {}

    private static final double LOG2E = 0x1.71547652b82fep0;
    /** fdlibm's split of ln 2: the high part has trailing zero bits, so k·LN2_HI is exact for |k| < 2¹¹. */
    private static final double LN2_HI = 0x1.62e42fee00000p-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;
    /** 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits. */
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** Above this |x|, tanh rounds to ±1. */
    private static final double CLAMP = 20.0;
    private static final long SIGN = 0x8000_0000_0000_0000L;
    /** 1/(j+2)! for j = 0..12: expm1(r) = r + r²·Σ C[j]·rʲ. */
    private static final double C0 = 1.0 / 2, C1 = 1.0 / 6, C2 = 1.0 / 24, C3 = 1.0 / 120, C4 = 1.0 / 720,
            C5 = 1.0 / 5040, C6 = 1.0 / 40320, C7 = 1.0 / 362880, C8 = 1.0 / 3628800, C9 = 1.0 / 39916800,
            C10 = 1.0 / 479001600, C11 = 1.0 / 6227020800.0, C12 = 1.0 / 87178291200.0;

    /** The scalar twin: bit for bit what a vector lane computes. */
    static double tanh(double x) {
        double u = -2.0 * Math.min(Math.abs(x), CLAMP);
        double t = Math.fma(u, LOG2E, SHIFTER);
        double k = t - SHIFTER;
        double r = Math.fma(k, -LN2_HI, u);
        r = Math.fma(k, -LN2_LO, r);
        double q = Math.fma(r, C12, C11);
        q = Math.fma(r, q, C10);
        q = Math.fma(r, q, C9);
        q = Math.fma(r, q, C8);
        q = Math.fma(r, q, C7);
        q = Math.fma(r, q, C6);
        q = Math.fma(r, q, C5);
        q = Math.fma(r, q, C4);
        q = Math.fma(r, q, C3);
        q = Math.fma(r, q, C2);
        q = Math.fma(r, q, C1);
        q = Math.fma(r, q, C0);
        double mr = Math.fma(r * r, q, r);
        double p2k = Double.longBitsToDouble((Double.doubleToRawLongBits(t) - SHIFTER_BITS + 1023) << 52);
        double m = Math.fma(p2k, mr, p2k - 1.0);
        double th = -m / (m + 2.0);
        return Double.longBitsToDouble((Double.doubleToRawLongBits(th) & ~SIGN)
                | (Double.doubleToRawLongBits(x) & SIGN));
    }

    /** {@code out[outOff+j] = tanh(u[uOff+j])} for {@code j < n}; the tail uses the scalar twin. */
    static void apply(double[] u, int uOff, double[] out, int outOff, int n) {
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, u, uOff + j);
            DoubleVector v = x.lanewise(VectorOperators.ABS).min(CLAMP).mul(-2.0);
            DoubleVector t = v.fma(LOG2E, SHIFTER);
            DoubleVector k = t.sub(SHIFTER);
            DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), v);
            r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
            DoubleVector q = r.fma(C12, C11);
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C10));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C9));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C8));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C7));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C6));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C5));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C4));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C3));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C2));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C1));
            q = r.fma(q, DoubleVector.broadcast(SPECIES, C0));
            DoubleVector mr = r.mul(r).fma(q, r);
            LongVector bits = (LongVector) t.viewAsIntegralLanes();
            DoubleVector p2k = (DoubleVector) bits.sub(SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
                    .viewAsFloatingLanes();
            DoubleVector m = p2k.fma(mr, p2k.sub(1.0));
            DoubleVector th = m.neg().div(m.add(2.0));
            LongVector sign = ((LongVector) x.viewAsIntegralLanes()).and(SIGN);
            ((LongVector) th.viewAsIntegralLanes()).and(~SIGN).or(sign).viewAsFloatingLanes()
                    .intoArray(out, outOff + j);
        }
        for (; j < n; j++) out[outOff + j] = tanh(u[uOff + j]);
    }
}
