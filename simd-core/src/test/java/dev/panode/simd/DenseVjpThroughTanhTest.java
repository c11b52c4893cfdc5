package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import dev.panode.blas.testing.Allocations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DenseVjpKernel#backwardThroughTanh}, the output layer of a 2-D ODE and the tanh derivative below it in one
 * pass: bit for bit (zero signs included) what the Java GEMMs, the column sums and
 * {@link ActivationKernel#derivativeTimesColumnSums} give one after the other, for blocks of 1 to 64 rows, inputs from
 * two vectors up to past the GEMM's packing panel, X inside a larger array, W̄ accumulated onto earlier values, with
 * and without the layer's own bias sums; whatever dispatch rule is in force (the pass never calls a GEMM); the
 * shapes and blocks it does not take are left untouched; nothing allocated once warm.
 */
class DenseVjpThroughTanhTest {
    private static final int L = Simd.LANES;
    private static final int W_OFF = 3;

    @Test
    void givesTheBitsOfTheGemmsAndTheDerivativePass() {
        SplittableRandom rnd = new SplittableRandom(71);
        int cases = 0;
        for (int in : new int[] {2 * L, 2 * L + 1, 2 * L + 3, 3 * L, 4 * L + 5, 50, 64, 129, 300}) {
            for (int rows : new int[] {1, 2, 3, 4, 5, 7, 8, 16, 33, DenseVjpKernel.BLOCK_ROWS}) {
                check(rnd, in, rows, (in + rows) % 2 == 0, rows % 3 != 0);
                cases++;
            }
        }
        assertTrue(cases >= 90, "cases " + cases);
    }

    @Test
    void theDispatchRuleInForceDoesNotChangeTheBits() {
        SplittableRandom rnd = new SplittableRandom(73);
        try {
            Gemm.setThresholds(new GemmThresholds(0, 0));
            check(rnd, 50, 16, true, true);
            check(rnd, 50, 5, false, false);
        } finally {
            Gemm.resetThresholds();
        }
    }

    @Test
    void otherShapesAndBlocksAreLeftToTheCaller() {
        SplittableRandom rnd = new SplittableRandom(79);
        // out ≠ 2, an input under two vectors, more rows than a small block, a block deeper than the packing panel's
        // k block (1,030 inputs: 63 rows), no parameter gradient
        int[][] refused = {{50, 3, 16}, {50, 1, 16}, {2 * L - 1, 2, 16}, {L, 2, 4}, {50, 2,
                DenseVjpKernel.BLOCK_ROWS + 1}, {1030, 2, 64}, {50, 2, 0}};
        for (int[] s : refused) {
            int in = s[0], out = s[1], rows = s[2];
            double[] theta = TestData.uniform(rnd, W_OFF + in * out + out, 1.0);
            double[] ub = TestData.uniform(rnd, Math.max(1, rows) * out, 1.0);
            double[] x = TestData.uniform(rnd, Math.max(1, rows) * in, 0.9);
            double[] tb = TestData.uniform(rnd, theta.length + in, 0.5), tbStart = tb.clone();
            double[] xb = new double[Math.max(1, rows) * in];
            DenseVjpKernel k = DenseVjpKernel.of(in, out);
            assertFalse(k.backwardThroughTanh(rows, ub, x, 0, theta, W_OFF, tb, W_OFF + in * out, true,
                    theta.length, xb), java.util.Arrays.toString(s));
            assertArrayEquals(tbStart, tb, "θ̄ untouched " + java.util.Arrays.toString(s));
            assertArrayEquals(new double[xb.length], xb, "x̄ untouched " + java.util.Arrays.toString(s));
        }
        DenseVjpKernel k = DenseVjpKernel.of(50, 2);
        assertFalse(k.backwardThroughTanh(16, new double[32], new double[800], 0, new double[W_OFF + 102], W_OFF,
                null, W_OFF + 100, true, W_OFF + 102, new double[800]), "no parameter gradient");
        assertEquals(63, Math.min(DenseVjpKernel.BLOCK_ROWS, GemmKernel.PACK_CAPACITY / 1032),
                "the 1,030-input case above is a block deeper than the panel's k block");
    }

    /**
     * {@link DenseVjpKernel#backwardThroughTanhTall}: bit for bit (zero signs included) what
     * {@link DenseVjpKernel#backward} and {@link ActivationKernel#derivativeTimesColumnSums} give one after the other,
     * for batches taller than the one-pass blocks (a 2-D ODE's batch of 1,024 among them; W̄'s chains cut into the
     * GEMM's k blocks), inputs of two to eight whole vectors, 64 and 520, X inside a larger array, θ̄ accumulated onto
     * earlier values, with and without the layer's own bias sums.
     */
    @Test
    void tallBlocksGiveTheBitsOfTheVjpAndTheDerivativePass() {
        SplittableRandom rnd = new SplittableRandom(89);
        int cases = 0;
        try {
            Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1)); // every product on the Java kernels
            // 520 inputs: the aligned panel's k blocks of 126 rows; 2·L over 100 rows: a product too small to align
            for (int in : new int[] {2 * L, 3 * L, 5 * L, 8 * L, 64, 520}) {
                if (in % L != 0) continue;
                for (int rows : new int[] {DenseVjpKernel.BLOCK_ROWS + 1, 100, 257, 1024, 1027}) {
                    assertTrue(checkTall(rnd, in, rows, (in + rows) % 2 == 0, rows % 3 != 0));
                    cases++;
                }
            }
        } finally {
            Gemm.resetThresholds();
        }
        assertTrue(cases >= 20, "cases " + cases);
        checkTall(rnd, 64, 1024, true, true); // under the rule in force, where it keeps Ū·W on the Java kernel
    }

    @Test
    void tallBlocksAreLeftToTheCallerWhereTheBitsWouldNotBeTheJavaProducts() {
        SplittableRandom rnd = new SplittableRandom(97);
        // a partial vector of inputs (the GEMM's masked kernel), out ≠ 2, under two vectors of inputs
        int[][] refused = {{2 * L + 1, 2, 1024}, {64, 3, 1024}, {L, 2, 1024}};
        for (int[] s : refused) assertRefusedTall(rnd, s[0], s[1], s[2], true);
        assertRefusedTall(rnd, 64, 2, 1024, false);
        try {
            Gemm.setThresholds(Gemm.thresholds().withMinBlasVjpRows(Integer.MAX_VALUE));
            assertRefusedTall(rnd, 64, 2, 1024, true); // the row rule's block: Java row by row, other bits
        } finally {
            Gemm.resetThresholds();
        }
        if (dev.panode.blas.Blas.isAvailable()) {
            try {
                Gemm.setThresholds(new GemmThresholds(0, 0));
                assertRefusedTall(rnd, 64, 2, 1024, true); // Ū·W on OpenBLAS
            } finally {
                Gemm.resetThresholds();
            }
        }
    }

    @Test
    void tallBlocksAllocateNothingOnceWarm() {
        SplittableRandom rnd = new SplittableRandom(101);
        int in = 8 * L, rows = 256, bOff = W_OFF + 2 * in, below = bOff + 2;
        double[] theta = TestData.uniform(rnd, bOff + 2, 1.0);
        double[] tb = new double[below + in];
        double[] ub = TestData.uniform(rnd, rows * 2, 1.0), x = TestData.uniform(rnd, rows * in, 0.9);
        double[] xb = new double[rows * in];
        DenseVjpKernel k = DenseVjpKernel.of(in, 2);
        Allocations.assertNoAllocation("backward through tanh 256×" + in + "→2", 3_000, 500,
                () -> k.backwardThroughTanhTall(rows, ub, x, 0, theta, W_OFF, tb, bOff, true, below, xb));
    }

    private static void assertRefusedTall(SplittableRandom rnd, int in, int out, int rows, boolean gradient) {
        String what = rows + "×" + in + "→" + out + (gradient ? "" : " without θ̄");
        double[] theta = TestData.uniform(rnd, W_OFF + in * out + out, 1.0);
        double[] ub = TestData.uniform(rnd, rows * out, 1.0), x = TestData.uniform(rnd, rows * in, 0.9);
        double[] tb = TestData.uniform(rnd, theta.length + in, 0.5), tbStart = tb.clone();
        double[] xb = new double[rows * in];
        DenseVjpKernel k = DenseVjpKernel.of(in, out);
        assertFalse(k.backwardThroughTanhTall(rows, ub, x, 0, theta, W_OFF, gradient ? tb : null, W_OFF + in * out,
                true, theta.length, xb), what);
        assertArrayEquals(tbStart, tb, "θ̄ untouched " + what);
        assertArrayEquals(new double[xb.length], xb, "x̄ untouched " + what);
    }

    /** One tall call against the layer's own VJP and the derivative pass, as {@link #check} does for a block. */
    private static boolean checkTall(SplittableRandom rnd, int in, int rows, boolean accumulate, boolean sumBias) {
        Case c = Case.of(rnd, in, rows, accumulate, sumBias, true);
        DenseVjpKernel k = DenseVjpKernel.of(in, 2);
        if (!k.backwardThroughTanhTall(rows, c.ub, c.xBlock, c.xOff, c.theta, W_OFF, c.tb, c.bOff, sumBias, c.below,
                c.xb)) {
            return false;
        }

        k.backward(rows, c.ub, c.xBlock, c.xOff, c.theta, W_OFF, c.tbExpected, c.bOff, sumBias, c.xbExpected,
                k.newWorkspace());
        c.assertDerivativePassGives();
        return true;
    }

    @Test
    void nothingIsAllocatedOnceWarm() {
        SplittableRandom rnd = new SplittableRandom(83);
        int in = 50, rows = 16, bOff = W_OFF + 2 * in, below = bOff + 2;
        double[] theta = TestData.uniform(rnd, bOff + 2, 1.0);
        double[] tb = new double[below + in];
        double[] ub = TestData.uniform(rnd, rows * 2, 1.0), x = TestData.uniform(rnd, rows * in, 0.9);
        double[] xb = new double[rows * in];
        DenseVjpKernel k = DenseVjpKernel.of(in, 2);
        Allocations.assertNoAllocation("backward through tanh 16×50→2", 30_000, 2_000,
                () -> k.backwardThroughTanh(rows, ub, x, 0, theta, W_OFF, tb, bOff, true, below, xb));
    }

    /**
     * One fused call against the Java GEMMs, the column sums and the derivative pass, bit for bit. Ū and X get exact
     * zeros of both signs; X holds tanh outputs in (−1, 1); the bias gradient of the layer below sits after b̄.
     */
    private static void check(SplittableRandom rnd, int in, int rows, boolean accumulate, boolean sumBias) {
        Case c = Case.of(rnd, in, rows, accumulate, sumBias, false);
        DenseVjpKernel k = DenseVjpKernel.of(in, 2);
        assertTrue(k.backwardThroughTanh(rows, c.ub, c.xBlock, c.xOff, c.theta, W_OFF, c.tb, c.bOff, sumBias, c.below,
                c.xb), c.what);

        Gemm.dgemmJava(Transpose.YES, Transpose.NO, 2, in, rows, 1.0, c.ub, 0, 2, c.x, 0, in, 1.0, c.tbExpected, W_OFF,
                in);
        if (sumBias) ColumnSums.accumulate(c.ub, 0, rows, 2, c.tbExpected, c.bOff);
        Gemm.dgemmJava(Transpose.NO, Transpose.NO, rows, in, 2, 1.0, c.ub, 0, 2, c.theta, W_OFF, in, 0.0, c.xbExpected,
                0, in);
        c.assertDerivativePassGives();
    }

    /**
     * One case's data: θ with the layer's W at {@code W_OFF} and b after it, Ū, X (tanh outputs, exact zeros of both
     * signs) at {@code xOff} inside a larger block, θ̄ (random when accumulating) and X̄, each with its expected copy.
     * A tall case also puts signed zeros into Ū and W and a 1 into X, where the tall pass's k blocks meet them.
     */
    private record Case(String what, int rows, int in, int bOff, int below, double[] theta, double[] ub, double[] x,
                        double[] xBlock, int xOff, double[] tb, double[] tbExpected, double[] xb,
                        double[] xbExpected) {
        static Case of(SplittableRandom rnd, int in, int rows, boolean accumulate, boolean sumBias, boolean tall) {
            String what = rows + "×" + in + "→2" + (accumulate ? " accumulating" : "")
                    + (sumBias ? "" : " no bias sums");
            int bOff = W_OFF + 2 * in, below = bOff + 2 + 1;
            double[] theta = TestData.uniform(rnd, bOff + 2, 1.0 / Math.sqrt(in));
            double[] ub = TestData.uniform(rnd, rows * 2, 1.5), x = TestData.uniform(rnd, rows * in, 0.99);
            ub[0] = 0.0;
            ub[ub.length - 1] = -0.0;
            x[x.length / 2] = -0.0;
            x[x.length - 1] = 0.0;
            if (tall) {
                ub[7] = -0.0;
                theta[W_OFF + 1] = -0.0;
                x[3] = 1.0;
            }
            int xOff = accumulate ? 5 : 0;
            double[] xBlock = new double[xOff + x.length + 3];
            System.arraycopy(x, 0, xBlock, xOff, x.length);
            double[] tb = accumulate ? TestData.uniform(rnd, below + in + 2, 0.5) : new double[below + in + 2];
            return new Case(what, rows, in, bOff, below, theta, ub, x, xBlock, xOff, tb, tb.clone(),
                    new double[rows * in], new double[rows * in]);
        }

        /** The derivative pass after the expected products, then every element of θ̄ and X̄ compared bit for bit. */
        void assertDerivativePassGives() {
            ActivationKernel.TANH.derivativeTimesColumnSums(xBlock, xOff, xBlock, xOff, xbExpected, 0, rows, in,
                    tbExpected, below);
            assertBits(tbExpected, tb, "θ̄ " + what);
            assertBits(xbExpected, xb, "x̄ " + what);
        }
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
