package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmF32;
import dev.panode.simd.GemmKernelF32;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The float GEMM against the double one at the MLP forward shapes {@code m×k×n} (batch × in × out, {@code X·Wᵀ}):
 * {@link Gemm#dgemm} (the f64 dispatcher), {@link GemmF32#sgemm} (the f32 dispatcher), and the two f32 backends
 * alone, {@link GemmKernelF32} and OpenBLAS's {@code cblas_sgemm}. Same operands in both precisions (the doubles
 * rounded to float). Methods are kept out of JMH's on-stack-compiled loop ({@code DONT_INLINE}) as in
 * {@link GemmBench}.
 */
public class GemmF32Bench extends PanodeBenchmark {

    /** {@code m×k×n}: the three layers of the d2_h50_b1, d2_h50_b16, d2_h64_b1024 and d32_h256_b256 cases. */
    @Param({"1x2x50", "1x50x50", "1x50x2", "16x2x50", "16x50x50", "16x50x2", "1024x2x64", "1024x64x64", "1024x64x2",
            "256x32x256", "256x256x256", "256x256x32"})
    public String shape;

    private int m, n, k;
    private double[] a, b, c;
    private float[] af, bf, cf;

    @Setup
    public void setUp() {
        int[] d = GemmProblem.dims(shape);
        m = d[0];
        k = d[1];
        n = d[2];
        SplittableRandom rnd = new SplittableRandom(45);
        a = rnd.doubles((long) m * k, -1, 1).toArray();
        b = rnd.doubles((long) n * k, -1, 1).toArray(); // W, stored out × in
        c = new double[m * n];
        af = toFloat(a);
        bf = toFloat(b);
        cf = new float[m * n];
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public double[] f64Dispatcher() {
        Gemm.dgemm(Transpose.NO, Transpose.YES, m, n, k, 1.0, a, 0, k, b, 0, k, 0.0, c, 0, n);
        return c;
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public float[] f32Dispatcher() {
        GemmF32.sgemm(Transpose.NO, Transpose.YES, m, n, k, 1.0f, af, 0, k, bf, 0, k, 0.0f, cf, 0, n);
        return cf;
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public float[] f32JavaKernel() {
        GemmKernelF32.sgemm(Transpose.NO, Transpose.YES, m, n, k, 1.0f, af, 0, k, bf, 0, k, 0.0f, cf, 0, n);
        return cf;
    }

    /** OpenBLAS's sgemm, or {@code Blas}'s Java fallback when it is not loaded. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public float[] f32Openblas() {
        Blas.sgemmUnchecked(Transpose.NO, Transpose.YES, m, n, k, 1.0f, af, 0, k, bf, 0, k, 0.0f, cf, 0, n);
        return cf;
    }
}
