package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.simd.StageKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** dopri5's 7-stage combination {@code y + h·Σ bᵢkᵢ} (two zero weights) and its error estimate: vector vs scalar twin. */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StageKernelsBench extends PanodeBenchmark {

    @Param({"32", "1000", "100000"})
    public int n;

    private static final double[] B = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0};
    private static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

    private double[] y;
    private double[] out;
    private double[][] k;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        y = rnd.doubles(n, -1, 1).toArray();
        out = new double[n];
        k = new double[7][];
        for (int i = 0; i < 7; i++) k[i] = rnd.doubles(n, -1, 1).toArray();
    }

    @Benchmark
    public double[] combine() {
        StageKernels.combine(y, 0, 0.01, B, 7, k, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public double[] combineScalar() {
        StageKernels.combineScalar(y, 0, 0.01, B, 7, k, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public double[] errorEstimate() {
        StageKernels.errorEstimate(0.01, E, 7, k, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public double[] errorEstimateScalar() {
        StageKernels.errorEstimateScalar(0.01, E, 7, k, 0, out, 0, n);
        return out;
    }
}
