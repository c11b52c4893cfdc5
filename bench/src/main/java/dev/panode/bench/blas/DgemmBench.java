package dev.panode.bench.blas;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row-major {@code C = A·B} through the checked facade {@code Blas.dgemm} on the shapes of panode's MLP layers
 * ({@code shape} = m×n×k: batch × out × in), from 16×50×2 to 512³. Each operation is 2mnk flops; {@code ./panode bench}
 * prints GFLOP/s next to the time (see {@link dev.panode.bench.suite.FlopModels}). The largest shape is also the dgemm
 * peak that the roofline of the MLP benchmarks divides by.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DgemmBench extends PanodeBenchmark {
    /** m×n×k */
    @Param({"16x50x2", "16x2x50", "256x64x64", "1024x256x256", "512x512x512"})
    public String shape;

    private int m, n, k;
    private double[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        BlasBenchSupport.requireNative();
        int[] d = BlasBenchSupport.parseShape(shape);
        m = d[0];
        n = d[1];
        k = d[2];
        SplittableRandom rnd = new SplittableRandom(7);
        a = rnd.doubles((long) m * k, -1, 1).toArray();
        b = rnd.doubles((long) k * n, -1, 1).toArray();
        c = new double[m * n];
    }

    @Benchmark
    public double[] dgemm() {
        Blas.dgemm(Transpose.NO, Transpose.NO, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, c, 0, n);
        return c;
    }
}
