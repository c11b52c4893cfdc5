package dev.panode.bench.mlp;

import dev.panode.adjoint.models.SplitMix64;
import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.simd.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The yardstick for {@link MlpFieldBenchmark}: a square n×n×n dgemm, straight through OpenBLAS ({@link #openblas})
 * and through panode's dispatcher ({@link #dispatcher}). {@code 2n³} flops per call. When OpenBLAS is not loaded the
 * {@code openblas} benchmark measures nothing and returns at once (the report then prints "n/a").
 */
public class DgemmPeakBenchmark extends PanodeBenchmark {

    @Param({"512"})
    public int n;

    private double[] a;
    private double[] b;
    private double[] c;
    private boolean native_;

    @Setup
    public void setUp() {
        SplitMix64 rng = new SplitMix64(5);
        a = new double[n * n];
        b = new double[n * n];
        c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.uniform(-1, 1);
            b[i] = rng.uniform(-1, 1);
        }
        native_ = Blas.isAvailable();
    }

    @Benchmark
    public double[] openblas() {
        if (native_) Blas.dgemm(Transpose.NO, Transpose.NO, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
        return c;
    }

    @Benchmark
    public double[] dispatcher() {
        Gemm.dgemm(Transpose.NO, Transpose.NO, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
        return c;
    }
}
