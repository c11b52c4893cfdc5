package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.simd.ActivationKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Fused bias + activation over a batch ({@code n} elements as {@code n/cols × cols}, cols = 50 — the MLP's hidden
 * width, so the masked tail is exercised) and the derivative-times-cotangent: vector vs scalar twin.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ActivationBench extends PanodeBenchmark {

    @Param({"32", "1000", "100000"})
    public int n;

    @Param({"TANH", "SOFTPLUS", "RELU", "SIGMOID", "SIN"})
    public ActivationKernel activation;

    private int rows, cols;
    private double[] x, bias, u, a, g, g0;

    @Setup
    public void setUp() {
        cols = Math.min(n, 50);
        rows = n / cols;
        SplittableRandom rnd = new SplittableRandom(44);
        x = rnd.doubles(rows * cols, -3, 3).toArray();
        bias = rnd.doubles(cols, -1, 1).toArray();
        u = new double[rows * cols];
        a = new double[rows * cols];
        g0 = rnd.doubles(rows * cols, -1, 1).toArray();
        g = g0.clone();
        activation.biasActivateScalar(x, 0, bias, 0, rows, cols, u, 0, a, 0);
    }

    @Benchmark
    public double[] biasActivate() {
        activation.biasActivate(x, 0, bias, 0, rows, cols, u, 0, a, 0);
        return a;
    }

    @Benchmark
    public double[] biasActivateScalar() {
        activation.biasActivateScalar(x, 0, bias, 0, rows, cols, u, 0, a, 0);
        return a;
    }

    /**
     * g is scaled in place, so each call first restores it (a copy, the same in both variants): otherwise it decays
     * into subnormals, whose arithmetic is many times slower.
     */
    @Benchmark
    public double[] derivativeTimes() {
        System.arraycopy(g0, 0, g, 0, g.length);
        activation.derivativeTimes(u, 0, a, 0, g, 0, rows * cols);
        return g;
    }

    @Benchmark
    public double[] derivativeTimesScalar() {
        System.arraycopy(g0, 0, g, 0, g.length);
        activation.derivativeTimesScalar(u, 0, a, 0, g, 0, rows * cols);
        return g;
    }
}
