package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float reproducible tanh: the vector kernel equals its scalar twin bit for bit (every length, offset, in place),
 * both stay within 2 ulp of {@code (float) Math.tanh}, and the symmetries and special values hold exactly.
 */
class ReproducibleTanhF32Test {

    /** Every float from 0 up to just past the clamp, {@code stride} bit patterns apart, with both signs. */
    private static float[] sweep(int stride) {
        int top = Float.floatToRawIntBits(10.5f);
        float[] x = new float[2 * (top / stride + 1)];
        int i = 0;
        for (int bits = 0; bits <= top; bits += stride) {
            x[i++] = Float.intBitsToFloat(bits);
            x[i++] = -Float.intBitsToFloat(bits);
        }
        return java.util.Arrays.copyOf(x, i);
    }

    private static final float[] SPECIAL = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
            1e-8f, 0.1733f, 0.17328680f, 0.17328681f, 0.5f, 9.0f, 9.01f, Math.nextDown(10.0f), 10.0f, Math.nextUp(10.0f),
            20f, 88.7f, 1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN, Float.intBitsToFloat(0xffc0_0000), Float.intBitsToFloat(0x7f80_0001)};

    @Test
    void vectorKernelEqualsScalarTwinBitForBit() {
        float[] x = sweep(1009); // 2.2 million arguments
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        float[] out = new float[x.length];
        for (int round = 0; round < 3; round++) { // interpreted, then compiled: the same bits every time
            ReproducibleTanhF32.apply(x, 0, out, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(ReproducibleTanhF32.tanh(x[i])), Float.floatToRawIntBits(out[i]),
                        "x = " + x[i]);
            }
        }
    }

    /** Every length and offset: the masked last vector gives the twin's bits too, and nothing outside is written. */
    @Test
    void partialVectorsOffsetsAndInPlace() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int n = 0; n <= 4 * Simd.FLOAT_LANES + 3; n++) {
            for (int off = 0; off < 3; off++) {
                float[] u = new float[n + 2 * off + 1];
                for (int i = 0; i < u.length; i++) u[i] = (float) rnd.nextDouble(-4, 4);
                float[] out = new float[u.length];
                java.util.Arrays.fill(out, 7.0f);
                ReproducibleTanhF32.apply(u, off, out, off + 1, n);
                for (int i = 0; i < out.length; i++) {
                    float want = i > off && i <= off + n ? ReproducibleTanhF32.tanh(u[i - 1]) : 7.0f;
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[i]), "n=" + n + " i=" + i);
                }
                float[] inPlace = u.clone();
                ReproducibleTanhF32.apply(inPlace, off, inPlace, off, n);
                for (int i = 0; i < u.length; i++) {
                    float want = i >= off && i < off + n ? ReproducibleTanhF32.tanh(u[i]) : u[i];
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(inPlace[i]), "in place n=" + n);
                }
            }
        }
    }

    /**
     * At most 2 ulp from {@code (float) Math.tanh(x)} over the sweep; prints the share at each distance, by range
     * (recorded in the class comment and docs/FLOAT32.md).
     */
    @Test
    void withinTwoUlpOfMathRounded() {
        float[] x = sweep(389); // 5.6 million arguments
        float[] out = new float[x.length];
        ReproducibleTanhF32.apply(x, 0, out, 0, x.length);
        float[] bounds = {0f, 1e-4f, 0.5f, 10.5f};
        long[][] count = new long[bounds.length - 1][4];
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.tanh(x[i]);
            int d = Math.abs(Float.floatToIntBits(want) - Float.floatToIntBits(out[i]));
            assertTrue(d <= 2, "tanh(" + x[i] + ") = " + out[i] + ", (float) Math.tanh gives " + want);
            int r = 0;
            while (r < bounds.length - 2 && Math.abs(x[i]) >= bounds[r + 1]) r++;
            count[r][d]++;
        }
        long[] all = new long[4];
        for (int r = 0; r < count.length; r++) {
            long n = count[r][0] + count[r][1] + count[r][2];
            System.out.printf("ReproducibleTanhF32 |x| in [%g, %g): %d arguments, 0 ulp %.4f%%, 1 ulp %.4f%%, 2 ulp %.5f%%%n",
                    bounds[r], bounds[r + 1], n, 100.0 * count[r][0] / n, 100.0 * count[r][1] / n, 100.0 * count[r][2] / n);
            for (int d = 0; d < 3; d++) all[d] += count[r][d];
        }
        System.out.printf("ReproducibleTanhF32 all %d arguments: 0 ulp %.4f%%, 1 ulp %.4f%%, 2 ulp %.5f%%%n", x.length,
                100.0 * all[0] / x.length, 100.0 * all[1] / x.length, 100.0 * all[2] / x.length);
    }

    /** tanh(−x) = −tanh(x) exactly, |tanh| ≤ 1, tanh(±0) = ±0, NaN → NaN, ±∞ and beyond the clamp → ±1. */
    @Test
    void oddSymmetryAndSpecialValues() {
        for (float v : sweep(1009)) {
            float t = ReproducibleTanhF32.tanh(v);
            assertEquals(Float.floatToRawIntBits(-t), Float.floatToRawIntBits(ReproducibleTanhF32.tanh(-v)), "x = " + v);
            assertTrue(Math.abs(t) <= 1.0f, "|tanh(" + v + ")| <= 1");
        }
        float[] got = new float[SPECIAL.length];
        ReproducibleTanhF32.apply(SPECIAL, 0, got, 0, SPECIAL.length);
        for (int i = 0; i < SPECIAL.length; i++) {
            float v = SPECIAL[i];
            if (Float.isNaN(v)) {
                assertTrue(Float.isNaN(got[i]) && Float.isNaN(ReproducibleTanhF32.tanh(v)), "NaN in, NaN out");
            } else if (Math.abs(v) >= 10.0f) {
                assertEquals(Math.copySign(1.0f, v), got[i], 0.0f, "tanh(" + v + ")");
            } else if (Math.abs(v) < 1e-4f) {
                assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(got[i]), "tanh(" + v + ") = x");
            }
        }
    }

    /**
     * The power 2ᵏ⁺¹ built from the binary digits of −k and the sign by negation give the bits of the exponent-field
     * construction they replaced (the sum's bits shifted into the exponent, the sign bit OR-ed in), for every finite
     * argument of the sweep and the special values: the float demo's losses stay those of before.
     */
    @Test
    void sameBitsAsTheExponentFieldConstruction() {
        float[] x = sweep(389); // 5.6 million arguments
        float[] out = new float[x.length];
        ReproducibleTanhF32.apply(x, 0, out, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            int want = Float.floatToRawIntBits(exponentFieldTanh(x[i]));
            assertEquals(want, Float.floatToRawIntBits(out[i]), "x = " + x[i]);
        }
        for (float v : SPECIAL) {
            if (!Float.isNaN(v)) {
                assertEquals(Float.floatToRawIntBits(exponentFieldTanh(v)),
                        Float.floatToRawIntBits(ReproducibleTanhF32.tanh(v)), "x = " + v);
            }
        }
    }

    /** The earlier scalar twin, kept here as the oracle of {@link #sameBitsAsTheExponentFieldConstruction}. */
    private static float exponentFieldTanh(float x) {
        float shifter = 0x1.8p23f + 128;
        float a = Math.min(Math.abs(x), 10.0f);
        float t = Math.fma(a, -0x1.715476p1f, shifter);
        float k = t - shifter;
        float s = Math.fma(k, 0x1.62e43p-2f, a);
        s = Math.fma(k, -0x1.05c61p-30f, s);
        float s2 = s * s;
        float q01 = Math.fma(s, 0x1.555556p-1f, -1.0f), q23 = Math.fma(s, 0x1.111112p-3f, -0x1.555556p-2f);
        float q45 = Math.fma(s, 0x1.a01a02p-7f, -0x1.6c16c2p-5f);
        float q03 = Math.fma(s2, q23, q01), q46 = Math.fma(s2, -0x1.a01a02p-9f, q45);
        float q = Math.fma(s2 * s2, q46, q03);
        float halfOneMinusEs = Math.fma(s2, q, s);
        float twoK1 = Float.intBitsToFloat(Float.floatToRawIntBits(t) << 23);
        float oneMinusE = Math.fma(twoK1, halfOneMinusEs, Math.fma(twoK1, -0.5f, 1.0f));
        float th = oneMinusE / (2.0f - oneMinusE);
        return Float.intBitsToFloat(Float.floatToRawIntBits(th) | (Float.floatToRawIntBits(x) & 0x8000_0000));
    }
}
