package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import dev.panode.blas.testing.Allocations;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The float dense layer's backward kernel against a naive scalar oracle (to rounding) and against the block path it replaces
 * for one row (two Java GEMMs and the column sums: the same bits, zero signs included), on inputs and outputs around
 * one float vector width, the narrow-input and narrow-output shapes of small neural ODEs, the MLP shapes and products
 * deeper than one k block of the GEMM; several rows against the block path; W̄ accumulated onto earlier values and X
 * read from inside a larger array;
 * no parameter gradient; a workspace kept across calls while W changes in place; nothing allocated once warm. The
 * float dispatcher is held on the Java kernel meanwhile (on some platforms its rule gives these products to OpenBLAS).
 */
class DenseVjpKernelF32Test {
    private static final int L = Simd.FLOAT_LANES;

    @BeforeEach
    void javaKernelOnly() {
        GemmF32.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1));
    }

    @AfterEach
    void ruleInForce() {
        GemmF32.resetThresholds();
    }

    private static final int[] INS = {1, 2, 3, 4, 5, L - 1, L, L + 1, 2 * L + 3, 4 * L, 4 * L + 5, 50, 64, 129};
    private static final int[] OUTS = {1, 2, 3, L - 1, L, L + 1, 3 * L + 2, 50, 128, 129, 300};
    private static final int W_OFF = 5;

    @Test
    void oneRowGivesTheBitsOfTheBlockPathAndAgreesWithTheOracle() {
        SplittableRandom rnd = new SplittableRandom(41);
        int cases = 0;
        for (int in : INS) {
            for (int out : OUTS) {
                for (int trial = 0; trial < 2; trial++) {
                    check(rnd, in, out, 1, trial == 1);
                    cases++;
                }
            }
        }
        // products deeper than one k block of the GEMM
        check(rnd, 300, 260, 1, true);
        check(rnd, 20, 300, 1, false);
        assertTrue(cases > 300, "cases " + cases);
    }

    @Test
    void blocksOfRowsKeepTheBlockPath() {
        SplittableRandom rnd = new SplittableRandom(43);
        for (int rows : new int[] {2, 3, 4, 5, 16}) {
            for (int[] s : new int[][] {{2, 50}, {50, 50}, {50, 2}, {L + 1, 3}}) check(rnd, s[0], s[1], rows, true);
        }
    }

    /**
     * A block of a two-input layer (the first layer of a 2-D ODE over a batch, its own pass): the Java GEMMs' bits for
     * every width of the outputs' last partial vector, 2 to 300 rows (the column form's chains are not cut into k
     * blocks), W̄ accumulated or not.
     */
    @Test
    void twoInputBlocksGiveTheBitsOfTheJavaGemms() {
        SplittableRandom rnd = new SplittableRandom(61);
        int cases = 0;
        for (int out = L; out < 5 * L; out++) {
            for (int rows : new int[] {2, 3, 5, 20}) {
                check(rnd, 2, out, rows, (out + rows) % 2 == 0);
                cases++;
            }
        }
        for (int rows : new int[] {4, 7, 8, 64, 65, 130, 300}) {
            check(rnd, 2, 50, rows, rows % 2 == 0);
            check(rnd, 2, 3 * L, rows, rows % 2 != 0);
            cases += 2;
        }
        assertTrue(cases >= 16 * L + 14, "cases " + cases); // every tail width: a count that follows the lanes
    }

    /**
     * The two-input block with subnormal, tiny and signed-zero values: products that underflow to ±0 and to
     * subnormals, in every lane of W̄'s rows and in x̄'s dot products, the Java GEMMs' bits.
     */
    @Test
    void twoInputBlocksKeepTheBitsOfUnderflowingProducts() {
        SplittableRandom rnd = new SplittableRandom(67);
        float[] specials = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-25f, -1e-25f, 3e-20f};
        for (int out : new int[] {L, 50, 3 * L + 1}) {
            for (int rows : new int[] {2, 9, 20}) {
                float[] theta = DenseKernelF32Test.floats(rnd, W_OFF + 3 * out, 1.0);
                float[] ub = DenseKernelF32Test.floats(rnd, rows * out, 1.0), x = DenseKernelF32Test.floats(rnd, rows * 2, 1.0);
                for (int i = 0; i < ub.length; i += 3) ub[i] = specials[rnd.nextInt(specials.length)];
                for (int i = 0; i < x.length; i += 2) x[i] = specials[rnd.nextInt(specials.length)];
                for (int i = W_OFF; i < W_OFF + 2 * out; i += 4) theta[i] = specials[rnd.nextInt(specials.length)];
                float[] tb = DenseKernelF32Test.floats(rnd, theta.length, 1e-30), tbExpected = tb.clone();
                // X̄ starts with other values (β = 0 overwrites them)
                float[] xb = DenseKernelF32Test.floats(rnd, rows * 2, 5.0), xbExpected = new float[rows * 2];
                DenseVjpKernelF32 k = DenseVjpKernelF32.of(2, out);
                k.backward(rows, ub, x, 0, theta, W_OFF, tb, W_OFF + 2 * out, xb, k.newWorkspace());
                GemmF32.sgemmJava(Transpose.YES, Transpose.NO, out, 2, rows, 1.0f, ub, 0, out, x, 0, 2, 1.0f,
                        tbExpected, W_OFF, 2);
                ColumnSums.accumulate(ub, 0, rows, out, tbExpected, W_OFF + 2 * out);
                GemmF32.sgemmJava(Transpose.NO, Transpose.NO, rows, 2, out, 1.0f, ub, 0, out, theta, W_OFF, 2, 0.0f,
                        xbExpected, 0, 2);
                String what = rows + "×2→" + out + " with underflowing products";
                assertBits(tbExpected, tb, "θ̄ " + what);
                assertBits(xbExpected, xb, "x̄ " + what);
            }
        }
    }

    /**
     * Under a row rule (VJPs of fewer than 4 rows on the Java kernels, every product of more rows to OpenBLAS when it
     * is loaded), a row of a block of two or three rows has the x̄ it has alone.
     */
    @Test
    void aRowInABlockBelowTheRowRuleHasItsBitsAlone() {
        GemmF32.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 1, 4));
        SplittableRandom rnd = new SplittableRandom(47);
        for (int rows : new int[] {2, 3}) {
            for (int in : INS) {
                for (int out : OUTS) {
                    float[] theta = DenseKernelF32Test.floats(rnd, W_OFF + in * out + out, 1.0 / Math.sqrt(in));
                    float[] ub = DenseKernelF32Test.floats(rnd, rows * out, 1.5);
                    float[] x = DenseKernelF32Test.floats(rnd, rows * in, 2.0);
                    float[] xb = new float[rows * in], xbRow = new float[in];
                    DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
                    DenseVjpKernelF32.Workspace ws = k.newWorkspace();
                    int bOff = W_OFF + in * out;
                    k.backward(rows, ub, x, 0, theta, W_OFF, new float[theta.length], bOff, xb, ws);
                    for (int r = 0; r < rows; r++) {
                        k.backward(1, Arrays.copyOfRange(ub, r * out, (r + 1) * out), x, r * in, theta, W_OFF,
                                new float[theta.length], bOff, xbRow, ws);
                        assertBits(xbRow, Arrays.copyOfRange(xb, r * in, (r + 1) * in),
                                "x̄ row " + r + " of " + rows + "×" + in + "→" + out);
                    }
                }
            }
        }
    }

    @Test
    void withoutParameterGradientOnlyXBarIsWritten() {
        SplittableRandom rnd = new SplittableRandom(47);
        for (int[] s : new int[][] {{2, 50}, {50, 50}, {50, 2}, {3, 3}}) {
            int in = s[0], out = s[1];
            float[] theta = DenseKernelF32Test.floats(rnd, W_OFF + in * out + out, 1.0);
            float[] ub = DenseKernelF32Test.floats(rnd, out, 1.0), x = DenseKernelF32Test.floats(rnd, in, 1.0);
            float[] xb = new float[in], expected = new float[in];
            DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
            k.backward(1, ub, x, 0, theta, W_OFF, null, W_OFF + in * out, xb, k.newWorkspace());
            GemmF32.sgemmJava(Transpose.NO, Transpose.NO, 1, in, out, 1.0f, ub, 0, out, theta, W_OFF, in, 0.0f,
                    expected, 0, in);
            assertBits(expected, xb, "x̄ " + in + "→" + out);
        }
    }

    @Test
    void aKeptWorkspaceFollowsWeightsChangedInPlace() {
        SplittableRandom rnd = new SplittableRandom(59);
        for (int[] s : new int[][] {{2, 50, 1}, {3, L + 2, 1}, {50, 2, 1}, {2, 50, 20}}) {
            int in = s[0], out = s[1], rows = s[2];
            float[] theta = DenseKernelF32Test.floats(rnd, W_OFF + in * out + out, 1.0);
            float[] ub = DenseKernelF32Test.floats(rnd, rows * out, 1.0), x = DenseKernelF32Test.floats(rnd, rows * in, 1.0);
            DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
            DenseVjpKernelF32.Workspace ws = k.newWorkspace();
            for (int change : new int[] {-1, W_OFF, W_OFF + in * out - 1, W_OFF + in * out / 2, W_OFF + 1}) {
                if (change >= 0) theta[change] = change == W_OFF + 1 ? -theta[change] : theta[change] + 0.25f;
                float[] xb = new float[rows * in], expected = new float[rows * in];
                k.backward(rows, ub, x, 0, theta, W_OFF, null, W_OFF + in * out, xb, ws);
                GemmF32.sgemmJava(Transpose.NO, Transpose.NO, rows, in, out, 1.0f, ub, 0, out, theta, W_OFF, in, 0.0f,
                        expected, 0, in);
                assertBits(expected, xb, "x̄ " + in + "→" + out + " after changing θ[" + change + "]");
            }
        }
    }

    @Test
    void widthsBelowOneAreRefused() {
        assertEquals("in must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DenseVjpKernelF32.of(0, 3)).getMessage());
        assertEquals("out must be >= 1, got -2",
                assertThrows(IllegalArgumentException.class, () -> DenseVjpKernelF32.of(3, -2)).getMessage());
    }

    @Test
    void nothingIsAllocatedOnceWarm() {
        SplittableRandom rnd = new SplittableRandom(53);
        for (int[] s : new int[][] {{2, 50, 1}, {50, 50, 1}, {50, 2, 1}, {2, 50, 20}}) {
            int in = s[0], out = s[1], rows = s[2];
            float[] theta = DenseKernelF32Test.floats(rnd, W_OFF + in * out + out, 1.0);
            float[] tb = new float[theta.length];
            float[] ub = DenseKernelF32Test.floats(rnd, rows * out, 1.0), x = DenseKernelF32Test.floats(rnd, rows * in, 1.0);
            float[] xb = new float[rows * in];
            DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
            DenseVjpKernelF32.Workspace ws = k.newWorkspace();
            Allocations.assertNoAllocation("dense backward " + Arrays.toString(s), 30_000, 2_000,
                    () -> k.backward(rows, ub, x, 0, theta, W_OFF, tb, W_OFF + in * out, xb, ws));
        }
    }

    /**
     * One backward call against the block path (bit for bit, on W̄, b̄ and x̄) and the naive oracle (to rounding).
     * Ū and X get exact zeros of both signs; W̄ starts from earlier values when {@code accumulate}.
     */
    private static void check(SplittableRandom rnd, int in, int out, int rows, boolean accumulate) {
        String what = rows + "×" + in + "→" + out + (accumulate ? " accumulating" : "");
        int bOff = W_OFF + in * out + 1;
        float[] theta = DenseKernelF32Test.floats(rnd, bOff + out + 3, 1.0 / Math.sqrt(in));
        float[] ub = DenseKernelF32Test.floats(rnd, rows * out, 1.5), x = DenseKernelF32Test.floats(rnd, rows * in, 2.0);
        ub[0] = 0.0f;
        ub[ub.length - 1] = -0.0f;
        x[x.length / 2] = -0.0f;
        int xOff = accumulate ? 3 : 0; // X inside a larger block (a layer's saved output)
        float[] xBlock = new float[xOff + x.length + 2];
        System.arraycopy(x, 0, xBlock, xOff, x.length);
        float[] tb = accumulate ? DenseKernelF32Test.floats(rnd, theta.length, 0.5) : new float[theta.length];
        float[] tbExpected = tb.clone(), tbStart = tb.clone();
        float[] xb = new float[rows * in], xbExpected = new float[rows * in];

        DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
        k.backward(rows, ub, xBlock, xOff, theta, W_OFF, tb, bOff, xb, k.newWorkspace());

        GemmF32.sgemmJava(Transpose.YES, Transpose.NO, out, in, rows, 1.0f, ub, 0, out, x, 0, in, 1.0f,
                tbExpected, W_OFF, in);
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < out; p++) tbExpected[bOff + p] += ub[r * out + p];
        }
        GemmF32.sgemmJava(Transpose.NO, Transpose.NO, rows, in, out, 1.0f, ub, 0, out, theta, W_OFF, in, 0.0f,
                xbExpected, 0, in);
        assertBits(tbExpected, tb, "θ̄ " + what);
        assertBits(xbExpected, xb, "x̄ " + what);

        // the oracle: W̄_pi += Σ_r ū_rp·x_ri, b̄_p += Σ_r ū_rp, x̄_ri = Σ_p ū_rp·W_pi
        for (int p = 0; p < out; p++) {
            double bSum = tbStart[bOff + p], bScale = Math.abs(bSum);
            for (int r = 0; r < rows; r++) {
                bSum += ub[r * out + p];
                bScale += Math.abs(ub[r * out + p]);
            }
            assertClose(bSum, tb[bOff + p], bScale, "b̄[" + p + "] " + what);
            for (int i = 0; i < in; i++) {
                double s = tbStart[W_OFF + p * in + i];
                double scale = Math.abs(s);
                for (int r = 0; r < rows; r++) {
                    s += (double) ub[r * out + p] * x[r * in + i];
                    scale += Math.abs((double) ub[r * out + p] * x[r * in + i]);
                }
                assertClose(s, tb[W_OFF + p * in + i], scale, "W̄[" + p + "][" + i + "] " + what);
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double s = 0.0, scale = 0.0;
                for (int p = 0; p < out; p++) {
                    s += (double) ub[r * out + p] * theta[W_OFF + p * in + i];
                    scale += Math.abs((double) ub[r * out + p] * theta[W_OFF + p * in + i]);
                }
                assertClose(s, xb[r * in + i], scale, "x̄[" + r + "][" + i + "] " + what);
            }
        }
        for (int j = 0; j < W_OFF; j++) assertEquals(tbStart[j], tb[j], "θ̄ before W untouched, " + what);
        assertEquals(tbStart[bOff - 1], tb[bOff - 1], "θ̄ between W and b untouched, " + what);
    }

    private static void assertClose(double expected, double actual, double scale, String what) {
        assertTrue(Math.abs(expected - actual) <= 0x1p-13 * Math.max(scale, 1e-30) + Float.MIN_NORMAL,
                what + ": expected " + expected + ", got " + actual);
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
