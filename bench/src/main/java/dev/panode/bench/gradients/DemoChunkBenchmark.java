package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.training.BatchGradient;
import dev.panode.adjoint.training.BatchGradients;
import dev.panode.adjoint.training.TrajectoryDataset;
import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.RungeKutta;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor of {@link DemoBatchGradientBenchmark}'s two-thread score: the gradient of one chunk of 10 of its 20
 * windows alone, on one thread, as its own solve (the work one member of the team does, the same bits as that chunk
 * in the chunked batch gradient). Two threads take at least the slower chunk's time plus the hand-off; the chunk whose
 * windows need the most steps sets it, and each of its evaluations costs a fixed part independent of the rows (the
 * whole batch on one thread divided by this is the best two-thread speed-up the split allows).
 */
public class DemoChunkBenchmark extends PanodeBenchmark {

    /**
     * Which chunk: 0 (windows 0–9) or 1 (windows 10–19) of the halves, or {@code balanced:G} / {@code data:G}, chunk G
     * of the balanced cut into two ({@link DemoBatchGradientBenchmark}'s {@code chunkRows} of the same name), its
     * windows in the order that cut solves them.
     */
    @Param({"0", "1"})
    public String chunk;

    private BatchGradient gradient;
    private TrajectoryDataset.Batch batch;
    private double[] out;

    @Setup
    public void setUp() {
        TrajectoryDataset.Batch whole = DemoBatchGradientBenchmark.batch();
        Mlp model = DemoBatchGradientBenchmark.model();
        int[] chosen = windows(chunk, model, whole);
        int rows = chosen.length, k = whole.windowLength(), dim = whole.dim();
        double[] windows = new double[rows * k * dim];
        for (int w = 0; w < rows; w++) {
            for (int s = 0; s < k; s++) {
                System.arraycopy(whole.targets(), (s * whole.size() + chosen[w]) * dim, windows, (w * k + s) * dim,
                        dim);
            }
        }
        batch = new TrajectoryDataset(whole.times().clone(), windows, rows, dim).fullBatch();
        gradient = BatchGradients.meanAbsoluteError(model, RungeKutta.dopri5(), DemoBatchGradientBenchmark.OPTIONS,
                Backprop.storeAll());
        out = new double[model.parameterCount()];
    }

    /** The windows of {@code chunk} (see {@link #chunk}). */
    static int[] windows(String chunk, Mlp model, TrajectoryDataset.Batch whole) {
        int colon = chunk.indexOf(':');
        if (colon < 0) {
            int first = Integer.parseInt(chunk) * 10;
            return java.util.stream.IntStream.range(first, first + 10).toArray();
        }
        String cut = chunk.substring(0, colon);
        int[][] chunks = BatchGradients.balancedChunks(model, RungeKutta.dopri5(), DemoBatchGradientBenchmark.OPTIONS,
                2, DemoBatchGradientBenchmark.estimate(cut), whole);
        return chunks[Integer.parseInt(chunk.substring(colon + 1))];
    }

    @TearDown
    public void tearDown() {
        gradient.close();
    }

    @Benchmark
    public double chunkGradient() {
        return gradient.compute(batch, out).loss();
    }
}
