package dev.panode.bench.gradients;

import dev.panode.bench.suite.PanodeBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The SciML spiral gradient benchmark ({@link SpiralGradientCase}): MLP 2 → 50 → 2 on u³, tsit5 rtol 1e-3 / atol 1e-6,
 * 30 observations on [0, 1.5], batch 1, squared error against the true spiral; one gradient per operation with
 * backprop, the backsolve seminorm adjoint and the interpolating seminorm adjoint (the adjoints restart at each of
 * the 29 observation intervals).
 */
public class SpiralGradientBenchmark extends PanodeBenchmark {

    /** The gradient method. */
    @Param({"backprop", "backsolve-seminorm", "interpolating-seminorm"})
    public String method;

    private SpiralGradientCase c;

    @Setup
    public void setUp() {
        c = new SpiralGradientCase(method);
    }

    @TearDown
    public void tearDown() {
        c.close();
    }

    @Benchmark
    public double gradient() {
        return c.gradient();
    }
}
