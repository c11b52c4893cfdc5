package dev.panode.bench.gradients;

import dev.panode.bench.suite.PanodeBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full gradient (forward solve, loss, backward pass) per operation, for each method on the reference MLP shapes,
 * T = 1, final and 10-observation losses, dopri5 rtol 1e-6 / atol 1e-8, through one reused
 * {@link dev.panode.adjoint.gradients.GradientSession} (the way training computes gradients). {@link GradientBenchmarkReport}
 * prints the matching NFE, checkpoint bytes, heap bytes and GEMM flops per gradient; {@code panode bench --roofline}
 * relates the time to the flop floor ({@link GradientFloor}) at the dgemm peak of the same run.
 */
public class GradientBenchmark extends PanodeBenchmark {

    /** D x H x B. */
    @Param({"2x50x1", "2x50x16", "2x64x1024", "32x256x256"})
    public String shape;

    /** final or multi (10 observations). */
    @Param({"final", "multi"})
    public String loss;

    /** The gradient method. */
    @Param({"backprop", "backsolve", "backsolve-seminorm", "interpolating", "interpolating-seminorm"})
    public String method;

    private GradientCase c;

    @Setup
    public void setUp() {
        c = new GradientCase(shape, loss, method);
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
