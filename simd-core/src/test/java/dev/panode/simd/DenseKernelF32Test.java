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
 * The fused float dense layer against a scalar oracle in double (the pre-activation to float rounding, the activation
 * bit for bit against the float activation kernel on that pre-activation), against the unfused path it replaces
 * ({@link GemmF32#sgemm} then {@link ActivationKernelF32#biasActivate}: the same bits), every row against the same
 * row alone (bit for bit), the product through a scratch against the same call in place, and the packed Wᵀ kept
 * between calls against a W changed in place; inputs and outputs
 * around one float vector, the short-input and narrow-output shapes of small neural ODEs, the MLP shapes, row counts
 * around the blocks of four and of the bias-and-activation pass.
 */
class DenseKernelF32Test {
    private static final int L = Simd.FLOAT_LANES;
    private static final int[] INS = {1, 2, 3, 4, 5, L - 1, L, L + 1, 2 * L + 3, 50, 64, 128, 129};
    private static final int[] OUTS = {1, 2, 3, 4, L - 1, L, L + 1, 2 * L, 3 * L + 1, 50, 64, 5 * L + 3, 8 * L + 1};
    private static final int[] ROWS = {1, 2, 4, 5, 7, 9, 45};
    private static final ActivationKernel[] ACTS = {ActivationKernel.IDENTITY, ActivationKernel.TANH,
            ActivationKernel.RELU};
    private static final int W_OFF = 3;

    private record Layer(int in, int out, float[] theta, int bOff) {
        static Layer random(SplittableRandom rnd, int in, int out) {
            int bOff = W_OFF + in * out + 2;
            return new Layer(in, out, floats(rnd, bOff + out + 1, 1.0 / Math.sqrt(in)), bOff);
        }
    }

    static float[] floats(SplittableRandom rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-scale, scale);
        return x;
    }

    @Test
    void everyFormAndTailAgainstTheScalarOracleAndTheUnfusedPath() {
        SplittableRandom rnd = new SplittableRandom(17);
        int cases = 0;
        for (int in : INS) {
            for (int out : OUTS) {
                Layer layer = Layer.random(rnd, in, out);
                for (ActivationKernel act : ACTS) {
                    DenseKernelF32 kernel = DenseKernelF32.of(in, out, act);
                    DenseKernelF32.Workspace ws = kernel.newWorkspace();
                    for (int rows : ROWS) {
                        check(kernel, ws, layer, act, rows, floats(rnd, rows * in, 2.0));
                        cases++;
                    }
                }
            }
        }
        assertTrue(cases > 2500, "cases " + cases);
    }

    /**
     * A two-input layer's blocks (their own pass) with signed zeros, subnormals and products that underflow: the bits
     * of the block path (the Java GEMM's micro-kernels on a C filled with b's rows, then σ), for every width of the outputs' last partial vector and blocks of rows past
     * the kernel's row block.
     */
    @Test
    void twoInputBlocksKeepTheBitsOfSignedZerosAndSubnormals() {
        SplittableRandom rnd = new SplittableRandom(29);
        float[] specials = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-25f, -1e-25f, 3e-20f};
        for (int out = 1; out <= 3 * L + 1; out += out < 2 * L ? 1 : L + 1) {
            for (int rows : new int[] {2, 3, 9, 100}) {
                for (ActivationKernel act : new ActivationKernel[] {ActivationKernel.IDENTITY, ActivationKernel.TANH}) {
                    float[] theta = floats(rnd, W_OFF + 3 * out, 1.0), x = floats(rnd, rows * 2, 1.0);
                    for (int i = W_OFF; i < theta.length; i += 3) theta[i] = specials[rnd.nextInt(specials.length)];
                    for (int i = 0; i < x.length; i += 2) x[i] = specials[rnd.nextInt(specials.length)];
                    DenseKernelF32 kernel = DenseKernelF32.of(2, out, act);
                    float[] u = new float[rows * out], a = new float[rows * out];
                    kernel.forward(rows, x, theta, W_OFF, W_OFF + 2 * out, u, a, kernel.newWorkspace());
                    // the block path: the micro-kernels on a C filled with b's rows (fma(Σ, 1, b): Σ + b, and
                    // −0 + −0 = −0, where the GEMM with β = 0 and a bias pass would give +0)
                    float[] u0 = new float[rows * out], a0 = new float[rows * out];
                    for (int r = 0; r < rows; r++) System.arraycopy(theta, W_OFF + 2 * out, u0, r * out, out);
                    GemmF32.sgemmJava(Transpose.NO, Transpose.YES, rows, out, 2, 1.0f, x, 0, 2, theta, W_OFF, 2, 1.0f,
                            u0, 0, out);
                    ActivationKernelF32.apply(act, u0, 0, a0, 0, rows * out);
                    String what = act + " " + rows + "×2→" + out;
                    for (int i = 0; i < u.length; i++) {
                        assertEquals(Float.floatToRawIntBits(u0[i]), Float.floatToRawIntBits(u[i]), what + " u " + i);
                        assertEquals(Float.floatToRawIntBits(a0[i]), Float.floatToRawIntBits(a[i]), what + " a " + i);
                    }
                }
            }
        }
    }

    @Test
    void formsFollowTheShape() {
        assertEquals(DenseKernelF32.Form.BROADCAST, DenseKernelF32.of(2, 50, ActivationKernel.TANH).form());
        assertEquals(DenseKernelF32.Form.BROADCAST, DenseKernelF32.of(50, 50, ActivationKernel.TANH).form());
        assertEquals(DenseKernelF32.Form.DOT, DenseKernelF32.of(50, 2, ActivationKernel.IDENTITY).form());
        assertEquals(DenseKernelF32.Form.GEMM, DenseKernelF32.of(256, 256, ActivationKernel.TANH).form());
        assertEquals("in must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DenseKernelF32.of(0, 3, ActivationKernel.TANH))
                        .getMessage());
        assertEquals("out must be >= 1, got -2",
                assertThrows(IllegalArgumentException.class, () -> DenseKernelF32.of(3, -2, ActivationKernel.TANH))
                        .getMessage());
        assertEquals("act must be non-null",
                assertThrows(IllegalArgumentException.class, () -> DenseKernelF32.of(3, 3, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseKernelF32.of(3, 3, ActivationKernel.SOFTPLUS));
    }

    @Test
    void productsTheDispatcherGivesToOpenBlasTakeTheGemmPath() {
        SplittableRandom rnd = new SplittableRandom(23);
        try {
            GemmF32.setThresholds(new GemmThresholds(0, 0));
            for (int[] shape : new int[][] {{2, 50, 16}, {50, 50, 1}, {50, 2, 7}, {64, 64, 33}}) {
                Layer layer = Layer.random(rnd, shape[0], shape[1]);
                DenseKernelF32 kernel = DenseKernelF32.of(shape[0], shape[1], ActivationKernel.TANH);
                check(kernel, kernel.newWorkspace(), layer, ActivationKernel.TANH, shape[2],
                        floats(rnd, shape[2] * shape[0], 2.0));
            }
        } finally {
            GemmF32.resetThresholds();
        }
    }

    @Test
    void aWeightChangedInPlaceIsSeenByTheNextCall() {
        SplittableRandom rnd = new SplittableRandom(31);
        for (int[] shape : new int[][] {{50, 50, 16}, {50, 50, 1}, {2, 50, 5}, {9, 17, 7}}) {
            Layer layer = Layer.random(rnd, shape[0], shape[1]);
            DenseKernelF32 kernel = DenseKernelF32.of(shape[0], shape[1], ActivationKernel.TANH);
            DenseKernelF32.Workspace ws = kernel.newWorkspace();
            float[] x = floats(rnd, shape[2] * shape[0], 2.0);
            check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
            for (int i : new int[] {W_OFF, W_OFF + shape[0] * shape[1] - 1, W_OFF + shape[0] * shape[1] / 2}) {
                layer.theta()[i] += 0.25f; // an optimiser's step on one weight
                check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
            }
            layer.theta()[W_OFF + 1] = -layer.theta()[W_OFF + 1]; // the sign bit alone
            check(kernel, ws, layer, ActivationKernel.TANH, shape[2], x);
        }
    }

    /**
     * Zero bytes per call once warm, for every form, with x, u and a exactly as long as the block (the last partial
     * vectors end their arrays) and inside longer arrays. All the calls are first warmed up together, interleaved, so
     * that the compiled code has seen every form and both kinds of tail before any is measured (a kernel compiled for
     * one shape only, or only for tails inside their arrays, can pass where a mixed profile boxes a vector or mask).
     */
    /**
     * The dot form with θ ending right after b (the last layer of an MLP): the last partial vector of W's last row
     * would reach past θ's end, so the kernel reads the rows' tails from the copy of their last vectors that the
     * workspace keeps. Every element that copy holds, changed in place (by a step, or the sign bit alone), is seen by
     * the next call; a held workspace sees it at its next hold. The shapes give such a row at any vector width.
     */
    @Test
    void theDotFormSeesEveryChangeOfTheTailsItKeeps() {
        SplittableRandom rnd = new SplittableRandom(53);
        for (int[] shape : new int[][] {{50, 2, 16}, {50, 1, 1}, {L + 1, 1, 5}, {2 * L + 1, Math.max(1, L - 2), 7},
                {L + 1, L - 1, 1}}) {
            int in = shape[0], out = shape[1], rows = shape[2];
            int n = W_OFF + in * out + out; // W then b, and nothing after b
            Layer layer = new Layer(in, out, floats(rnd, n, 1.0 / Math.sqrt(in)), W_OFF + in * out);
            DenseKernelF32 kernel = DenseKernelF32.of(in, out, ActivationKernel.TANH);
            assertEquals(DenseKernelF32.Form.DOT, kernel.form());
            DenseKernelF32.Workspace ws = kernel.newWorkspace(), held = kernel.newWorkspace();
            float[] x = floats(rnd, rows * in, 2.0);
            check(kernel, ws, layer, ActivationKernel.TANH, rows, x);
            for (int j = 0; j < out; j++) {
                for (int q = in - L; q < in; q++) {
                    int at = W_OFF + j * in + q;
                    layer.theta()[at] += 0.25f;
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
                {50, 2, 7}, {3, 17, 5}};
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<Runnable> calls = new java.util.ArrayList<>();
        for (int[] s : shapes) {
            for (int slack : new int[] {0, 2 * L + 3}) { // at the arrays' ends, then inside longer arrays
                Layer layer = Layer.random(rnd, s[0], s[1]);
                DenseKernelF32 kernel = DenseKernelF32.of(s[0], s[1], ActivationKernel.TANH);
                DenseKernelF32.Workspace ws = kernel.newWorkspace();
                int n = s[2] * s[1];
                float[] x = floats(rnd, s[2] * s[0] + slack, 1.0), u = new float[n + slack], a = new float[n + slack];
                int off = slack / 2;
                names.add("dense f32 " + Arrays.toString(s) + (slack == 0 ? "" : " inside longer arrays"));
                calls.add(() -> kernel.forward(s[2], x, off, layer.theta(), W_OFF, layer.bOff(), u, off, a, off, ws));
            }
        }
        for (int round = 0; round < 3_000; round++) {
            for (Runnable call : calls) call.run();
        }
        for (int i = 0; i < calls.size(); i++) {
            Allocations.assertNoAllocation(names.get(i), 30_000, 2_000, calls.get(i));
        }
    }

    @Test
    void aHeldWorkspaceGivesTheSameBitsAndSeesChangesAfterTheRelease() {
        SplittableRandom rnd = new SplittableRandom(41);
        for (int[] shape : new int[][] {{50, 50, 1}, {2, 50, 1}, {50, 50, 16}, {9, 17, 7}, {50, 2, 1}, {3, 130, 1}}) {
            Layer layer = Layer.random(rnd, shape[0], shape[1]);
            DenseKernelF32 kernel = DenseKernelF32.of(shape[0], shape[1], ActivationKernel.TANH);
            DenseKernelF32.Workspace held = kernel.newWorkspace(), plain = kernel.newWorkspace();
            float[] x = floats(rnd, shape[2] * shape[0], 2.0);
            int n = shape[2] * shape[1];
            float[] want = new float[n], got = new float[n];
            for (int hold = 0; hold < 3; hold++) {
                held.holdWeights();
                for (int call = 0; call < 3; call++) {
                    kernel.forward(shape[2], x, layer.theta(), W_OFF, layer.bOff(), want, want, plain);
                    kernel.forward(shape[2], x, layer.theta(), W_OFF, layer.bOff(), got, got, held);
                    assertTrue(Arrays.equals(want, got), Arrays.toString(shape) + " hold " + hold + " call " + call);
                }
                held.releaseWeights();
                layer.theta()[W_OFF + hold * 3] += 0.25f; // changed between holds: the next hold must see it
                check(kernel, held, layer, ActivationKernel.TANH, shape[2], x);
            }
        }
    }

    @Test
    void theComparisonOfWeightsSeesEveryBit() {
        SplittableRandom rnd = new SplittableRandom(43);
        int chunk = DenseKernelF32.COMPARED_CHUNK;
        for (int n : new int[] {1, L - 1, L, 3 * L + 2, 2500, 3 * chunk, 3 * chunk + L + 1}) {
            float[] w = floats(rnd, n + 5, 1.0);
            float[] copy = Arrays.copyOfRange(w, 5, n + 5);
            assertTrue(DenseKernelF32.sameBits(w, 5, copy, n), "n " + n);
            // the first and last element of each chunk of the vector loop, too
            for (int i : new int[] {0, n / 2, n - 1, chunk - 1, chunk, 2 * chunk - 1, 2 * chunk, 3 * chunk - 1}) {
                if (i >= n) continue;
                for (int bit : new int[] {1, 1 << 22, Integer.MIN_VALUE}) {
                    float saved = copy[i];
                    copy[i] = Float.intBitsToFloat(Float.floatToRawIntBits(saved) ^ bit);
                    assertTrue(!DenseKernelF32.sameBits(w, 5, copy, n), "n " + n + ", element " + i + ", bit " + bit);
                    copy[i] = saved;
                }
            }
        }
    }

    @Test
    void blocksAtOffsetsGiveTheBitsOfBlocksAtZero() {
        SplittableRandom rnd = new SplittableRandom(53);
        for (int[] s : new int[][] {{2, 50, 1}, {2, 50, 16}, {50, 50, 1}, {50, 50, 9}, {50, 2, 1}, {50, 2, 16},
                {64, 64, 40}, {256, 32, 5}}) {
            Layer layer = Layer.random(rnd, s[0], s[1]);
            DenseKernelF32 kernel = DenseKernelF32.of(s[0], s[1], ActivationKernel.TANH);
            DenseKernelF32.Workspace ws = kernel.newWorkspace();
            int rows = s[2], n = rows * s[1];
            float[] x = floats(rnd, rows * s[0], 2.0);
            float[] u = new float[n], a = new float[n];
            kernel.forward(rows, x, layer.theta(), W_OFF, layer.bOff(), u, a, ws);
            float[] xAt = new float[x.length + 7];
            System.arraycopy(x, 0, xAt, 7, x.length);
            float[] block = new float[2 * n + 11]; // u at 3, a right after it, as a saved stage holds them
            kernel.forward(rows, xAt, 7, layer.theta(), W_OFF, layer.bOff(), block, 3, block, 3 + n, ws);
            assertTrue(Arrays.equals(u, Arrays.copyOfRange(block, 3, 3 + n)), Arrays.toString(s) + ": u at an offset");
            assertTrue(Arrays.equals(a, Arrays.copyOfRange(block, 3 + n, 3 + 2 * n)),
                    Arrays.toString(s) + ": a at an offset");
        }
    }

    @Test
    void singleRowsAllocateNothingOnceWarmHeldOrNot() {
        SplittableRandom rnd = new SplittableRandom(47);
        for (int[] s : new int[][] {{2, 100, 1}, {50, 130, 1}, {3, 20, 1}, {50, 2, 1}}) {
            Layer layer = Layer.random(rnd, s[0], s[1]);
            DenseKernelF32 kernel = DenseKernelF32.of(s[0], s[1], ActivationKernel.TANH);
            DenseKernelF32.Workspace ws = kernel.newWorkspace(), held = kernel.newWorkspace();
            held.holdWeights();
            float[] x = floats(rnd, s[0], 1.0), u = new float[s[1]], a = new float[s[1]];
            Allocations.assertNoAllocation("dense f32 " + Arrays.toString(s), 30_000, 2_000,
                    () -> kernel.forward(1, x, layer.theta(), W_OFF, layer.bOff(), u, a, ws));
            Allocations.assertNoAllocation("dense f32 held " + Arrays.toString(s), 30_000, 2_000,
                    () -> kernel.forward(1, x, layer.theta(), W_OFF, layer.bOff(), u, u, held));
        }
    }

    private static void check(DenseKernelF32 kernel, DenseKernelF32.Workspace ws, Layer layer, ActivationKernel act,
                              int rows, float[] x) {
        int in = layer.in(), out = layer.out();
        float[] theta = layer.theta();
        String what = act + " " + rows + "×" + in + "→" + out + " (" + kernel.form() + ")";
        float[] u = new float[rows * out], a = new float[rows * out];
        Arrays.fill(u, Float.NaN); // β = 0: nothing of the old contents may leak in
        Arrays.fill(a, Float.NaN);
        kernel.forward(rows, x, theta, W_OFF, layer.bOff(), u, a, ws);

        // the pre-activation to float rounding: |u − Σ x·w − b| ≤ (in + 2)·2⁻²³·(Σ|x·w| + |b|)
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double sum = 0.0, abs = 0.0;
                for (int p = 0; p < in; p++) {
                    double t = (double) x[r * in + p] * theta[W_OFF + j * in + p];
                    sum += t;
                    abs += Math.abs(t);
                }
                double b = theta[layer.bOff() + j];
                double bound = (in + 2) * 0x1p-23 * (abs + Math.abs(b)) + Float.MIN_NORMAL;
                double got = u[r * out + j];
                assertTrue(Math.abs(got - (sum + b)) <= bound,
                        what + " u[" + r + "][" + j + "] = " + got + ", oracle " + (sum + b) + " ± " + bound);
            }
        }
        // the activation: the float activation kernel on that pre-activation, bit for bit
        float[] want = new float[rows * out];
        ActivationKernelF32.apply(act, u, 0, want, 0, rows * out);
        assertTrue(Arrays.equals(want, a), what + ": a is not σ(u)");

        // in place (u = a) gives the same outputs
        float[] inPlace = new float[rows * out];
        kernel.forward(rows, x, theta, W_OFF, layer.bOff(), inPlace, inPlace, ws);
        assertTrue(Arrays.equals(a, inPlace), what + ": in place differs");

        // through a scratch (a saved stage's layer): the same outputs, nothing written around them
        float[] scratch = new float[rows * out], block = new float[rows * out + 5];
        Arrays.fill(block, -7.0f);
        kernel.forwardThrough(rows, x, 0, theta, W_OFF, layer.bOff(), scratch, block, 2, ws);
        assertTrue(Arrays.equals(a, Arrays.copyOfRange(block, 2, 2 + rows * out)), what + ": through a scratch");
        for (int i : new int[] {0, 1, block.length - 3, block.length - 2, block.length - 1}) {
            assertEquals(-7.0f, block[i], what + ": written outside the output at " + i);
        }

        // the unfused path: the same bits
        float[] u0 = new float[rows * out], a0 = new float[rows * out];
        GemmF32.sgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0f, x, 0, in, theta, W_OFF, in, 0.0f, u0, 0, out);
        ActivationKernelF32.biasActivate(act, u0, 0, theta, layer.bOff(), rows, out, u0, 0, a0, 0);
        assertTrue(Arrays.equals(u0, u) && Arrays.equals(a0, a), what + ": differs from sgemm + biasActivate"
                + (Blas.isAvailable() ? "" : " (no OpenBLAS)"));
        // the first row, those after the last block of four and the last give the bits of the same row evaluated
        // alone while both stay in the Java kernels
        boolean java = GemmF32.backendFor(rows, out, in) == Gemm.Backend.JAVA
                && GemmF32.backendFor(1, out, in) == Gemm.Backend.JAVA;
        for (int r = 0; java && r < rows && rows > 1; r = r == 0 ? Math.max(1, Math.min(rows - 1, rows - rows % 4)) : r + 1) {
            float[] alone = new float[out];
            kernel.forward(1, Arrays.copyOfRange(x, r * in, (r + 1) * in), theta, W_OFF, layer.bOff(), alone, alone,
                    ws);
            assertTrue(Arrays.equals(alone, Arrays.copyOfRange(a, r * out, (r + 1) * out)),
                    what + ": row " + r + " differs from the same row alone");
        }
    }
}
