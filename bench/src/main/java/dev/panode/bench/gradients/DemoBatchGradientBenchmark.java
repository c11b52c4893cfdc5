package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.SpiralField;
import dev.panode.adjoint.training.BatchGradient;
import dev.panode.adjoint.training.BatchGradients;
import dev.panode.adjoint.training.SplitEstimate;
import dev.panode.adjoint.training.TrajectoryDataset;
import dev.panode.adjoint.models.Activation;
import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The batch gradient of one iteration of torchdiffeq's {@code ode_demo.py} settings: the spiral (1000 observations on
 * [0, 25] from (2, 0)), 20 windows of 10 observations, MLP 2 → 50 → 2 on u³, dopri5 rtol 1e-7 / atol 1e-9, mean
 * absolute error, backprop. {@code chunkRows = 20} is the whole batch in one solve (the default
 * {@link BatchGradients}); smaller chunks are solved separately on {@code threads} threads and combined in chunk
 * order (the same bits for any thread count) by the calling thread and persistent workers. {@code chunkRows =
 * balanced} cuts the batch into two chunks balanced by each window's estimated steps
 * ({@link BatchGradients#meanAbsoluteErrorBalanced}), {@code chunkRows = data} the same with each window's steps
 * estimated from its observations ({@code SplitEstimate.OBSERVED}). The same 20 windows every call. The 2-thread speed-up is the
 * 2-thread score against the whole batch on one thread, and against the same chunks on one thread.
 */
public class DemoBatchGradientBenchmark extends PanodeBenchmark {

    /** Windows per independent solve: 20 (one solve), 10 (two chunks), 5 (four chunks), or balanced (two chunks
     * balanced by estimated cost, evaluated), or data (the same, the cost estimated from the windows'
     * observations). */
    @Param({"20", "10", "5", "balanced", "data"})
    public String chunkRows;

    /** Worker threads for the chunks. */
    @Param({"1", "2"})
    public int threads;

    private BatchGradient gradient;
    private TrajectoryDataset.Batch batch;
    private double[] out;

    @Setup
    public void setUp() {
        Mlp model = model();
        if (chunkRows.equals("balanced") || chunkRows.equals("data")) {
            gradient = BatchGradients.meanAbsoluteErrorBalanced(model, RungeKutta.dopri5(), OPTIONS,
                    Backprop.storeAll(), 2, threads, estimate(chunkRows));
        } else {
            int rows = Integer.parseInt(chunkRows);
            gradient = rows >= 20 && threads == 1
                    ? BatchGradients.meanAbsoluteError(model, RungeKutta.dopri5(), OPTIONS, Backprop.storeAll())
                    : BatchGradients.meanAbsoluteError(model, RungeKutta.dopri5(), OPTIONS, Backprop.storeAll(),
                            rows, threads);
        }
        batch = batch();
        out = new double[model.parameterCount()];
    }

    /** The balanced cut's estimate: {@code balanced} evaluates the model, {@code data} reads the observations. */
    static SplitEstimate estimate(String cut) {
        return cut.equals("data") ? SplitEstimate.OBSERVED : SplitEstimate.EVALUATED;
    }

    /** ode_demo's solver settings: dopri5 at rtol 1e-7 / atol 1e-9. */
    static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();

    /** The demo's untrained model: MLP 2 → 50 → 2 with tanh on u³, seed 7. */
    static Mlp model() {
        MlpArchitecture a = MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        return Mlp.initialised(a, Initialisation.XAVIER_NORMAL, 7, 0.1 / Math.sqrt(2.0 / 52));
    }

    /** The benchmark's 20 windows of 10 observations of the spiral (seed 1). */
    static TrajectoryDataset.Batch batch() {
        int k = 1000;
        double[] t = new double[k];
        for (int i = 0; i < k; i++) t[i] = 25.0 * i / (k - 1);
        double[] y = Solver.solve(SpiralField.torchdiffeqDemo(), new double[] {2.0, 0.0}, 1, 0.0, 25.0,
                RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-10).atol(1e-12).saveAt(SaveAt.times(t)).build())
                .states();
        TrajectoryDataset data = TrajectoryDataset.single(t, y, 2);
        TrajectoryDataset.Batch batch = data.newBatch(20, 10);
        data.sampleWindows(new SplittableRandom(1), batch);
        return batch;
    }

    /** One batch gradient, with its evaluations (forward and backward), for probes. */
    BatchGradient.Step step() {
        return gradient.compute(batch, out);
    }

    @TearDown
    public void tearDown() {
        gradient.close();
    }

    @Benchmark
    public double batchGradient() {
        return gradient.compute(batch, out).loss();
    }
}
