package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.blas.testing.Allocations;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused dense layer kernel against a naive scalar oracle (the pre-activation to rounding, the activation bit for
 * bit against the activation kernel on that pre-activation) and against the unfused path it replaces
 * ({@link Gemm#dgemm} then {@link ActivationKernel#biasActivate}: the same bits), a block's tail rows against the same
 * rows alone (bit for bit), and the packed Wᵀ kept between calls against a W changed in place, on every form and
 * tail: inputs and outputs around one vector width, the short-input and
 * narrow-output shapes of small neural ODEs, the MLP shapes, row counts around the blocks of four and of the
 * bias-and-activation pass.
 */
class DenseKernelTest {
    private static final int L = Simd.LANES;
    private static final int[] INS = {1, 2, 3, 4, 5, L - 1, L, L + 1, 2 * L + 3, 50, 64, 128, 129};
    private static final int[] OUTS = {1, 2, 3, 4, L - 1, L, L + 1, 3 * L, 4 * L + 1, 50, 64};
    private static final int[] ROWS = {1, 2, 3, 4, 5, 7, 9, 16, 45};
    private static final ActivationKernel[] ACTS = {ActivationKernel.IDENTITY, ActivationKernel.TANH,
            ActivationKernel.RELU, ActivationKernel.SOFTPLUS};
    private static final int W_OFF = 3;

    private record Layer(int in, int out, double[] theta, int bOff) {
        static Layer random(SplittableRandom rnd, int in, int out) {
            int bOff = W_OFF + in * out + 2;
            double[] theta = TestData.uniform(rnd, bOff + out + 1, 1.0 / Math.sqrt(in));
            return new Layer(in, out, theta, bOff);
        }
    }

    @Test
    void everyFormAndTailAgainstTheScalarOracleAndTheUnfusedPath() {
        SplittableRandom rnd = new SplittableRandom(17);
        int cases = 0;
        for (int in : INS) {
            for (int out : OUTS) {
                Layer layer = Layer.random(rnd, in, out);
                for (ActivationKernel act : ACTS) {
                    DenseKernel kernel = DenseKernel.of(in, out, act);
                    DenseKernel.Workspace ws = kernel.newWorkspace();
                    for (int rows : ROWS) {
                        check(kernel, ws, layer, act, rows, TestData.uniform(rnd, rows * in, 2.0));
                        cases++;
                    }
                }
            }
        }
        assertTrue(cases > 4000, "cases " + cases);
    }

    /**
     * GEMM-form layers (inputs wider than one k block of the Java kernel) with outputs of a vector or more: their k
     * blocks run on the workspace's kept Wᵀ, the same bits as {@link Gemm#dgemm} (which {@link #check} compares).
     */
    @Test
    void gemmFormLayersOnTheirKeptPanel() {
        SplittableRandom rnd = new SplittableRandom(19);
        for (int in : new int[] {129, 200, 256, 300}) {
            for (int out : new int[] {L - 1, L, L + 1, 2 * L + 3, 32, 129, 256}) {
                Layer layer = Layer.random(rnd, in, out);
                for (ActivationKernel act : new ActivationKernel[] {ActivationKernel.TANH, ActivationKernel.IDENTITY}) {
                    DenseKernel kernel = DenseKernel.of(in, out, act);
                    assertEquals(DenseKernel.Form.GEMM, kernel.form(), in + "→" + out);
                    DenseKernel.Workspace ws = kernel.newWorkspace();
                    for (int rows : new int[] {1, 3, 8, 9, 16, 33}) {
                        check(kernel, ws, layer, act, rows, TestData.uniform(rnd, rows * in, 2.0));
                    }
                }
            }
        }
    }

    @Test
    void formsFollowTheShape() {
        assertEquals(DenseKernel.Form.BROADCAST, DenseKernel.of(2, 50, ActivationKernel.TANH).form());
        assertEquals(DenseKernel.Form.BROADCAST, DenseKernel.of(50, 50, ActivationKernel.TANH).form());
        assertEquals(DenseKernel.Form.DOT, DenseKernel.of(50, 2, ActivationKernel.IDENTITY).form());
        assertEquals(DenseKernel.Form.GEMM, DenseKernel.of(256, 256, ActivationKernel.TANH).form());
        assertEquals("in must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DenseKernel.of(0, 3, ActivationKernel.TANH))
                        .getMessage());
        assertEquals("out must be >= 1, got -2",
                assertThrows(IllegalArgumentException.class, () -> DenseKernel.of(3, -2, ActivationKernel.TANH))
                        .getMessage());
        assertEquals("act must be non-null",
                assertThrows(IllegalArgumentException.class, () -> DenseKernel.of(3, 3, null)).getMessage());
    }

    @Test
    void productsTheDispatcherGivesToOpenBlasTakeTheGemmPath() {
        SplittableRandom rnd = new SplittableRandom(23);
        try {
            Gemm.setThresholds(new GemmThresholds(0, 0));
            for (int[] shape : new int[][] {{2, 50, 16}, {50, 50, 1}, {50, 2, 7}, {64, 64, 33}}) {
                Layer layer = Layer.random(rnd, shape[0], shape[1]);
                DenseKernel kernel = DenseKernel.of(shape[0], shape[1], ActivationKernel.TANH);
                check(kernel, kernel.newWorkspace(), layer, ActivationKernel.TANH, shape[2],
                        TestData.uniform(rnd, shape[2] * shape[0], 2.0));
            }
        } finally {
            Gemm.resetThresholds();
        }
    }

    @Test
    void aWeightChangedInPlaceIsSeenByTheNextCall() {
        SplittableRandom rnd = new SplittableRandom(31);
        for (int[] shape : new int[][] {{50, 50, 16}, {50, 50, 1}, {2, 50, 5}, {9, 17, 7}, {256, 256, 16},
            {200, 33, 9}, {256, 32, 1}}) {
            Layer layer = Layer.random(rnd, shape[0], shape[1]);
            DenseKernel kernel = DenseKernel.of(shape[0], shape[1], ActivationKernel.TANH);
            DenseKernel.Workspace ws = kernel.newWorkspace();
            double[] x = TestData.uniform(rnd, shape[2] * shape[0], 2.0);
            check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
            for (int i : new int[] {W_OFF, W_OFF + shape[0] * shape[1] - 1, W_OFF + shape[0] * shape[1] / 2}) {
                layer.theta()[i] += 0.25; // an optimiser's step on one weight
                check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
            }
            layer.theta()[W_OFF + 1] = -layer.theta()[W_OFF + 1]; // the sign bit alone
            check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
            // the bias, which a tanh layer's blocks add from a tile kept in the workspace
            for (int j : new int[] {0, shape[1] - 1, shape[1] / 2}) {
                layer.theta()[layer.bOff() + j] -= 0.5;
                check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
            }
            layer.theta()[layer.bOff()] = -layer.theta()[layer.bOff()];
            check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
        }
    }

    /**
     * The dot form with θ ending right after b (the last layer of an MLP): the last partial vector of W's last row
     * would reach past θ's end, so the kernel reads the rows' tails from the copy of their last vectors that the
     * workspace keeps. Every element that copy holds, changed in place (by a step, or the sign bit alone), is seen by
     * the next call; a held workspace sees it at its next hold. The shapes give such a row at any vector width.
     */
    /**
     * A two-output layer's dot form (the 50 → 2 output layer; with 512-bit vectors its tiles of four rows sum their
     * eight products' lanes after a transpose in registers) against its scalar twin, bit for bit: per lane l the chain
     * {@code fma(x_p, w_p, …)} over {@code p ≡ l} (mod the lanes) up to the last whole vector, then the masked tail's
     * FMA ({@code fma(+0, +0, s)} past k), the lanes added in index order, then {@code + b}. Operands spread over 2⁶⁰
     * in magnitude, with zeros of both signs, so that another order of the additions or a product put in the wrong
     * place gives other bits; every row count around the tiles of four and eight.
     */
    @Test
    void theTwoOutputDotFormAddsEachProductsLanesInIndexOrder() {
        SplittableRandom rnd = new SplittableRandom(61);
        for (int in : new int[] {L, L + 1, 2 * L, 13, 50, 64}) {
            double[] theta = spread(rnd, W_OFF + 2 * in + 2);
            DenseKernel kernel = DenseKernel.of(in, 2, ActivationKernel.IDENTITY);
            assertEquals(DenseKernel.Form.DOT, kernel.form());
            DenseKernel.Workspace ws = kernel.newWorkspace();
            for (int rows : new int[] {2, 4, 5, 8, 10, 12, 16, 20, 23}) {
                double[] x = spread(rnd, rows * in), u = new double[rows * 2], a = new double[rows * 2];
                kernel.forward(rows, x, theta, W_OFF, W_OFF + 2 * in, u, a, ws);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < 2; j++) {
                        double want = laneOrderDot(x, r * in, theta, W_OFF + j * in, in) + theta[W_OFF + 2 * in + j];
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(u[r * 2 + j]),
                                rows + "×" + in + "→2 u[" + r + "][" + j + "]: " + u[r * 2 + j] + ", twin " + want);
                    }
                }
                assertTrue(Arrays.equals(u, a), rows + "×" + in + "→2: a is not u");
            }
        }
    }

    /** The dot form's sum of {@code x[xOff ..]·w[wOff ..]} (k long), lane by lane in scalar. */
    private static double laneOrderDot(double[] x, int xOff, double[] w, int wOff, int k) {
        int bound = k - k % L;
        double sum = 0.0;
        for (int l = 0; l < L; l++) {
            double s = 0.0;
            for (int p = l; p < bound; p += L) s = Math.fma(x[xOff + p], w[wOff + p], s);
            int q = bound + l;
            s = q < k ? Math.fma(x[xOff + q], w[wOff + q], s) : Math.fma(0.0, 0.0, s);
            sum = l == 0 ? s : sum + s;
        }
        return sum;
    }

    /** Values of both signs from 2⁻³⁰ to 2³⁰ in magnitude, one in eleven a zero (of either sign). */
    private static double[] spread(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double m = rnd.nextInt(11) == 0 ? 0.0 : Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-30, 31));
            v[i] = rnd.nextBoolean() ? -m : m;
        }
        return v;
    }

    @Test
    void theDotFormSeesEveryChangeOfTheTailsItKeeps() {
        SplittableRandom rnd = new SplittableRandom(53);
        for (int[] shape : new int[][] {{50, 2, 16}, {50, 1, 1}, {L + 1, 1, 5}, {2 * L + 1, Math.max(1, L - 2), 7},
                {L + 1, L - 1, 1}}) {
            int in = shape[0], out = shape[1], rows = shape[2];
            int n = W_OFF + in * out + out; // W then b, and nothing after b
            Layer layer = new Layer(in, out, TestData.uniform(rnd, n, 1.0 / Math.sqrt(in)), W_OFF + in * out);
            DenseKernel kernel = DenseKernel.of(in, out, ActivationKernel.TANH);
            assertEquals(DenseKernel.Form.DOT, kernel.form());
            DenseKernel.Workspace ws = kernel.newWorkspace(), held = kernel.newWorkspace();
            double[] x = TestData.uniform(rnd, rows * in, 2.0);
            check(kernel, ws, layer, ActivationKernel.TANH, rows, x);
            for (int j = 0; j < out; j++) {
                for (int q = in - L; q < in; q++) {
                    int at = W_OFF + j * in + q;
                    layer.theta()[at] += 0.25;
                    check(kernel, ws, layer, ActivationKernel.TANH, rows, x);
                    layer.theta()[at] = -layer.theta()[at]; // the sign bit alone
                    check(kernel, ws, layer, ActivationKernel.TANH, rows, x);
                    held.holdWeights();
                    check(kernel, held, layer, ActivationKernel.TANH, rows, x);
                    held.releaseWeights();
                }
            }
        }
    }

    @Test
    void nothingIsAllocatedOnceWarm() {
        SplittableRandom rnd = new SplittableRandom(29);
        int[][] shapes = {{2, 50, 1}, {50, 50, 1}, {50, 2, 1}, {2, 50, 16}, {50, 50, 16}, {50, 2, 16}, {64, 64, 40},
            {256, 32, 16}, {200, 64, 9}};
        for (int[] s : shapes) {
            Layer layer = Layer.random(rnd, s[0], s[1]);
            DenseKernel kernel = DenseKernel.of(s[0], s[1], ActivationKernel.TANH);
            DenseKernel.Workspace ws = kernel.newWorkspace(), held = kernel.newWorkspace();
            held.holdWeights();
            double[] x = TestData.uniform(rnd, s[2] * s[0], 1.0), u = new double[s[2] * s[1]], a = new double[u.length];
            Allocations.assertNoAllocation("dense " + Arrays.toString(s), 30_000, 2_000,
                    () -> kernel.forward(s[2], x, layer.theta(), W_OFF, layer.bOff(), u, a, ws));
            Allocations.assertNoAllocation("dense held " + Arrays.toString(s), 30_000, 2_000,
                    () -> kernel.forward(s[2], x, layer.theta(), W_OFF, layer.bOff(), u, a, held));
        }
    }

    @Test
    void singleRowsWiderThanOnePassOfEightVectors() {
        // the single-row kernel runs eight vectors of outputs per pass: outputs over one, two and three passes
        SplittableRandom rnd = new SplittableRandom(37);
        int[] outs = {8 * L - 1, 8 * L, 8 * L + 1, 12 * L, 12 * L + 3, 17 * L - 1, 200};
        for (int in : new int[] {1, 3, 5, 50}) {
            for (int out : outs) {
                Layer layer = Layer.random(rnd, in, out);
                for (ActivationKernel act : ACTS) {
                    DenseKernel kernel = DenseKernel.of(in, out, act);
                    DenseKernel.Workspace ws = kernel.newWorkspace();
                    for (int rows : new int[] {1, 5}) check(kernel, ws, layer, act, rows, TestData.uniform(rnd, rows * in, 2.0));
                }
            }
        }
    }

    @Test
    void singleRowsAreTheScalarFmaChainOfEachOutputBitForBit() {
        // one FMA chain per vector of outputs, as many chains as vectors (1 to 8 in a pass, then a second pass): each
        // output is fma(x_{in−1}, w, … fma(x_0, w, 0)) + b, then σ — the naive scalar loop gives the same bits
        SplittableRandom rnd = new SplittableRandom(53);
        for (int in : new int[] {1, 2, 7, 50}) {
            for (int vectors = 1; vectors <= 10; vectors++) {
                for (int out : new int[] {vectors * L - 1, vectors * L}) {
                    if (out < L) continue; // narrower outputs take the dot products
                    Layer layer = Layer.random(rnd, in, out);
                    double[] theta = layer.theta(), x = TestData.uniform(rnd, in, 2.0);
                    DenseKernel kernel = DenseKernel.of(in, out, ActivationKernel.TANH);
                    double[] u = new double[out], a = new double[out];
                    kernel.forward(1, x, theta, W_OFF, layer.bOff(), u, a, kernel.newWorkspace());
                    for (int j = 0; j < out; j++) {
                        double sum = 0.0;
                        for (int q = 0; q < in; q++) sum = Math.fma(x[q], theta[W_OFF + j * in + q], sum);
                        double want = sum + theta[layer.bOff() + j];
                        String what = in + "→" + out + " output " + j;
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(u[j]), what);
                        assertEquals(Double.doubleToRawLongBits(ReproducibleTanh.tanh(want)),
                                Double.doubleToRawLongBits(a[j]), what + " (tanh)");
                    }
                }
            }
        }
    }

    @Test
    void aHoldAcrossGarbageCollectionsKeepsItsBits() {
        // the collector may move the packed panel during a hold; the kernel probes its alignment at every call and
        // repacks it where it now lies: the same bits as a workspace that is not held
        SplittableRandom rnd = new SplittableRandom(59);
        Layer layer = Layer.random(rnd, 50, 50);
        DenseKernel kernel = DenseKernel.of(50, 50, ActivationKernel.TANH);
        DenseKernel.Workspace held = kernel.newWorkspace(), plain = kernel.newWorkspace();
        double[] x = TestData.uniform(rnd, 50, 2.0), want = new double[50], got = new double[50];
        held.holdWeights();
        for (int gc = 0; gc < 3; gc++) {
            kernel.forward(1, x, layer.theta(), W_OFF, layer.bOff(), want, want, plain);
            kernel.forward(1, x, layer.theta(), W_OFF, layer.bOff(), got, got, held);
            assertTrue(Arrays.equals(want, got), "after " + gc + " collections");
            System.gc();
        }
        held.releaseWeights();
    }

    @Test
    void aHeldWorkspaceGivesTheSameBitsAndSeesChangesAfterTheRelease() {
        SplittableRandom rnd = new SplittableRandom(41);
        for (int[] shape : new int[][] {{50, 50, 1}, {2, 50, 1}, {50, 50, 16}, {9, 17, 7}, {50, 2, 1}, {256, 256, 16},
            {200, 33, 5}}) {
            Layer layer = Layer.random(rnd, shape[0], shape[1]);
            DenseKernel kernel = DenseKernel.of(shape[0], shape[1], ActivationKernel.TANH);
            DenseKernel.Workspace held = kernel.newWorkspace(), plain = kernel.newWorkspace();
            double[] x = TestData.uniform(rnd, shape[2] * shape[0], 2.0);
            int n = shape[2] * shape[1];
            double[] want = new double[n], got = new double[n];
            for (int hold = 0; hold < 3; hold++) {
                held.holdWeights();
                for (int call = 0; call < 3; call++) {
                    kernel.forward(shape[2], x, layer.theta(), W_OFF, layer.bOff(), want, want, plain);
                    kernel.forward(shape[2], x, layer.theta(), W_OFF, layer.bOff(), got, got, held);
                    assertTrue(Arrays.equals(want, got), Arrays.toString(shape) + " hold " + hold + " call " + call);
                }
                held.releaseWeights();
                layer.theta()[W_OFF + hold * 3] += 0.25; // changed between holds: the next hold must see it
                layer.theta()[layer.bOff() + hold % shape[1]] -= 0.125; // and the bias
                check(kernel, held, layer, ActivationKernel.TANH, shape[2], x);
            }
        }
    }

    @Test
    void theComparisonOfWeightsSeesEveryBit() {
        SplittableRandom rnd = new SplittableRandom(43);
        int chunk = DenseKernel.COMPARED_CHUNK;
        for (int n : new int[] {1, L - 1, L, 3 * L + 2, 2500, 3 * chunk, 3 * chunk + L + 1}) {
            double[] w = TestData.uniform(rnd, n + 5, 1.0);
            double[] copy = Arrays.copyOfRange(w, 5, n + 5);
            for (boolean backward : new boolean[] {false, true}) {
                assertTrue(DenseKernel.sameBits(w, 5, copy, n, backward), "n " + n);
                // the first and last element of each chunk of the vector loops, too
                for (int i : new int[] {0, 1, n / 2, n - 2, n - 1, chunk - 1, chunk, 2 * chunk - 1, 2 * chunk,
                        3 * chunk - 1}) {
                    if (i < 0 || i >= n) continue;
                    for (long bit : new long[] {1L, 1L << 51, Long.MIN_VALUE}) {
                        double saved = copy[i];
                        copy[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(saved) ^ bit);
                        assertTrue(!DenseKernel.sameBits(w, 5, copy, n, backward),
                                "n " + n + ", element " + i + ", bit " + bit + ", backward " + backward);
                        copy[i] = saved;
                    }
                }
            }
        }
    }

    @Test
    void singleRowsAllocateNothingOnceWarmHeldOrNot() {
        SplittableRandom rnd = new SplittableRandom(47);
        int[][] shapes = {{2, 100, 1}, {50, 130, 1}, {3, 20, 1}, {50, 2, 1}, {50, 6, 1}};
        for (int[] s : shapes) {
            Layer layer = Layer.random(rnd, s[0], s[1]);
            DenseKernel kernel = DenseKernel.of(s[0], s[1], ActivationKernel.TANH);
            DenseKernel.Workspace ws = kernel.newWorkspace(), held = kernel.newWorkspace();
            held.holdWeights();
            double[] x = TestData.uniform(rnd, s[0], 1.0), u = new double[s[1]], a = new double[s[1]];
            Allocations.assertNoAllocation("dense " + Arrays.toString(s), 30_000, 2_000,
                    () -> kernel.forward(1, x, layer.theta(), W_OFF, layer.bOff(), u, a, ws));
            Allocations.assertNoAllocation("dense held " + Arrays.toString(s), 30_000, 2_000,
                    () -> kernel.forward(1, x, layer.theta(), W_OFF, layer.bOff(), u, u, held));
        }
    }

    private static void check(DenseKernel kernel, DenseKernel.Workspace ws, Layer layer, ActivationKernel act, int rows,
                              double[] x) {
        int in = layer.in(), out = layer.out();
        double[] theta = layer.theta();
        String what = act + " " + rows + "×" + in + "→" + out + " (" + kernel.form() + ")";
        double[] u = new double[rows * out], a = new double[rows * out];
        Arrays.fill(u, Double.NaN); // β = 0: nothing of the old contents may leak in
        Arrays.fill(a, Double.NaN);
        kernel.forward(rows, x, theta, W_OFF, layer.bOff(), u, a, ws);

        // the pre-activation to rounding: |u − Σ x·w − b| ≤ (in + 2)·ε·(Σ|x·w| + |b|)
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double sum = 0.0, abs = 0.0;
                for (int p = 0; p < in; p++) {
                    double t = x[r * in + p] * theta[W_OFF + j * in + p];
                    sum += t;
                    abs += Math.abs(t);
                }
                double b = theta[layer.bOff() + j];
                double bound = (in + 2) * 0x1p-52 * (abs + Math.abs(b)) + Double.MIN_NORMAL;
                double got = u[r * out + j];
                assertTrue(Math.abs(got - (sum + b)) <= bound,
                        what + " u[" + r + "][" + j + "] = " + got + ", oracle " + (sum + b) + " ± " + bound);
            }
        }
        // the activation: the activation kernel on that pre-activation, bit for bit
        double[] want = new double[rows * out];
        act.apply(u, 0, want, 0, rows * out);
        assertTrue(Arrays.equals(want, a), what + ": a is not σ(u)");

        // in place (u = a) gives the same outputs
        double[] inPlace = new double[rows * out];
        kernel.forward(rows, x, theta, W_OFF, layer.bOff(), inPlace, inPlace, ws);
        assertTrue(Arrays.equals(a, inPlace), what + ": in place differs");

        // the unfused path: the same bits
        double[] u0 = new double[rows * out], a0 = new double[rows * out];
        Gemm.dgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0, x, 0, in, theta, W_OFF, in, 0.0, u0, 0, out);
        act.biasActivate(u0, 0, theta, layer.bOff(), rows, out, u0, 0, a0, 0);
        assertTrue(Arrays.equals(u0, u) && Arrays.equals(a0, a), what + ": differs from dgemm + biasActivate"
                + (Blas.isAvailable() ? "" : " (no OpenBLAS)"));
        // at offsets, U and A in one block as a saved stage holds them (x, u and a off any alignment): the same bits
        int xOff = 5, uOff = 3, aOff = uOff + rows * out + 1;
        double[] shifted = new double[xOff + rows * in];
        System.arraycopy(x, 0, shifted, xOff, rows * in);
        double[] block = new double[aOff + rows * out + 2];
        Arrays.fill(block, Double.NaN);
        kernel.forward(rows, shifted, xOff, theta, W_OFF, layer.bOff(), block, uOff, block, aOff, ws);
        assertTrue(Arrays.equals(u, Arrays.copyOfRange(block, uOff, uOff + rows * out)), what + ": u at an offset");
        assertTrue(Arrays.equals(a, Arrays.copyOfRange(block, aOff, aOff + rows * out)), what + ": a at an offset");
        assertTrue(Double.isNaN(block[uOff - 1]) && Double.isNaN(block[aOff - 1])
                && Double.isNaN(block[aOff + rows * out]), what + ": wrote outside its blocks");
        double[] inPlaceShifted = new double[uOff + rows * out];
        kernel.forward(rows, shifted, xOff, theta, W_OFF, layer.bOff(), inPlaceShifted, uOff, inPlaceShifted, uOff, ws);
        assertTrue(Arrays.equals(a, Arrays.copyOfRange(inPlaceShifted, uOff, uOff + rows * out)),
                what + ": in place at an offset");
        // the rows after the last block of four give the bits of the same row evaluated alone
        boolean java = Gemm.backendFor(rows, out, in) == Gemm.Backend.JAVA && Gemm.backendFor(1, out, in) == Gemm.Backend.JAVA;
        for (int r = rows - rows % 4; java && r < rows && rows > 1; r++) {
            double[] alone = new double[out];
            kernel.forward(1, Arrays.copyOfRange(x, r * in, (r + 1) * in), theta, W_OFF, layer.bOff(), alone, alone, ws);
            assertTrue(Arrays.equals(alone, Arrays.copyOfRange(a, r * out, (r + 1) * out)),
                    what + ": row " + r + " differs from the same row alone");
        }
    }
}
