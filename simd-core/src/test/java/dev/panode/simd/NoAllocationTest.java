package dev.panode.simd;

import dev.panode.blas.Transpose;
import dev.panode.blas.testing.Allocations;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Kernels allocate nothing once warmed up (escape analysis removes the vector boxes in compiled code). */
class NoAllocationTest {

    /** 0 bytes over a window of 2000 calls after 30 000 warm-up calls (see {@link Allocations}). */
    static void assertNoAllocation(String name, Runnable kernel) {
        Allocations.assertNoAllocation(name, 30_000, 2_000, kernel);
    }

    @Test
    void kernelsDoNotAllocate() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 3 * TestData.LANES + 5;
        double[] y = TestData.uniform(rnd, n, 1.0), out = new double[n], err = TestData.uniform(rnd, n, 1e-4);
        double[] atol = TestData.uniform(rnd, n, 1e-8, 1e-6), rtol = TestData.uniform(rnd, n, 1e-6, 1e-3);
        double[][] k = new double[7][];
        for (int i = 0; i < 7; i++) k[i] = TestData.uniform(rnd, n, 1.0);
        double[] b = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0};
        double[] rows = new double[n];
        int[] ignored = {2, 9};

        assertNoAllocation("combine", () -> StageKernels.combine(y, 0, 0.1, b, 7, k, 0, out, 0, n));
        assertNoAllocation("errorEstimate", () -> StageKernels.errorEstimate(0.1, b, 7, k, 0, out, 0, n));
        int wide = 9 * TestData.LANES + 5; // through combine's four-vector pass
        double[] yWide = TestData.uniform(rnd, wide, 1.0), outWide = new double[wide];
        double[][] kWide = new double[7][];
        for (int i = 0; i < 7; i++) kWide[i] = TestData.uniform(rnd, wide, 1.0);
        assertNoAllocation("combine four vectors a pass",
                () -> StageKernels.combine(yWide, 0, 0.1, b, 7, kWide, 0, outWide, 0, wide));
        double[] moved = new double[wide + 4];
        assertNoAllocation("moveNegated", () -> StateKernels.moveNegated(yWide, moved, 4, wide));
        boolean[] finite = new boolean[1];
        assertNoAllocation("allFinite", () -> finite[0] = StateKernels.allFinite(outWide, 0, wide));
        assertNoAllocation("scaled RMS", () -> rows[0] = ErrorNorms.scaled(NormKind.RMS, err, y, out, 0, n, 1e-6, 1e-3));
        assertNoAllocation("scaled MAX per-component",
                () -> rows[0] = ErrorNorms.scaled(NormKind.MAX, err, y, out, 0, n, atol, rtol));
        assertNoAllocation("scaledPerRow", () -> ErrorNorms.scaledPerRow(NormKind.RMS, err, y, out, 3, n / 3, atol, rtol, rows));
        assertNoAllocation("scaledSeminorm",
                () -> rows[0] = ErrorNorms.scaledSeminorm(NormKind.RMS, err, y, out, n, 1e-6, 1e-3, ignored));
        double[] bias = TestData.uniform(rnd, n, 1.0), u = new double[3 * n], a = new double[3 * n];
        double[] x = TestData.uniform(rnd, 3 * n, 1.0), g = new double[3 * n];
        for (ActivationKernel act : ActivationKernel.values()) {
            assertNoAllocation("biasActivate " + act, () -> act.biasActivate(x, 0, bias, 0, 3, n, u, 0, a, 0));
            // in place over rows of whole vectors: tanh adds the bias inside its pass
            int whole = n / Simd.LANES * Simd.LANES;
            assertNoAllocation("biasActivate in place " + act, () -> act.biasActivate(x, 0, bias, 0, 3, whole, u, 0, u, 0));
            assertNoAllocation("derivativeTimes " + act, () -> {
                java.util.Arrays.fill(g, 1.0);
                act.derivativeTimes(u, 0, a, 0, g, 0, 3 * n);
            });
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate((long) n * Double.BYTES);
            assertNoAllocation("segment copy", () -> {
                SegmentKernels.copy(y, 0, seg, 0, n);
                SegmentKernels.copy(seg, 0, out, 0, n);
            });
            assertNoAllocation("segment combine", () -> SegmentKernels.combine(seg, 0, 0.1, b, 7, k, 0, out, 0, n));
        }
    }

    @Test
    void gemmDoesNotAllocate() {
        SplittableRandom rnd = new SplittableRandom(6);
        double[] w = TestData.uniform(rnd, 50 * 50, 1.0), x = TestData.uniform(rnd, 16 * 50, 1.0);
        double[] c = new double[16 * 50], cw = new double[50 * 50];
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                // a 16 × 50 × 50 product with every transpose combination (the MLP's forward and VJP shapes)
                int lda = ta == Transpose.NO ? 50 : 16;
                assertNoAllocation("dgemm " + ta + tb, () -> Gemm.dgemm(ta, tb, 16, 50, 50, 1.0, x, 0, lda, w, 0, 50,
                        0.5, c, 0, 50));
            }
        }
        for (Transpose ta : Transpose.values()) {
            for (double beta : new double[] {0.0, 1.0}) {
                // the Java kernel's eight-row tiles with A by rows and by columns
                int lda = ta == Transpose.NO ? 50 : 16;
                assertNoAllocation("kernel " + ta + "N β " + beta, () -> GemmKernel.dgemm(ta, Transpose.NO, 16, 48, 50,
                        0.5, x, 0, lda, w, 0, 50, beta, c, 0, 50));
            }
        }
        double[] big = TestData.uniform(rnd, 128 * 48, 1.0);
        for (Transpose ta : Transpose.values()) {
            for (double beta : new double[] {0.0, 1.0}) {
                // from ALIGN_MIN_WORK multiply-adds on, B copied into micro-panels read by the eight-row tiles
                int lda = ta == Transpose.NO ? 128 : 16;
                assertNoAllocation("kernel micro-panels " + ta + "N β " + beta, () -> GemmKernel.dgemm(ta,
                        Transpose.NO, 16, 48, 128, 0.5, big, 0, lda, big, 0, 48, beta, c, 0, 50));
            }
        }
        assertNoAllocation("dgemm weight gradient",
                () -> Gemm.dgemm(Transpose.YES, Transpose.NO, 50, 50, 16, 1.0, x, 0, 50, x, 0, 50, 1.0, cw, 0, 50));
        // C in the same array as A, right after it: how a backprop pass writes a layer's pre-activation beside its
        // input (the argument checks once explained every such call, building their messages: 1.9 KB a gradient)
        double[] stage = TestData.uniform(rnd, 2 * 16 * 50, 1.0);
        assertNoAllocation("dgemm C beside A in one array",
                () -> Gemm.dgemm(Transpose.NO, Transpose.YES, 16, 50, 50, 1.0, stage, 0, 50, w, 0, 50, 0.0, stage,
                        16 * 50, 50));
        float[] wf = new float[50 * 50], stagef = new float[2 * 16 * 50];
        for (int i = 0; i < wf.length; i++) wf[i] = (float) w[i];
        for (int i = 0; i < stagef.length; i++) stagef[i] = (float) stage[i];
        assertNoAllocation("sgemm C beside A in one array",
                () -> GemmF32.sgemm(Transpose.NO, Transpose.YES, 16, 50, 50, 1f, stagef, 0, 50, wf, 0, 50, 0f, stagef,
                        16 * 50, 50));
    }

    @Test
    void javaKernelDoesNotAllocateWithOverwriteOnly() {
        // β = 0 only, every panel width, the masked tail, the dot-product form and k blocks: each shape is the only
        // one a kernel sees in its own warm-up, as in a forward pass
        SplittableRandom rnd = new SplittableRandom(7);
        double[] a = TestData.uniform(rnd, 300 * 300, 1.0), b = TestData.uniform(rnd, 300 * 300, 1.0);
        double[] c = new double[300 * 300];
        int[][] shapes = {{16, 2, 50}, {16, 50, 2}, {16, 50, 50}, {40, 32, 300}, {36, 200, 40}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            assertNoAllocation("kernel NT " + m + "x" + k + "x" + n, () -> GemmKernel.dgemm(Transpose.NO,
                    Transpose.YES, m, n, k, 1.0, a, 0, k, b, 0, k, 0.0, c, 0, n));
        }
    }
}
