package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The logistic sigmoid and softplus built, like {@link ReproducibleTanh}, only from correctly rounded IEEE-754
 * operations (add, subtract, multiply, fused multiply-add, divide, comparison, bit manipulation), so that a result is
 * the same bit pattern interpreted, C1- or C2-compiled, as a vector lane or as the scalar twin, on any CPU. The Vector
 * API's {@code lanewise(EXP)} and {@code lanewise(LOG1P)} are SVML intrinsics once C2 has compiled a loop and
 * {@link Math} lane by lane before, and the two differ in the last bits (an MLP with softplus gave results up to 3700
 * ulp apart in two fresh JVMs after a solve); this kernel has no such dependence.
 *
 * <p>Both rest on E = e^(−|u|) ∈ [0, 1], which never overflows: Cody–Waite reduction −|u| = k·ln2 + r, |r| ≤ ln2/2
 * (fdlibm's two-part ln2, so k·ln2_hi is exact), e^r by its Taylor polynomial of degree 13 in Horner form (truncation
 * below 2⁻⁵⁷ on |r| ≤ ln2/2), and the scaling by 2ᵏ as two exact powers of two 2^⌊k/2⌋·2^(k−⌊k/2⌋), so that results
 * down to the subnormal range are right; |u| is clamped at 746 (e^−746 rounds to 0). Then
 * <ul>
 *   <li>sigmoid(u) = (u ≥ 0 ? 1 : E)/(1 + E): exact symmetry 1 − σ(u) = σ(−u) up to rounding, and no overflow for
 *       u ≪ 0 (σ(−800) is the subnormal e^−800, not 0);</li>
 *   <li>softplus(u) = u for u &gt; 20 (PyTorch's threshold), else max(u, 0) + log1p(E), log1p by fdlibm's method:
 *       w = 1 + E with its rounding error c = E − (w − 1) (exact), w halved above √2 (adding ln2), and
 *       log(1 + f) = f − (f²/2 − s(f²/2 + R(s²))), s = f/(2 + f), R(z) = Σ 2zʲ/(2j + 1) for j = 1..10 (the atanh
 *       series, truncation below 2⁻⁶⁰), plus c/w.</li>
 * </ul>
 * NaN propagates. Error against {@link StrictMath} (measured by {@code ReproducibleLogisticTest} over 200 000 arguments
 * in [−800, 800] and tiny ones): e^(−|u|) 1 ulp, sigmoid and softplus 2 ulp; the test allows 4.
 * Cost: about 40 vector operations and one or two divisions per vector. References: J.-M. Muller, "Elementary
 * Functions" (Cody–Waite reduction); fdlibm's {@code e_exp.c} and {@code s_log1p.c} (the ln2 split and log1p's
 * argument reduction and correction term). Not for callers who need correctly rounded results.
 */
final class ReproducibleLogistic {
    private ReproducibleLogistic() {}

    private static final double LOG2E = 0x1.71547652b82fep0;
    /** 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits. */
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** fdlibm's ln2 split: the high part has 21 trailing zero bits, so k·LN2_HI is exact for |k| &lt; 2²¹. */
    private static final double LN2_HI = 0x1.62e42fee00000p-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;
    /** e^−746 rounds to 0. */
    private static final double CLAMP = 746.0;
    /** softplus(u) = u above this, as PyTorch's default threshold. */
    static final double SOFTPLUS_LINEAR_ABOVE = 20.0;
    private static final double SQRT2 = 0x1.6a09e667f3bcdp0;
    /** 1/j! for j = 2..13: e^r ≈ 1 + r + r²·(E2 + r·(E3 + …)). */
    private static final double E2 = 1.0 / 2, E3 = 1.0 / 6, E4 = 1.0 / 24, E5 = 1.0 / 120, E6 = 1.0 / 720,
            E7 = 1.0 / 5040, E8 = 1.0 / 40320, E9 = 1.0 / 362880, E10 = 1.0 / 3628800, E11 = 1.0 / 39916800,
            E12 = 1.0 / 479001600, E13 = 1.0 / 6227020800.0;
    /** 2/(2j + 1) for j = 1..10: log(1 + f) = 2s + s·R(s²). */
    private static final double L1 = 2.0 / 3, L2 = 2.0 / 5, L3 = 2.0 / 7, L4 = 2.0 / 9, L5 = 2.0 / 11, L6 = 2.0 / 13,
            L7 = 2.0 / 15, L8 = 2.0 / 17, L9 = 2.0 / 19, L10 = 2.0 / 21;

    // ---------------------------------------------------------------- scalar twins

    /** e^(−|u|), the scalar twin of the vector lanes. */
    static double expNegAbs(double u) {
        double a = Math.abs(u);
        if (a > CLAMP) a = CLAMP;
        double t = Math.fma(-a, LOG2E, SHIFTER);
        double k = t - SHIFTER;
        double r = Math.fma(k, -LN2_HI, -a);
        r = Math.fma(k, -LN2_LO, r);
        double p = Math.fma(r, E13, E12);
        p = Math.fma(r, p, E11);
        p = Math.fma(r, p, E10);
        p = Math.fma(r, p, E9);
        p = Math.fma(r, p, E8);
        p = Math.fma(r, p, E7);
        p = Math.fma(r, p, E6);
        p = Math.fma(r, p, E5);
        p = Math.fma(r, p, E4);
        p = Math.fma(r, p, E3);
        p = Math.fma(r, p, E2);
        double er = Math.fma(r * r, p, r) + 1.0;
        long ki = Double.doubleToRawLongBits(t) - SHIFTER_BITS;
        long k1 = ki >> 1;
        long k2 = ki - k1;
        return er * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
    }

    /** σ(u) = 1/(1 + e⁻ᵘ). */
    static double sigmoid(double u) {
        double e = expNegAbs(u);
        double num = u >= 0.0 ? 1.0 : e;
        return num / (1.0 + e);
    }

    /** log(1 + eᵘ), u itself above {@value #SOFTPLUS_LINEAR_ABOVE}. */
    static double softplus(double u) {
        double e = expNegAbs(u);
        double w = 1.0 + e;
        double c = e - (w - 1.0);
        boolean big = w > SQRT2;
        double f = (big ? w * 0.5 : w) - 1.0;
        double k = big ? 1.0 : 0.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double r = Math.fma(z, L10, L9);
        r = Math.fma(z, r, L8);
        r = Math.fma(z, r, L7);
        r = Math.fma(z, r, L6);
        r = Math.fma(z, r, L5);
        r = Math.fma(z, r, L4);
        r = Math.fma(z, r, L3);
        r = Math.fma(z, r, L2);
        r = Math.fma(z, r, L1);
        r = z * r;
        double hfsq = 0.5 * f * f;
        double log1p = Math.fma(k, LN2_HI, -((hfsq - (s * (hfsq + r) + Math.fma(k, LN2_LO, c / w))) - f));
        double sp = Math.max(u, 0.0) + log1p;
        return u > SOFTPLUS_LINEAR_ABOVE ? u : sp;
    }

    // ---------------------------------------------------------------- vector kernels

    private static final int SIGMOID = 0, TIMES_SIGMOID = 1, SOFTPLUS = 2;

    /** {@code out[outOff+j] = σ(u[uOff+j])}; the last, partial vector under its mask. */
    static void sigmoid(double[] u, int uOff, double[] out, int outOff, int n) {
        kernel(SIGMOID, u, uOff, out, outOff, n);
    }

    /** {@code out[outOff+j] = softplus(u[uOff+j])}; the last, partial vector under its mask. */
    static void softplus(double[] u, int uOff, double[] out, int outOff, int n) {
        kernel(SOFTPLUS, u, uOff, out, outOff, n);
    }

    /** {@code g[gOff+j] *= σ(u[uOff+j])}: softplus' derivative. */
    static void timesSigmoid(double[] u, int uOff, double[] g, int gOff, int n) {
        kernel(TIMES_SIGMOID, u, uOff, g, gOff, n);
    }

    /**
     * The three kernels in one loop body (so that C2 compiles it whole, without vector boxes): E = e^(−|u|) with the
     * operations of {@link #expNegAbs(double)}, then σ, g·σ or softplus with those of {@link #sigmoid(double)} and
     * {@link #softplus(double)}. {@code mode} is loop-invariant and picks no vector.
     */
    private static void kernel(int mode, double[] u, int uOff, double[] out, int outOff, int n) {
        // σ alone is 1·σ (the same bits): the factor g or 1 picked per lane by a loop-invariant mask, so that no vector
        // is updated under a condition (C2 can box a vector merged from two paths)
        VectorMask<Double> alone = SPECIES.maskAll(mode != TIMES_SIGMOID);
        int j = 0;
        for (; j < n && !Simd.pastEnd(j, n, u, uOff, out, outOff); j += LANES) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector x = DoubleVector.fromArray(SPECIES, u, uOff + j, m);
            DoubleVector a = x.lanewise(VectorOperators.ABS);
            a = a.blend(CLAMP, a.compare(VectorOperators.GT, CLAMP));
            DoubleVector t = a.neg().fma(LOG2E, SHIFTER);
            DoubleVector k = t.sub(SHIFTER);
            DoubleVector r = k.fma(x.broadcast(-LN2_HI), a.neg());
            r = k.fma(x.broadcast(-LN2_LO), r);
            DoubleVector p = r.fma(E13, E12);
            p = r.fma(p, x.broadcast(E11));
            p = r.fma(p, x.broadcast(E10));
            p = r.fma(p, x.broadcast(E9));
            p = r.fma(p, x.broadcast(E8));
            p = r.fma(p, x.broadcast(E7));
            p = r.fma(p, x.broadcast(E6));
            p = r.fma(p, x.broadcast(E5));
            p = r.fma(p, x.broadcast(E4));
            p = r.fma(p, x.broadcast(E3));
            p = r.fma(p, x.broadcast(E2));
            DoubleVector er = r.mul(r).fma(p, r).add(1.0);
            LongVector ki = t.viewAsIntegralLanes().sub(SHIFTER_BITS);
            LongVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
            LongVector k2 = ki.sub(k1);
            DoubleVector e = er.mul(k1.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes())
                    .mul(k2.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes());
            if (mode != SOFTPLUS) {
                DoubleVector sigma = e.blend(1.0, x.compare(VectorOperators.GE, 0.0)).div(e.add(1.0));
                DoubleVector g = DoubleVector.fromArray(SPECIES, out, outOff + j, m).blend(1.0, alone);
                g.mul(sigma).intoArray(out, outOff + j, m);
                continue;
            }
            DoubleVector w = e.add(1.0);
            DoubleVector c = e.sub(w.sub(1.0));
            VectorMask<Double> big = w.compare(VectorOperators.GT, SQRT2);
            DoubleVector f = w.blend(w.mul(0.5), big).sub(1.0);
            DoubleVector kk = x.broadcast(0.0).blend(1.0, big);
            DoubleVector s = f.div(f.add(2.0));
            DoubleVector z = s.mul(s);
            DoubleVector q = z.fma(L10, L9);
            q = z.fma(q, x.broadcast(L8));
            q = z.fma(q, x.broadcast(L7));
            q = z.fma(q, x.broadcast(L6));
            q = z.fma(q, x.broadcast(L5));
            q = z.fma(q, x.broadcast(L4));
            q = z.fma(q, x.broadcast(L3));
            q = z.fma(q, x.broadcast(L2));
            q = z.fma(q, x.broadcast(L1));
            q = z.mul(q);
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector inner = s.mul(hfsq.add(q)).add(kk.fma(x.broadcast(LN2_LO), c.div(w)));
            DoubleVector log1p = kk.fma(x.broadcast(LN2_HI), hfsq.sub(inner).sub(f).neg());
            DoubleVector sp = x.max(0.0).add(log1p);
            sp.blend(x, x.compare(VectorOperators.GT, SOFTPLUS_LINEAR_ABOVE)).intoArray(out, outOff + j, m);
        }
        for (; j < n; j++) { // a partial vector at an array's end (Simd.pastEnd): the scalar twins, the same bits
            double x = u[uOff + j];
            out[outOff + j] = mode == SOFTPLUS ? softplus(x)
                    : mode == SIGMOID ? sigmoid(x) : out[outOff + j] * sigmoid(x);
        }
    }
}
