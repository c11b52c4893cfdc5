package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DenseVjpKernel#backwardThroughTanhGemm} (the tanh derivative and the bias sums of the layer below applied to
 * X̄'s tiles as the Java GEMM stores them, {@link TanhSlopeGemm}): bit for bit (zero signs included) what
 * {@link DenseVjpKernel#backward} and {@link ActivationKernel#derivativeTimesColumnSums} give one after the other —
 * inputs of one vector up to past a k block, with and without a partial vector; outputs from 1 to past the GEMM's
 * k block (X̄'s product in one and in several k blocks); 2 to 515 rows (eight-row tiles, then four and single rows,
 * and more rows than the GEMM's row block); products read in place and through the packing panel; X inside a larger
 * array; θ̄ accumulated onto earlier values; with and without the layer's own bias sums. The calls it does not take
 * are left untouched; nothing is allocated once warm.
 */
class DenseVjpThroughTanhGemmTest {
    private static final int L = Simd.LANES;
    private static final int W_OFF = 3;

    @Test
    void givesTheBitsOfTheVjpAndTheDerivativePass() {
        SplittableRandom rnd = new SplittableRandom(103);
        int cases = 0;
        try {
            Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1)); // every product on the Java kernels
            int[][] shapes = {{L, 1}, {L, 7}, {2 * L, 3}, {3 * L, 2}, {L + 3, 5}, {4 * L + 5, 32}, {64, 64},
                    {3 * L, 3 * L}, {256, 32}, {32 * L, 32 * L}, {300, 131}, {40, 300}};
            for (int[] s : shapes) {
                for (int rows : new int[] {2, 3, 7, 8, 9, 17, 33, 256}) {
                    if ((long) rows * s[0] * s[1] > 1 << 22) continue;
                    check(rnd, s[0], s[1], rows, (rows + s[1]) % 2 == 0, rows % 3 != 0);
                    cases++;
                }
            }
            check(rnd, 2 * L, 5, 515, true, true); // more rows than the GEMM's row block (MC)
            check(rnd, 3 * L + 1, 9, 1027, false, true);
            cases += 2;
        } finally {
            Gemm.resetThresholds();
        }
        assertTrue(cases >= 80, "cases " + cases);
        check(rnd, 256, 256, 256, true, true); // the d32_h256_b256 hidden layer, under the rule in force
        check(rnd, 256, 32, 256, true, false);
    }

    @Test
    void callsOffThePathAreLeftToTheCaller() {
        SplittableRandom rnd = new SplittableRandom(107);
        // an input under one vector, a single row, no parameter gradient
        assertRefused(rnd, L - 1, 8, 64, true);
        assertRefused(rnd, 64, 64, 1, true);
        assertRefused(rnd, 64, 64, 64, false);
        try {
            Gemm.setThresholds(Gemm.thresholds().withMinBlasVjpRows(Integer.MAX_VALUE));
            assertRefused(rnd, 64, 64, 256, true); // the row rule's block: Java row by row
        } finally {
            Gemm.resetThresholds();
        }
        if (dev.panode.blas.Blas.isAvailable()) {
            try {
                Gemm.setThresholds(new GemmThresholds(0, 0));
                assertRefused(rnd, 64, 64, 256, true); // the products on OpenBLAS
            } finally {
                Gemm.resetThresholds();
            }
        }
    }

    @Test
    void nothingIsAllocatedOnceWarm() {
        SplittableRandom rnd = new SplittableRandom(109);
        int in = 8 * L, out = 8 * L, rows = 64, bOff = W_OFF + out * in, below = bOff + out;
        double[] theta = TestData.uniform(rnd, bOff + out, 0.3);
        double[] tb = new double[below + in];
        double[] ub = TestData.uniform(rnd, rows * out, 1.0), x = TestData.uniform(rnd, rows * in, 0.9);
        double[] xb = new double[rows * in];
        DenseVjpKernel k = DenseVjpKernel.of(in, out);
        try {
            Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1));
            Allocations.assertNoAllocation("backward through tanh, GEMM form " + rows + "×" + in + "→" + out, 3_000,
                    500, () -> k.backwardThroughTanhGemm(rows, ub, x, 0, theta, W_OFF, tb, bOff, true, below, xb));
        } finally {
            Gemm.resetThresholds();
        }
    }

    /**
     * One call against {@link DenseVjpKernel#backward} and the derivative pass, every element of θ̄ and X̄ compared
     * bit for bit. Ū, W and X get exact zeros of both signs, X holds tanh outputs in (−1, 1) and a ±1 (a derivative
     * of zero); the bias gradient of the layer below sits after b̄.
     */
    private static void check(SplittableRandom rnd, int in, int out, int rows, boolean accumulate, boolean sumBias) {
        String what = rows + "×" + in + "→" + out + (accumulate ? " accumulating" : "")
                + (sumBias ? "" : " no bias sums");
        int bOff = W_OFF + out * in, below = bOff + out + 1;
        double[] theta = TestData.uniform(rnd, bOff + out, 1.0 / Math.sqrt(in));
        double[] ub = TestData.uniform(rnd, rows * out, 1.5), x = TestData.uniform(rnd, rows * in, 0.99);
        ub[0] = 0.0;
        ub[ub.length - 1] = -0.0;
        theta[W_OFF + 1] = -0.0;
        x[x.length / 2] = -0.0;
        x[x.length - 1] = 0.0;
        x[1] = 1.0;
        x[x.length / 3] = -1.0;
        int xOff = accumulate ? 5 : 0;
        double[] xBlock = new double[xOff + x.length + 3];
        System.arraycopy(x, 0, xBlock, xOff, x.length);
        double[] tb = accumulate ? TestData.uniform(rnd, below + in + 2, 0.5) : new double[below + in + 2];
        double[] tbExpected = tb.clone();
        double[] xb = new double[rows * in], xbExpected = new double[rows * in];
        DenseVjpKernel k = DenseVjpKernel.of(in, out);
        assertTrue(k.backwardThroughTanhGemm(rows, ub, xBlock, xOff, theta, W_OFF, tb, bOff, sumBias, below, xb),
                what);

        k.backward(rows, ub, xBlock, xOff, theta, W_OFF, tbExpected, bOff, sumBias, xbExpected, k.newWorkspace());
        ActivationKernel.TANH.derivativeTimesColumnSums(xBlock, xOff, xBlock, xOff, xbExpected, 0, rows, in,
                tbExpected, below);
        assertBits(tbExpected, tb, "θ̄ " + what);
        assertBits(xbExpected, xb, "x̄ " + what);
    }

    private static void assertRefused(SplittableRandom rnd, int in, int out, int rows, boolean gradient) {
        String what = rows + "×" + in + "→" + out + (gradient ? "" : " without θ̄");
        double[] theta = TestData.uniform(rnd, W_OFF + in * out + out, 1.0);
        double[] ub = TestData.uniform(rnd, rows * out, 1.0), x = TestData.uniform(rnd, rows * in, 0.9);
        double[] tb = TestData.uniform(rnd, theta.length + in, 0.5), tbStart = tb.clone();
        double[] xb = new double[rows * in];
        DenseVjpKernel k = DenseVjpKernel.of(in, out);
        assertFalse(k.backwardThroughTanhGemm(rows, ub, x, 0, theta, W_OFF, gradient ? tb : null, W_OFF + in * out,
                true, theta.length, xb), what);
        assertArrayEquals(tbStart, tb, "θ̄ untouched " + what);
        assertArrayEquals(new double[xb.length], xb, "x̄ untouched " + what);
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
