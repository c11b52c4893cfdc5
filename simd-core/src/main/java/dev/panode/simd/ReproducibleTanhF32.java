package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Single-precision tanh built only from correctly rounded float operations (add, subtract, multiply, fused
 * multiply-add, divide, comparison and bit manipulation), so that a vector lane and the scalar twin
 * {@link #tanh(float)} give the same bits, interpreted or compiled, on any CPU: the float counterpart of
 * {@link ReproducibleTanh}, for the same reason (the Vector API's {@code lanewise(TANH)} changes its last bit when C2
 * compiles the loop).
 *
 * <p>Algorithm (that of {@link ReproducibleTanh}, in float): with {@code a = min(|x|, 10)} (tanh rounds to 1 in float
 * from about 9.01), {@code E = e^(−2a)} by the reduction {@code −2a = k·ln2 − 2s}, |s| ≤ ln2/4, with ln2/2 split in two
 * floats and each part applied by one fused multiply-add; {@code (1 − e^(−2s))/2 = s + s²·P(s)} with P the Taylor
 * polynomial of degree 6 ({@code Pj = (−2)^(j+1)/(j+2)!}; truncation error below 2⁻³⁰ relative, far under float's
 * 2⁻²⁴), evaluated by Estrin's scheme; {@code 2ᵏ⁺¹} is made from the bits of the rounded sum that gave k; then
 * {@code 1 − E = 2ᵏ⁺¹·(1 − e^(−2s))/2 + (1 − 2ᵏ)} in one rounding, {@code tanh a = (1 − E)/(2 − (1 − E))}, and the sign
 * bit of x is copied onto the result (exact odd symmetry, tanh(−0) = −0, NaN propagates, ±∞ gives ±1). Reference:
 * J.-M. Muller, "Elementary Functions" (range reduction, Estrin's scheme); fdlibm's {@code s_tanh.c}.
 *
 * <p>Error against {@code (float) Math.tanh(x)}: at most 2 ulp over every float of magnitude up to 10.5 taken 97 bit
 * patterns apart, both signs (22.5 million arguments, most of them tiny, as floats are): for |x| &lt; 10⁻⁴ 97.8% exact
 * and 2.2% at 1 ulp; for 10⁻⁴ ≤ |x| &lt; 0.5 68.1% exact, 31.5% at 1 ulp, 0.30% at 2 ulp; for 0.5 ≤ |x| &lt; 10.5
 * 44.7% exact, 47.3% at 1 ulp, 8.0% at 2 ulp (the quotient's two roundings near 1). {@code ReproducibleTanhF32Test}
 * repeats the measurement 389 bit patterns apart (5.6 million arguments, the same shares to 0.3 points) and fails
 * above 2 ulp. Cost: 17 vector operations and one division per vector of
 * {@link Simd#FLOAT_LANES} floats. Not for callers who need the correctly rounded tanh.
 */
final class ReproducibleTanhF32 {
    private ReproducibleTanhF32() {}

    /** −2·log₂e, rounded to float: {@code fma(a, M2LOG2E, SHIFTER)} rounds −2a/ln2 to the integer k. */
    private static final float M2LOG2E = -0x1.715476p1f;
    /** ln2/2 split: the float nearest, and the float nearest the rest. */
    private static final float HALF_LN2_HI = 0x1.62e43p-2f;
    private static final float HALF_LN2_LO = -0x1.05c61p-30f;
    /**
     * 1.5·2²³ + 128: adding it rounds to an integer held in the low mantissa bits as k + 128, the biased exponent of
     * 2ᵏ⁺¹, so that shifting the sum's bits left by 23 gives 2ᵏ⁺¹ (k ≥ −29 here, so k + 128 fits the 8 exponent bits).
     */
    private static final float SHIFTER = 0x1.8p23f + 128;
    /** Above this |x|, tanh rounds to ±1 in float (1 − tanh 10 = 4·10⁻⁹ < 2⁻²⁵). */
    private static final float CLAMP = 10.0f;
    private static final int SIGN = 0x8000_0000;
    /** {@code (1 − e^(−2s))/2 = s + s²·Σ Pj·sʲ}, Taylor coefficients rounded to float. */
    private static final float P0 = -1.0f, P1 = 0x1.555556p-1f, P2 = -0x1.555556p-2f, P3 = 0x1.111112p-3f,
            P4 = -0x1.6c16c2p-5f, P5 = 0x1.a01a02p-7f, P6 = -0x1.a01a02p-9f;

    /** The scalar twin: bit for bit what a vector lane computes, operation by operation. */
    static float tanh(float x) {
        float a = Math.abs(x);
        if (a > CLAMP) a = CLAMP;
        float t = Math.fma(a, M2LOG2E, SHIFTER);
        float k = t - SHIFTER;
        float s = Math.fma(k, HALF_LN2_HI, a);
        s = Math.fma(k, HALF_LN2_LO, s);
        float s2 = s * s;
        float q01 = Math.fma(s, P1, P0), q23 = Math.fma(s, P3, P2), q45 = Math.fma(s, P5, P4);
        float q03 = Math.fma(s2, q23, q01), q46 = Math.fma(s2, P6, q45);
        float s4 = s2 * s2;
        float q = Math.fma(s4, q46, q03);
        float halfOneMinusEs = Math.fma(s2, q, s);
        float twoK1 = Float.intBitsToFloat(Float.floatToRawIntBits(t) << 23);
        float oneMinusE = Math.fma(twoK1, halfOneMinusEs, Math.fma(twoK1, -0.5f, 1.0f));
        float th = oneMinusE / (2.0f - oneMinusE);
        return Float.intBitsToFloat(Float.floatToRawIntBits(th) | (Float.floatToRawIntBits(x) & SIGN));
    }

    /**
     * {@code out[outOff+j] = tanh(u[uOff+j])} for {@code j < n}: the operations of {@link #tanh(float)} on every lane,
     * the last partial vector under the mask of its indices in range (one loop body, nothing allocated), or, when that
     * vector would reach past the end of u or out, by {@link #tanh(float)} element by element (the same bits; see
     * {@link Simd#pastEnd}).
     */
    static void apply(float[] u, int uOff, float[] out, int outOff, int n) {
        int j = 0;
        for (; j < n && !Simd.pastEnd(j, n, u, uOff, out, outOff); j += FLOAT_LANES) {
            VectorMask<Float> m = FLOAT_SPECIES.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(FLOAT_SPECIES, u, uOff + j, m);
            FloatVector av = v.lanewise(VectorOperators.ABS);
            av = av.blend(CLAMP, av.compare(VectorOperators.GT, CLAMP));
            FloatVector t = av.fma(M2LOG2E, SHIFTER);
            FloatVector k = t.sub(SHIFTER);
            FloatVector s = k.fma(v.broadcast(HALF_LN2_HI), av);
            s = k.fma(v.broadcast(HALF_LN2_LO), s);
            FloatVector s2 = s.mul(s);
            FloatVector q01 = s.fma(P1, P0), q23 = s.fma(P3, P2), q45 = s.fma(P5, P4);
            FloatVector q03 = s2.fma(q23, q01), q46 = s2.fma(v.broadcast(P6), q45);
            FloatVector s4 = s2.mul(s2);
            FloatVector q = s4.fma(q46, q03);
            FloatVector halfOneMinusEs = s2.fma(q, s);
            FloatVector twoK1 = t.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector oneMinusE = twoK1.fma(halfOneMinusEs, twoK1.fma(-0.5f, 1.0f));
            FloatVector th = oneMinusE.div(v.broadcast(2.0f).sub(oneMinusE));
            IntVector sign = v.viewAsIntegralLanes().and(SIGN);
            th.viewAsIntegralLanes().or(sign).viewAsFloatingLanes().intoArray(out, outOff + j, m);
        }
        for (; j < n; j++) out[outOff + j] = tanh(u[uOff + j]);
    }

    /**
     * {@code u[uOff+j] = x[xOff+j] + bias[bOff+j]} and {@code a[aOff+j] = tanh(u[uOff+j])} for {@code j < n}: one pass,
     * each sum activated in registers (the fused bias-and-tanh pass; u may be the same block as a, and then holds the
     * activation). The vectors stay inside this method, and the loop has no branch that a profile could see one side
     * of: a vector passed to or returned from a method that C2 did not inline is boxed on the heap, and so are vectors
     * kept for an uncommon trap. The last partial vector as in {@link #apply}.
     */
    static void biasTanh(float[] x, int xOff, float[] bias, int bOff, int n, float[] u, int uOff, float[] a,
                         int aOff) {
        int j = 0;
        for (; j < n && !Simd.pastEnd(j, n, x, xOff, bias, bOff) && !Simd.pastEnd(j, n, u, uOff, a, aOff);
             j += FLOAT_LANES) {
            VectorMask<Float> m = FLOAT_SPECIES.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(FLOAT_SPECIES, x, xOff + j, m)
                    .add(FloatVector.fromArray(FLOAT_SPECIES, bias, bOff + j, m));
            v.intoArray(u, uOff + j, m);
            FloatVector av = v.lanewise(VectorOperators.ABS);
            av = av.blend(CLAMP, av.compare(VectorOperators.GT, CLAMP));
            FloatVector t = av.fma(M2LOG2E, SHIFTER);
            FloatVector k = t.sub(SHIFTER);
            FloatVector s = k.fma(v.broadcast(HALF_LN2_HI), av);
            s = k.fma(v.broadcast(HALF_LN2_LO), s);
            FloatVector s2 = s.mul(s);
            FloatVector q01 = s.fma(P1, P0), q23 = s.fma(P3, P2), q45 = s.fma(P5, P4);
            FloatVector q03 = s2.fma(q23, q01), q46 = s2.fma(v.broadcast(P6), q45);
            FloatVector s4 = s2.mul(s2);
            FloatVector q = s4.fma(q46, q03);
            FloatVector halfOneMinusEs = s2.fma(q, s);
            FloatVector twoK1 = t.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector oneMinusE = twoK1.fma(halfOneMinusEs, twoK1.fma(-0.5f, 1.0f));
            FloatVector th = oneMinusE.div(v.broadcast(2.0f).sub(oneMinusE));
            IntVector sign = v.viewAsIntegralLanes().and(SIGN);
            th.viewAsIntegralLanes().or(sign).viewAsFloatingLanes().intoArray(a, aOff + j, m);
        }
        for (; j < n; j++) { // a partial vector at an array's end (Simd.pastEnd): the scalar twin, the same bits
            float v = x[xOff + j] + bias[bOff + j];
            u[uOff + j] = v;
            a[aOff + j] = tanh(v);
        }
    }
}
