package dev.panode.simd;

import dev.panode.blas.Transpose;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link KernelCompilationTest}: the 16-row 50 × 50 weight gradient {@code W̄ += Ūᵀ·X} first (the
 * call order that made C1 give up a kernel), then every Java GEMM kernel over shapes that reach each of them, for
 * one precision ({@code f64} or {@code f32}); in f64 also the tanh layers' blocks of {@link DenseKernel}.
 */
final class KernelCompileProbe {
    private static final int[] M = {1, 3, 4, 5, 16};
    private static final int[] N = {1, 3, 4, 5, 8, 9, 12, 13, 16, 17, 24, 25, 50};
    private static final int[] K = {1, 3, 16};
    private static final double[] BETA = {0.0, 1.0};

    private KernelCompileProbe() {}

    public static void main(String[] args) {
        boolean f64 = args[0].equals("f64");
        int gradientCalls = Integer.parseInt(args[1]), sweeps = Integer.parseInt(args[2]);
        SplittableRandom rnd = new SplittableRandom(7);
        double[] a = TestData.uniform(rnd, 64 * 64, 1.0), b = TestData.uniform(rnd, 64 * 64, 1.0);
        double[] c = new double[64 * 64];
        float[] af = new float[a.length], bf = new float[b.length], cf = new float[c.length];
        for (int i = 0; i < a.length; i++) {
            af[i] = (float) a[i];
            bf[i] = (float) b[i];
        }
        for (int i = 0; i < gradientCalls; i++) {
            if (f64) Gemm.dgemmJava(Transpose.YES, Transpose.NO, 50, 50, 16, 1.0, a, 0, 50, b, 0, 50, 1.0, c, 0, 50);
            else GemmF32.sgemmJava(Transpose.YES, Transpose.NO, 50, 50, 16, 1f, af, 0, 50, bf, 0, 50, 1f, cf, 0, 50);
        }
        for (int s = 0; s < sweeps; s++) {
            for (int m : M) for (int n : N) for (int k : K) for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) for (double beta : BETA) {
                    int lda = ta == Transpose.NO ? k : m, ldb = tb == Transpose.NO ? n : k;
                    if (f64) Gemm.dgemmJava(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, beta, c, 0, n);
                    else GemmF32.sgemmJava(ta, tb, m, n, k, 1f, af, 0, lda, bf, 0, ldb, (float) beta, cf, 0, n);
                }
            }
        }
        if (f64) denseLayers(rnd, gradientCalls);
    }

    /**
     * The tanh layers' blocks in place, as a backprop forward pass runs them: the two-input rows, the panel with its
     * partial vector in one pass ({@link GemmKernel#blockPadded}) and the tanh pass that adds the bias.
     */
    private static void denseLayers(SplittableRandom rnd, int calls) {
        for (int[] layer : new int[][] {{2, 50}, {50, 50}, {50, 25}}) {
            int in = layer[0], out = layer[1];
            DenseKernel kernel = DenseKernel.of(in, out, ActivationKernel.TANH);
            DenseKernel.Workspace ws = kernel.newWorkspace();
            double[] theta = TestData.uniform(rnd, in * out + out, 0.5);
            for (int rows : M) {
                double[] x = TestData.uniform(rnd, rows * in, 1.0), u = new double[rows * out];
                for (int i = 0; i < calls; i++) kernel.forward(rows, x, 0, theta, 0, in * out, u, 0, u, 0, ws);
            }
        }
    }
}
