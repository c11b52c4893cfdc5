package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * tanh built only from IEEE-754 operations that are correctly rounded (add, subtract, multiply, fused multiply-add,
 * divide, comparison and bit manipulation), so that its result is the same bit pattern whether the code runs
 * interpreted, C1- or C2-compiled, as a vector lane or as the scalar twin, on any CPU.
 *
 * <p>Why it exists: the Vector API's {@code lanewise(TANH)} is an SVML intrinsic once C2 has compiled the loop but
 * falls back to {@link Math#tanh} lane by lane before that, and the two differ in the last bit for about 2% of
 * arguments. A neural ODE solved twice in one JVM (before and after warm-up) then gives different bits, which breaks
 * reproducibility and bitwise comparisons between threads. This kernel has no such dependence.
 *
 * <p>Algorithm: with {@code a = min(|x|, 20)} (tanh rounds to 1 beyond), {@code E = e^(−2a)} by Cody–Waite
 * reduction {@code −2a = k·ln2 − 2s}, |s| ≤ ln2/4, so {@code E = 2ᵏ·e^(−2s)};
 * {@code (1 − e^(−2s))/2 = s + s²·P(s)} with P the degree-10 minimax polynomial for the relative error on
 * |s| ≤ ln2/4 (error 2⁻⁵⁹·⁶ with the coefficients rounded to double; computed with a Remez exchange in 60-digit
 * arithmetic, weight s²/|expm1(−2s)|), evaluated by Estrin's scheme (depth 4 instead of Horner's 10, so that successive vectors overlap in
 * the out-of-order core). Then {@code 1 − E = 2ᵏ⁺¹·(1 − e^(−2s))/2 + (1 − 2ᵏ)} in one rounding (accurate for small
 * a, as in fdlibm's expm1), {@code 1 + E = 2 − (1 − E)}, {@code tanh a = (1 − E)/(1 + E)}, and the sign bit of x is
 * copied onto the result: odd symmetry holds exactly, tanh(−0) = −0, NaN propagates, ±∞ gives ±1. References:
 * J.-M. Muller, "Elementary Functions" (range reduction, minimax polynomials, Estrin's scheme); fdlibm's
 * {@code s_expm1.c} and {@code s_tanh.c}.
 *
 * <p>Error against {@link Math#tanh}: at most 3 ulp (3 ulp for about 5·10⁻⁶ of the arguments in [0.1, 0.3], 2 ulp for
 * 0.2% of those in [10⁻⁸, 0.5] and 11% of those in [0.5, 20]; measured by {@code ReproducibleTanhTest}).
 * Cost: 26 vector operations and one division per vector (C2 code on AVX-512), about 0.8 ns per element at
 * n = 1000 on the AVX-512 machine of docs/benchmarks/simd.md, where a loop of divisions alone takes 0.55–0.6 ns per
 * element (the bound) and the JDK's SVML {@code lanewise(TANH)} 1.7–2.0 ns. Not for callers who need the correctly
 * rounded tanh.
 */
final class ReproducibleTanh {
    private ReproducibleTanh() {}

    /** −2·log₂e, rounded: {@code a·M2LOG2E + SHIFTER} rounds −2a/ln2 to the integer k. */
    private static final double M2LOG2E = -0x1.71547652b82fep1;
    /** fdlibm's split of ln 2, halved: the high part has 21 trailing zero bits, so k·HALF_LN2_HI is exact. */
    private static final double HALF_LN2_HI = 0x1.62e42fee00000p-2;
    private static final double HALF_LN2_LO = 0x1.a39ef35793c76p-34;
    /**
     * 1.5·2⁵² + 1024: adding it rounds to an integer held in the low mantissa bits as k + 1024, the biased exponent
     * of 2ᵏ⁺¹, so that shifting the sum's bits left by 52 gives 2ᵏ⁺¹.
     */
    private static final double SHIFTER = 0x1.8p52 + 1024;
    /** Above this |x|, tanh rounds to ±1 (tanh 20 = 1 − 8·10⁻¹⁸). */
    private static final double CLAMP = 20.0;
    private static final long SIGN = 0x8000_0000_0000_0000L;
    /**
     * {@code (1 − e^(−2s))/2 ≈ s + s²·Σ Pj·sʲ}: minimax for the relative error on |s| ≤ ln2/4 (Taylor would be
     * Pj = −(−2)^(j+1)/(j+2)!).
     */
    private static final double P0 = -0x1.0000000000000p+0, P1 = 0x1.5555555555559p-1, P2 = -0x1.555555555553ep-2,
            P3 = 0x1.111111110f6c4p-3, P4 = -0x1.6c16c16c1f0e3p-5, P5 = 0x1.a01a01afdd8f1p-7,
            P6 = -0x1.a01a017bb0d3fp-9, P7 = 0x1.71ddf863b841dp-11, P8 = -0x1.27e53642b818dp-13,
            P9 = 0x1.af5ea85135438p-16, P10 = -0x1.1ee8891cb02ddp-18;

    /** The scalar twin: bit for bit what a vector lane computes, operation by operation. */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a > CLAMP) a = CLAMP;
        double t = Math.fma(a, M2LOG2E, SHIFTER);
        double k = t - SHIFTER;
        double s = Math.fma(k, HALF_LN2_HI, a);
        s = Math.fma(k, HALF_LN2_LO, s);
        double s2 = s * s;
        double q01 = Math.fma(s, P1, P0), q23 = Math.fma(s, P3, P2), q45 = Math.fma(s, P5, P4);
        double q67 = Math.fma(s, P7, P6), q89 = Math.fma(s, P9, P8);
        double q03 = Math.fma(s2, q23, q01), q47 = Math.fma(s2, q67, q45), q810 = Math.fma(s2, P10, q89);
        double s4 = s2 * s2;
        double q07 = Math.fma(s4, q47, q03);
        double s8 = s4 * s4;
        double q = Math.fma(s8, q810, q07);
        double halfOneMinusEs = Math.fma(s2, q, s);
        double twoK1 = Double.longBitsToDouble(Double.doubleToRawLongBits(t) << 52);
        double oneMinusE = Math.fma(twoK1, halfOneMinusEs, Math.fma(twoK1, -0.5, 1.0));
        double th = oneMinusE / (2.0 - oneMinusE);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(th) | (Double.doubleToRawLongBits(x) & SIGN));
    }

    /**
     * {@code out[outOff+j] = tanh(u[uOff+j])} for {@code j < n}: the same operations as {@link #tanh(double)} on
     * every lane. Each vector is loaded and stored under the mask of its indices in range, so the last, partial
     * vector goes through the same code (one loop body: C2 compiles it without vector boxes, nothing is allocated),
     * unless it would reach past the end of u or out: then {@link #tanh(double)}, element by element
     * ({@link Simd#pastEnd}). The operations are written out in the loop rather than taken from
     * a method taking a vector: a vector passed to a method that C2 does not inline is boxed on the heap (96 bytes
     * per vector with AVX-512), and whether C2 inlines that method here depends on what else has compiled it first.
     */
    static void apply(double[] u, int uOff, double[] out, int outOff, int n) {
        int j = 0;
        for (; j < n && !Simd.pastEnd(j, n, u, uOff, out, outOff); j += LANES) {
            VectorMask<Double> m = SPECIES.indexInRange(j, n);
            DoubleVector x = DoubleVector.fromArray(SPECIES, u, uOff + j, m);
            DoubleVector a = x.lanewise(VectorOperators.ABS);
            a = a.blend(CLAMP, a.compare(VectorOperators.GT, CLAMP));
            DoubleVector t = a.fma(M2LOG2E, SHIFTER);
            DoubleVector k = t.sub(SHIFTER);
            DoubleVector s = k.fma(x.broadcast(HALF_LN2_HI), a);
            s = k.fma(x.broadcast(HALF_LN2_LO), s);
            DoubleVector s2 = s.mul(s);
            DoubleVector q01 = s.fma(P1, P0), q23 = s.fma(P3, P2), q45 = s.fma(P5, P4);
            DoubleVector q67 = s.fma(P7, P6), q89 = s.fma(P9, P8);
            DoubleVector q03 = s2.fma(q23, q01), q47 = s2.fma(q67, q45), q810 = s2.fma(x.broadcast(P10), q89);
            DoubleVector s4 = s2.mul(s2);
            DoubleVector q07 = s4.fma(q47, q03);
            DoubleVector s8 = s4.mul(s4);
            DoubleVector q = s8.fma(q810, q07);
            DoubleVector halfOneMinusEs = s2.fma(q, s);
            DoubleVector twoK1 = t.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector oneMinusE = twoK1.fma(halfOneMinusEs, twoK1.fma(-0.5, 1.0));
            DoubleVector th = oneMinusE.div(x.broadcast(2.0).sub(oneMinusE));
            LongVector sign = x.viewAsIntegralLanes().and(SIGN);
            th.viewAsIntegralLanes().or(sign).viewAsFloatingLanes().intoArray(out, outOff + j, m);
        }
        for (; j < n; j++) out[outOff + j] = tanh(u[uOff + j]); // a partial vector at an array's end: the twin
    }

    /**
     * {@code out[outOff+j] = tanh(u[uOff+j] + bias[bOff+j])} for {@code j < n} and +0 for {@code n ≤ j < padded}: the
     * bias added in the same pass, each sum rounded once as a separate addition would round it, then the operations of
     * {@link #tanh(double)} on every lane. Two uses: a dense layer's block ({@code bias} its bias tile repeated over the
     * block's rows, {@code padded = n}) and a padded row of the single-row chain ({@code padded} a multiple of the
     * lanes, the padding's +0 read by the next layer's dot products). The extra load per vector is free beside the
     * division. Whole vectors only, the tanh written out in the loop (no vector crosses a call, which C2 may leave
     * boxed when it does not inline the callee); the elements after the last whole vector go through the scalar twin,
     * so no masked access reaches past an array's end.
     */
    static void applyBiased(double[] u, int uOff, double[] bias, int bOff, double[] out, int outOff, int n,
                            int padded) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        int j = 0;
        for (; j <= padded - LANES; j += LANES) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, u, uOff + j)
                    .add(DoubleVector.fromArray(SPECIES, bias, bOff + j));
            DoubleVector a = x.lanewise(VectorOperators.ABS);
            a = a.blend(CLAMP, a.compare(VectorOperators.GT, CLAMP));
            DoubleVector t = a.fma(M2LOG2E, SHIFTER);
            DoubleVector k = t.sub(SHIFTER);
            DoubleVector s = k.fma(x.broadcast(HALF_LN2_HI), a);
            s = k.fma(x.broadcast(HALF_LN2_LO), s);
            DoubleVector s2 = s.mul(s);
            DoubleVector q01 = s.fma(P1, P0), q23 = s.fma(P3, P2), q45 = s.fma(P5, P4);
            DoubleVector q67 = s.fma(P7, P6), q89 = s.fma(P9, P8);
            DoubleVector q03 = s2.fma(q23, q01), q47 = s2.fma(q67, q45), q810 = s2.fma(x.broadcast(P10), q89);
            DoubleVector s4 = s2.mul(s2);
            DoubleVector q07 = s4.fma(q47, q03);
            DoubleVector s8 = s4.mul(s4);
            DoubleVector q = s8.fma(q810, q07);
            DoubleVector halfOneMinusEs = s2.fma(q, s);
            DoubleVector twoK1 = t.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector oneMinusE = twoK1.fma(halfOneMinusEs, twoK1.fma(-0.5, 1.0));
            DoubleVector th = oneMinusE.div(x.broadcast(2.0).sub(oneMinusE));
            LongVector sign = x.viewAsIntegralLanes().and(SIGN);
            zero.blend(th.viewAsIntegralLanes().or(sign).viewAsFloatingLanes(), SPECIES.indexInRange(j, n))
                    .intoArray(out, outOff + j);
        }
        for (; j < n; j++) out[outOff + j] = tanh(u[uOff + j] + bias[bOff + j]);
    }
}
