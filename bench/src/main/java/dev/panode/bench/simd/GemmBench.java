package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.simd.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@code C = op(A)·op(B)} at the MLP shapes {@code m×k×n} (batch × in × out), for the Java kernel alone, OpenBLAS alone
 * and the dispatcher {@link Gemm#dgemm}. {@code trans} selects the layout: {@code NT} is the MLP forward pass
 * ({@code X·Wᵀ}, W stored out × in), {@code NN} the input cotangent ({@code Ū·W}), {@code TN} the weight gradient
 * ({@code Ūᵀ·X}, with the shape read as {@code out×batch×in}).
 *
 * <p>When OpenBLAS is not loaded, {@link #openblas} measures {@code Blas}'s pure-Java fallback instead (the suite
 * marks the row "unavailable"). Each backend runs in its own fork here, so on a busy machine fork-to-fork noise
 * (±20% on a shared two-core VM) swamps small differences between them: for the dispatch comparison use the paired
 * {@link GemmDuetBench}. Every benchmark method is kept out of JMH's measurement loop
 * ({@code DONT_INLINE}): that loop is compiled on-stack, and an on-stack compile does not scalar-replace the heap
 * segments of an OpenBLAS call (216 B and about 0.3 µs a call that no real caller pays). To re-measure the dispatch thresholds, see {@link GemmCalibration} and
 * docs/benchmarks/simd.md.
 */
public class GemmBench extends PanodeBenchmark {

    /** {@code m×k×n}. */
    @Param({"16x2x50", "16x50x50", "16x50x2", "1024x2x64", "1024x64x64", "256x32x256", "256x256x256", "256x256x32"})
    public String shape;

    @Param({"NT"})
    public String trans;

    private GemmProblem problem;

    @Setup
    public void setUp() {
        problem = new GemmProblem(shape, trans);
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public double[] javaKernel() {
        return problem.javaKernel();
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public double[] openblas() {
        return problem.openblas();
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public double[] dispatcher() {
        return problem.dispatcher();
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public double[] naive() {
        return problem.naive();
    }
}
