package dev.panode.bench.batching;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver.Packing;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolverWorkspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wall time of one solve of a {@link HeterogeneousBatch}: shared stepping, per-sample with masking, per-sample with
 * compaction. The counts (NFE per sample, field rows evaluated) are printed at the end of each trial; they are
 * deterministic and also checked by a unit test.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchingBenchmark extends PanodeBenchmark {

    @Param({"mlp", "vanderpol"})
    public String problem;

    private HeterogeneousBatch batch;
    private final SolverWorkspace workspace = new SolverWorkspace();

    @Setup(Level.Trial)
    public void setUp() {
        batch = HeterogeneousBatch.of(problem);
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println(BatchingCounts.of(batch).summary());
    }

    @Benchmark
    public double shared() {
        Solution s = batch.shared(workspace);
        return s.value(0, 0, 0);
    }

    @Benchmark
    public double perSampleMasked() {
        PerSampleSolution s = batch.perSample(Packing.MASK);
        return s.state(0, 0)[0];
    }

    @Benchmark
    public double perSampleCompacted() {
        PerSampleSolution s = batch.perSample(Packing.COMPACT);
        return s.state(0, 0)[0];
    }
}
