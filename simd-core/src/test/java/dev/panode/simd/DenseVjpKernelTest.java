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
 * The dense layer's backward kernel against a naive scalar oracle (to rounding) and against the block path it replaces
 * for one row (two Java GEMMs and the column sums: the same bits, zero signs included), on inputs and outputs around
 * one vector width, the narrow-input and narrow-output shapes of small neural ODEs, the MLP shapes and products
 * deeper than one k block of the GEMM; several rows against the block path; W̄ accumulated onto earlier values and X
 * read from inside a larger array;
 * no parameter gradient; a workspace kept across calls while W changes in place; nothing allocated once warm. The
 * dispatcher is held on the Java kernel meanwhile (on some platforms its rule gives these products to OpenBLAS).
 */
class DenseVjpKernelTest {
    private static final int L = Simd.LANES;

    @BeforeEach
    void javaKernelOnly() {
        Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1));
    }

    @AfterEach
    void ruleInForce() {
        Gemm.resetThresholds();
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
        // a product past ALIGN_MIN_WORK: the GEMM's k blocks follow its packing panel
        check(rnd, 300, 260, 1, true);
        check(rnd, 520, 130, 1, false);
        assertTrue(cases > 300, "cases " + cases);
    }

    @Test
    void blocksOfRowsGiveTheBitsOfTheGemmsAndAgreeWithTheOracle() {
        SplittableRandom rnd = new SplittableRandom(43);
        int cases = 0;
        for (int rows : new int[] {2, 3, 4, 5, 7, 16, 33}) { // narrow inputs: the block path; the rest: the GEMMs
            for (int in : INS) {
                for (int out : OUTS) {
                    check(rnd, in, out, rows, (in + out + rows) % 2 == 0);
                    cases++;
                }
            }
        }
        // the largest small block, and a block past it (the GEMMs' k blocks, each a narrow block)
        check(rnd, 2, 50, DenseVjpKernel.BLOCK_ROWS, true);
        check(rnd, 2, 50, DenseVjpKernel.BLOCK_ROWS + 1, true);
        assertTrue(cases > 1000, "cases " + cases);
    }

    /**
     * A narrow input over more rows than a small block (a 2-D ODE's batch of 1,024): W̄'s product in the GEMM's k
     * blocks of {@link GemmKernel#KC} rows, each block's chains added to W̄ in turn, X̄ by the GEMM's dot products,
     * b̄ row by row; bit for bit the GEMMs', below and past {@link GemmKernel#ALIGN_MIN_WORK} (whose panel keeps the
     * same k blocks for an input this narrow), a last partial k block, one row past it.
     */
    @Test
    void tallBlocksOfANarrowInputGiveTheBitsOfTheGemms() {
        SplittableRandom rnd = new SplittableRandom(47);
        int cases = 0;
        for (int in : new int[] {1, 2, 3, L - 1}) {
            if (in < 1 || in >= L) continue;
            for (int out : new int[] {L, 3 * L + 2, 50, 64, 130, 300}) {
                for (int rows : new int[] {DenseVjpKernel.BLOCK_ROWS + 1, GemmKernel.KC, GemmKernel.KC + 1, 300, 1024,
                        1027}) {
                    check(rnd, in, out, rows, (in + out + rows) % 2 == 0);
                    cases++;
                }
            }
        }
        assertTrue(cases >= 72, "cases " + cases);
    }

    @Test
    void withoutParameterGradientOnlyXBarIsWritten() {
        SplittableRandom rnd = new SplittableRandom(47);
        for (int[] s : new int[][] {{2, 50}, {50, 50}, {50, 2}, {3, 3}}) {
            int in = s[0], out = s[1];
            double[] theta = TestData.uniform(rnd, W_OFF + in * out + out, 1.0);
            double[] ub = TestData.uniform(rnd, out, 1.0), x = TestData.uniform(rnd, in, 1.0);
            double[] xb = new double[in], expected = new double[in];
            DenseVjpKernel k = DenseVjpKernel.of(in, out);
            k.backward(1, ub, x, 0, theta, W_OFF, null, W_OFF + in * out, xb, k.newWorkspace());
            Gemm.dgemmJava(Transpose.NO, Transpose.NO, 1, in, out, 1.0, ub, 0, out, theta, W_OFF, in, 0.0,
                    expected, 0, in);
            assertBits(expected, xb, "x̄ " + in + "→" + out);
        }
    }

    /** Without the bias sums b̄ is left alone, and W̄ and x̄ keep their bits, for a single row and for a block. */
    @Test
    void withoutBiasSumsOnlyTheBiasGradientIsLeftAlone() {
        SplittableRandom rnd = new SplittableRandom(61);
        int[][] shapes = {{2, 50, 1}, {50, 50, 1}, {50, 2, 1}, {3, 3, 1}, {5, 40, 9}, {40, 5, 9}, {2, 50, 16}};
        for (int[] s : shapes) {
            int in = s[0], out = s[1], rows = s[2], bOff = W_OFF + in * out;
            double[] theta = TestData.uniform(rnd, bOff + out, 1.0);
            double[] ub = TestData.uniform(rnd, rows * out, 1.0), x = TestData.uniform(rnd, rows * in, 1.0);
            double[] tb = TestData.uniform(rnd, theta.length, 0.5), tbWith = tb.clone(), tbStart = tb.clone();
            double[] xb = new double[rows * in], xbWith = new double[rows * in];
            DenseVjpKernel k = DenseVjpKernel.of(in, out);
            k.backward(rows, ub, x, 0, theta, W_OFF, tb, bOff, false, xb, k.newWorkspace());
            k.backward(rows, ub, x, 0, theta, W_OFF, tbWith, bOff, xbWith, k.newWorkspace());
            String what = Arrays.toString(s);
            assertBits(xbWith, xb, "x̄ " + what);
            assertBits(Arrays.copyOf(tbWith, bOff), Arrays.copyOf(tb, bOff), "W̄ " + what);
            assertBits(Arrays.copyOfRange(tbStart, bOff, tb.length), Arrays.copyOfRange(tb, bOff, tb.length),
                    "b̄ untouched " + what);
        }
    }

    @Test
    void aKeptWorkspaceFollowsWeightsChangedInPlace() {
        SplittableRandom rnd = new SplittableRandom(59);
        for (int[] s : new int[][] {{2, 50}, {3, L + 2}, {50, 2}}) {
            int in = s[0], out = s[1];
            double[] theta = TestData.uniform(rnd, W_OFF + in * out + out, 1.0);
            double[] ub = TestData.uniform(rnd, out, 1.0), x = TestData.uniform(rnd, in, 1.0);
            DenseVjpKernel k = DenseVjpKernel.of(in, out);
            DenseVjpKernel.Workspace ws = k.newWorkspace();
            for (int change : new int[] {-1, W_OFF, W_OFF + in * out - 1, W_OFF + in * out / 2, W_OFF + 1}) {
                if (change >= 0) theta[change] = change == W_OFF + 1 ? -theta[change] : theta[change] + 0.25;
                double[] xb = new double[in], expected = new double[in];
                k.backward(1, ub, x, 0, theta, W_OFF, null, W_OFF + in * out, xb, ws);
                Gemm.dgemmJava(Transpose.NO, Transpose.NO, 1, in, out, 1.0, ub, 0, out, theta, W_OFF, in, 0.0,
                        expected, 0, in);
                assertBits(expected, xb, "x̄ " + in + "→" + out + " after changing θ[" + change + "]");
            }
        }
    }

    @Test
    void widthsBelowOneAreRefused() {
        assertEquals("in must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DenseVjpKernel.of(0, 3)).getMessage());
        assertEquals("out must be >= 1, got -2",
                assertThrows(IllegalArgumentException.class, () -> DenseVjpKernel.of(3, -2)).getMessage());
    }

    /**
     * Under a row rule (VJPs of fewer than 16 rows on the Java kernels, every product of more rows to OpenBLAS when it
     * is loaded), a block below it is its rows one by one: x̄ bit for bit, and for layers whose single row is not the
     * narrow-input form also W̄ and b̄ (the rows added in order).
     */
    @Test
    void aBlockBelowTheRowRuleIsItsRowsOneByOne() {
        Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 1, 16));
        SplittableRandom rnd = new SplittableRandom(47);
        int cases = 0;
        for (int rows : new int[] {2, 3, 4, 5, 7, 8, 9, 15}) {
            for (int in : INS) {
                for (int out : OUTS) {
                    double[] theta = TestData.uniform(rnd, W_OFF + in * out + out, 1.0 / Math.sqrt(in));
                    double[] ub = TestData.uniform(rnd, rows * out, 1.5), x = TestData.uniform(rnd, rows * in, 2.0);
                    double[] tb = TestData.uniform(rnd, theta.length, 0.5), tbRows = tb.clone();
                    double[] xb = new double[rows * in], xbRow = new double[in];
                    DenseVjpKernel k = DenseVjpKernel.of(in, out);
                    DenseVjpKernel.Workspace ws = k.newWorkspace();
                    int bOff = W_OFF + in * out;
                    k.backward(rows, ub, x, 0, theta, W_OFF, tb, bOff, xb, ws);
                    String what = rows + "×" + in + "→" + out;
                    for (int r = 0; r < rows; r++) {
                        k.backward(1, Arrays.copyOfRange(ub, r * out, (r + 1) * out), x, r * in, theta, W_OFF, tbRows,
                                bOff, xbRow, ws);
                        assertBits(xbRow, Arrays.copyOfRange(xb, r * in, (r + 1) * in), "x̄ row " + r + " " + what);
                    }
                    if (!(in < L && out >= L)) assertBits(tbRows, tb, "θ̄ " + what);
                    cases++;
                }
            }
        }
        assertTrue(cases > 1000, "cases " + cases);
    }

    @Test
    void nothingIsAllocatedOnceWarm() {
        SplittableRandom rnd = new SplittableRandom(53);
        // one row: every form; 16 rows: the narrow inputs' block path (wider blocks are the GEMMs')
        for (int[] s : new int[][] {{1, 2, 50}, {1, 50, 50}, {1, 50, 2}, {16, 2, 50}, {16, 1, 12}, {16, 4, 20},
                {300, 2, 64}, // a tall block of a narrow input: the GEMM's k blocks, each a narrow block
                {-7, 50, 50}, {-6, 50, 2}, {-5, 20, 13}}) { // negative: that many rows under a row rule of 16
            Gemm.setThresholds(s[0] < 0 ? new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, 1, 16)
                    : new GemmThresholds(Long.MAX_VALUE, 1));
            int rows = Math.abs(s[0]), in = s[1], out = s[2];
            double[] theta = TestData.uniform(rnd, W_OFF + in * out + out, 1.0);
            double[] tb = new double[theta.length];
            double[] ub = TestData.uniform(rnd, rows * out, 1.0), x = TestData.uniform(rnd, rows * in, 1.0);
            double[] xb = new double[rows * in];
            DenseVjpKernel k = DenseVjpKernel.of(in, out);
            DenseVjpKernel.Workspace ws = k.newWorkspace();
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
        double[] theta = TestData.uniform(rnd, bOff + out + 3, 1.0 / Math.sqrt(in));
        double[] ub = TestData.uniform(rnd, rows * out, 1.5), x = TestData.uniform(rnd, rows * in, 2.0);
        ub[0] = 0.0;
        ub[ub.length - 1] = -0.0;
        x[x.length / 2] = -0.0;
        int xOff = accumulate ? 3 : 0; // X inside a larger block (a layer's saved output)
        double[] xBlock = new double[xOff + x.length + 2];
        System.arraycopy(x, 0, xBlock, xOff, x.length);
        double[] tb = accumulate ? TestData.uniform(rnd, theta.length, 0.5) : new double[theta.length];
        double[] tbExpected = tb.clone(), tbStart = tb.clone();
        double[] xb = new double[rows * in], xbExpected = new double[rows * in];

        DenseVjpKernel k = DenseVjpKernel.of(in, out);
        k.backward(rows, ub, xBlock, xOff, theta, W_OFF, tb, bOff, xb, k.newWorkspace());

        Gemm.dgemmJava(Transpose.YES, Transpose.NO, out, in, rows, 1.0, ub, 0, out, x, 0, in, 1.0,
                tbExpected, W_OFF, in);
        ColumnSums.accumulate(ub, 0, rows, out, tbExpected, bOff);
        Gemm.dgemmJava(Transpose.NO, Transpose.NO, rows, in, out, 1.0, ub, 0, out, theta, W_OFF, in, 0.0,
                xbExpected, 0, in);
        assertBits(tbExpected, tb, "θ̄ " + what);
        assertBits(xbExpected, xb, "x̄ " + what);

        // the oracle: W̄_pi += Σ_r ū_rp·x_ri, b̄_p += Σ_r ū_rp, x̄_ri = Σ_p ū_rp·W_pi
        for (int p = 0; p < out; p++) {
            double bSum = tbStart[bOff + p];
            for (int r = 0; r < rows; r++) bSum += ub[r * out + p];
            assertClose(bSum, tb[bOff + p], 1.0, "b̄[" + p + "] " + what);
            for (int i = 0; i < in; i++) {
                double s = tbStart[W_OFF + p * in + i];
                double scale = Math.abs(s);
                for (int r = 0; r < rows; r++) {
                    s += ub[r * out + p] * x[r * in + i];
                    scale += Math.abs(ub[r * out + p] * x[r * in + i]);
                }
                assertClose(s, tb[W_OFF + p * in + i], scale, "W̄[" + p + "][" + i + "] " + what);
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double s = 0.0, scale = 0.0;
                for (int p = 0; p < out; p++) {
                    s += ub[r * out + p] * theta[W_OFF + p * in + i];
                    scale += Math.abs(ub[r * out + p] * theta[W_OFF + p * in + i]);
                }
                assertClose(s, xb[r * in + i], scale, "x̄[" + r + "][" + i + "] " + what);
            }
        }
        for (int j = 0; j < W_OFF; j++) assertEquals(tbStart[j], tb[j], "θ̄ before W untouched, " + what);
        assertEquals(tbStart[bOff - 1], tb[bOff - 1], "θ̄ between W and b untouched, " + what);
    }

    private static void assertClose(double expected, double actual, double scale, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-13 * Math.max(scale, 1e-300) + Double.MIN_NORMAL,
                what + ": expected " + expected + ", got " + actual);
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
