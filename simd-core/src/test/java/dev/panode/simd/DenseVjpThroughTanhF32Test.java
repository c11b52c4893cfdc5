package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import dev.panode.blas.testing.Allocations;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DenseVjpKernelF32#backwardThroughTanh}, the float output layer of a 2-D ODE and the tanh derivative below it
 * in one pass: bit for bit (zero signs included) what the layer's own VJP ({@link DenseVjpKernelF32#backward}, its
 * products wherever the dispatcher sends them, OpenBLAS under the platform rule) and
 * {@link ActivationKernelF32#derivativeTimesColumnSums} give one after the other, and what the Java GEMMs give, for
 * blocks of 2 to 64 rows, inputs of two vectors and more with every tail width, X inside a larger array, W̄
 * accumulated onto earlier values, with and without the layer's own bias sums, with signed zeros and products that
 * underflow to −0 or to subnormals; the shapes and blocks it does not take are left untouched; nothing allocated
 * once warm.
 */
class DenseVjpThroughTanhF32Test {
    private static final int L = Simd.FLOAT_LANES;
    private static final int W_OFF = 3;

    @Test
    void givesTheBitsOfTheVjpAndTheDerivativePass() {
        SplittableRandom rnd = new SplittableRandom(171);
        int cases = 0;
        for (int tail = 0; tail < L; tail++) {
            for (int vectors : new int[] {2, 3, 4, 7}) {
                int in = vectors * L + tail;
                for (int rows : new int[] {2, 3, 4, 5, 8, 20, DenseVjpKernelF32.BLOCK_ROWS}) {
                    check(rnd, in, rows, (in + rows) % 2 == 0, rows % 3 != 0);
                    cases++;
                }
            }
        }
        for (int rows = 2; rows <= DenseVjpKernelF32.BLOCK_ROWS; rows++) {
            check(rnd, 50, rows, rows % 2 == 0, true);
            cases++;
        }
        assertTrue(cases >= 28 * L + 63, "cases " + cases); // every tail width: a count that follows the lanes
    }

    @Test
    void everyDispatchRuleGivesTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(173);
        GemmThresholds[] rules = {new GemmThresholds(0, 0), new GemmThresholds(Long.MAX_VALUE, 1),
                GemmThresholds.MEASURED};
        for (GemmThresholds t : rules) {
            try {
                GemmF32.setThresholds(t);
                for (int rows : new int[] {2, 4, 20, 64}) check(rnd, 50, rows, true, rows != 4);
            } finally {
                GemmF32.resetThresholds();
            }
        }
    }

    @Test
    void otherShapesAndBlocksAreLeftToTheCaller() {
        SplittableRandom rnd = new SplittableRandom(179);
        // out ≠ 2, an input under two vectors, more rows than a block, one row (its own fused pass), no rows
        int[][] refused = {{50, 3, 16}, {50, 1, 16}, {2 * L - 1, 2, 16}, {L, 2, 4},
                {50, 2, DenseVjpKernelF32.BLOCK_ROWS + 1}, {50, 2, 1}, {50, 2, 0}};
        for (int[] s : refused) {
            int in = s[0], out = s[1], rows = s[2];
            float[] theta = uniform(rnd, W_OFF + in * out + out, 1.0f);
            float[] ub = uniform(rnd, Math.max(1, rows) * out, 1.0f);
            float[] x = uniform(rnd, Math.max(1, rows) * in, 0.9f);
            float[] tb = uniform(rnd, theta.length + in, 0.5f), tbStart = tb.clone();
            float[] xb = new float[Math.max(1, rows) * in];
            DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
            assertFalse(k.backwardThroughTanh(rows, ub, x, 0, theta, W_OFF, tb, W_OFF + in * out, true,
                    theta.length, xb), Arrays.toString(s));
            assertArrayEquals(tbStart, tb, "θ̄ untouched " + Arrays.toString(s));
            assertArrayEquals(new float[xb.length], xb, "x̄ untouched " + Arrays.toString(s));
        }
        DenseVjpKernelF32 k = DenseVjpKernelF32.of(50, 2);
        float[] xb = new float[800];
        assertFalse(k.backwardThroughTanh(16, new float[32], new float[800], 0, new float[W_OFF + 102], W_OFF,
                null, W_OFF + 100, true, W_OFF + 102, xb), "no parameter gradient");
        assertArrayEquals(new float[800], xb, "x̄ untouched without θ̄");
    }

    @Test
    void nothingIsAllocatedOnceWarm() {
        SplittableRandom rnd = new SplittableRandom(183);
        int in = 50, rows = 20, bOff = W_OFF + 2 * in, below = bOff + 2;
        float[] theta = uniform(rnd, bOff + 2, 1.0f);
        float[] tb = new float[below + in];
        float[] ub = uniform(rnd, rows * 2, 1.0f), x = uniform(rnd, rows * in, 0.9f);
        float[] xb = new float[rows * in];
        DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, 2);
        Allocations.assertNoAllocation("float backward through tanh 20×50→2", 30_000, 2_000,
                () -> k.backwardThroughTanh(rows, ub, x, 0, theta, W_OFF, tb, bOff, true, below, xb));
    }

    /**
     * One fused call against the layer's VJP (the dispatcher's products) and against the Java GEMMs, each followed by
     * the derivative pass, bit for bit. Ū and X get exact zeros of both signs and tiny values whose products underflow
     * (to −0, and to subnormals); X holds tanh outputs in (−1, 1); the bias gradient of the layer below sits after b̄.
     */
    private static void check(SplittableRandom rnd, int in, int rows, boolean accumulate, boolean sumBias) {
        String what = rows + "×" + in + "→2" + (accumulate ? " accumulating" : "") + (sumBias ? "" : " no bias sums");
        int bOff = W_OFF + 2 * in, below = bOff + 2 + 1;
        float[] theta = uniform(rnd, bOff + 2, (float) (1.0 / Math.sqrt(in)));
        float[] ub = uniform(rnd, rows * 2, 1.5f), x = uniform(rnd, rows * in, 0.99f);
        ub[0] = 0.0f;
        ub[ub.length - 1] = -0.0f;
        x[x.length / 2] = -0.0f;
        x[x.length - 1] = 0.0f;
        int r = rows / 2, j = rnd.nextInt(in);
        // row r: ū₀·W₀ⱼ underflows to −0 and ū₁ = −0, so Ū·W's chain is −0 in column j (the GEMM stores +0 there)
        ub[2 * r] = -1e-25f;
        ub[2 * r + 1] = -0.0f;
        theta[W_OFF + j] = 1e-25f;
        theta[W_OFF + in + j] = 0.5f;
        if (in > 1) theta[W_OFF + (j + 1) % in] = 3e-20f; // a subnormal product in the next column
        x[r * in + (j + 2) % in] = Float.MIN_VALUE;
        int xOff = accumulate ? 5 : 0;
        float[] xBlock = new float[xOff + x.length + 3];
        System.arraycopy(x, 0, xBlock, xOff, x.length);
        float[] tb = accumulate ? uniform(rnd, below + in + 2, 0.5f) : new float[below + in + 2];
        float[] tbVjp = tb.clone(), tbJava = tb.clone();
        float[] xb = new float[rows * in], xbVjp = new float[rows * in], xbJava = new float[rows * in];

        DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, 2);
        assertTrue(k.backwardThroughTanh(rows, ub, xBlock, xOff, theta, W_OFF, tb, bOff, sumBias, below, xb), what);

        k.backward(rows, ub, xBlock, xOff, theta, W_OFF, tbVjp, bOff, sumBias, xbVjp, k.newWorkspace());
        ActivationKernelF32.derivativeTimesColumnSums(ActivationKernel.TANH, xBlock, xOff, xBlock, xOff, xbVjp, 0, rows,
                in, tbVjp, below);
        assertBits(tbVjp, tb, "θ̄ against the VJP " + what);
        assertBits(xbVjp, xb, "x̄ against the VJP " + what);

        GemmF32.sgemmJava(Transpose.YES, Transpose.NO, 2, in, rows, 1.0f, ub, 0, 2, x, 0, in, 1.0f, tbJava, W_OFF, in);
        if (sumBias) ColumnSums.accumulate(ub, 0, rows, 2, tbJava, bOff);
        GemmF32.sgemmJava(Transpose.NO, Transpose.NO, rows, in, 2, 1.0f, ub, 0, 2, theta, W_OFF, in, 0.0f, xbJava, 0,
                in);
        ActivationKernelF32.derivativeTimesColumnSums(ActivationKernel.TANH, xBlock, xOff, xBlock, xOff, xbJava, 0,
                rows, in, tbJava, below);
        assertBits(tbJava, tb, "θ̄ against the Java GEMMs " + what);
        assertBits(xbJava, xb, "x̄ against the Java GEMMs " + what);
    }

    private static float[] uniform(SplittableRandom rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((2 * rnd.nextDouble() - 1) * scale);
        return v;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
