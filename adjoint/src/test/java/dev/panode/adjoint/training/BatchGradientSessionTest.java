package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.models.Mlp;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchGradients} on sessions: one training iteration allocates nothing once warm, the one-chunk gradient is
 * {@link Gradients#compute}'s on the whole batch, a chunked or balanced gradient has the same bits on 1, 2 and 3
 * threads, and a balanced one is its groups' gradients weighted.
 */
class BatchGradientSessionTest {
    /** The demo's settings: windows of 10 observations, dopri5 at rtol 1e-7 / atol 1e-9. */
    static final SolveOptions DEMO = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();

    /**
     * A run of 8 iterations allocates exactly 32 bytes more than a run of 4 (its loss history holds 4 more doubles):
     * the iterations themselves — window draw, batch gradient, optimiser step — allocate nothing once warm.
     */
    @Test
    void oneTrainingIterationAllocatesNothingOnceWarm() {
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        Mlp model = NeuralOdeTrainingTest.model();
        for (GradientMethod m : List.of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.SEMINORM))) {
            try (BatchGradient gradient = BatchGradients.meanAbsoluteError(model, RungeKutta.dopri5(), DEMO, m)) {
                assertWarmIterationsAllocateNothing(m.toString(), model, data, gradient);
            }
        }
        // balanced chunks on one thread: a new split every iteration, a session per chunk size seen
        try (BatchGradient gradient = BatchGradients.meanAbsoluteErrorBalanced(model, RungeKutta.dopri5(), DEMO,
                Backprop.storeAll(), 2, 1)) {
            assertWarmIterationsAllocateNothing("balanced", model, data, gradient);
        }
        // the same cut from the windows' observations
        try (BatchGradient gradient = BatchGradients.meanAbsoluteErrorBalanced(model, RungeKutta.dopri5(), DEMO,
                Backprop.storeAll(), 2, 1, SplitEstimate.OBSERVED)) {
            assertWarmIterationsAllocateNothing("balanced, observed", model, data, gradient);
        }
    }

    /**
     * Trains {@code model} by {@code gradient} for 4 and for 8 iterations, many times, then checks that the longer run
     * allocates exactly the 4 more doubles of its loss history.
     */
    static void assertWarmIterationsAllocateNothing(String what, Mlp model, TrajectoryDataset data,
                                                    BatchGradient gradient) {
        Trainer shorter = new Trainer(new Adam(1e-4), new Trainer.Config(4, 20, 10, 3));
        Trainer longer = new Trainer(new Adam(1e-4), new Trainer.Config(8, 20, 10, 3));
        Runnable four = () -> shorter.train(model, data, gradient, Trainer.Listener.NONE);
        Runnable eight = () -> longer.train(model, data, gradient, Trainer.Listener.NONE);
        for (int i = 0; i < 150; i++) {
            four.run();
            eight.run();
        }
        Allocations.Measurement m = Allocations.repeat(1,
                () -> Allocations.allocatedBy(eight) - Allocations.allocatedBy(four), gap -> gap == 4 * Double.BYTES,
                Allocations.BOUND);
        assertEquals(4 * Double.BYTES, m.lastBytes(),
                what + ": bytes of 8 iterations less bytes of 4 iterations, " + m);
    }

    /**
     * A warm 2-thread batch gradient (four chunks of 5 windows, two on the calling thread, two on the team's worker)
     * allocates 0 bytes per call, counted on the calling thread and on the worker; closing it stops the worker.
     */
    @Test
    void aWarmTwoThreadBatchGradientAllocatesNothing() {
        Mlp model = NeuralOdeTrainingTest.model();
        assertWarmTwoThreadCallsAllocateNothing(model, BatchGradients.meanAbsoluteError(model, RungeKutta.dopri5(),
                DEMO, Backprop.storeAll(), 5, 2));
    }

    /** The same for two balanced chunks on two threads: the estimate's region, the split and the chunks' region. */
    @Test
    void aWarmTwoThreadBalancedBatchGradientAllocatesNothing() {
        Mlp model = NeuralOdeTrainingTest.model();
        assertWarmTwoThreadCallsAllocateNothing(model, BatchGradients.meanAbsoluteErrorBalanced(model,
                RungeKutta.dopri5(), DEMO, Backprop.storeAll(), 2, 2));
    }

    /** The same for two balanced chunks cut from the windows' observations: the split and the chunks' region. */
    @Test
    void aWarmTwoThreadObservedBalancedBatchGradientAllocatesNothing() {
        Mlp model = NeuralOdeTrainingTest.model();
        assertWarmTwoThreadCallsAllocateNothing(model, BatchGradients.meanAbsoluteErrorBalanced(model,
                RungeKutta.dopri5(), DEMO, Backprop.storeAll(), 2, 2, SplitEstimate.OBSERVED));
    }

    private static void assertWarmTwoThreadCallsAllocateNothing(Mlp model, BatchGradient gradient) {
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        TrajectoryDataset.Batch batch = sampled(data, 20, 10, 5);
        double[] grad = new double[model.parameterCount()];
        Thread[] workers;
        try (BatchGradient g = gradient) {
            Runnable call = () -> g.computeLoss(batch, grad, new long[2]);
            call.run();
            workers = ((ChunkedBatchGradient) g).workers();
            assertEquals(1, workers.length, "one worker beside the calling thread");
            long[] nfe = new long[2];
            Runnable warm = () -> g.computeLoss(batch, grad, nfe);
            for (int i = 0; i < 300; i++) warm.run();
            long[] callerWorker = new long[2];
            Runnable fifty = () -> {
                for (int i = 0; i < 50; i++) warm.run();
            };
            Allocations.Measurement m = Allocations.repeat(50, () -> {
                long w0 = Allocations.allocatedSoFar(workers[0]);
                callerWorker[0] = Allocations.allocatedBy(fifty);
                callerWorker[1] = Allocations.allocatedSoFar(workers[0]) - w0;
                return callerWorker[0] + callerWorker[1];
            }, bytes -> bytes == 0, Allocations.BOUND);
            assertEquals(0, callerWorker[0], "bytes on the calling thread over 50 warm 2-thread batch gradients, " + m);
            assertEquals(0, callerWorker[1], "bytes on the worker over 50 warm 2-thread batch gradients, " + m);
        }
        try {
            workers[0].join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(false, workers[0].isAlive(), "close() stops the worker");
    }

    /** A batch of {@code size} windows of {@code window} observations drawn with {@code seed}. */
    private static TrajectoryDataset.Batch sampled(TrajectoryDataset data, int size, int window, long seed) {
        TrajectoryDataset.Batch batch = data.newBatch(size, window);
        data.sampleWindows(new SplittableRandom(seed), batch);
        return batch;
    }

    @Test
    void oneChunkIsTheWholeBatchGradient() {
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        Mlp model = NeuralOdeTrainingTest.model();
        TrajectoryDataset.Batch batch = sampled(data, 6, 5, 9);
        WindowLoss loss = new WindowLoss(false);
        loss.bind(batch);
        GradientResult ref = Gradients.compute(model, batch.y0(), batch.size(), batch.times(), loss,
                RungeKutta.dopri5(), DEMO, Backprop.storeAll());
        try (BatchGradient g = BatchGradients.meanSquaredError(model, RungeKutta.dopri5(), DEMO, Backprop.storeAll())) {
            double[] grad = new double[model.parameterCount()];
            for (int repeat = 0; repeat < 2; repeat++) {
                BatchGradient.Step step = g.compute(batch, grad);
                assertEquals(Double.doubleToLongBits(ref.loss()), Double.doubleToLongBits(step.loss()));
                assertArrayEquals(ref.dLdTheta(), grad, 0.0);
                assertEquals(ref.stats().forwardNfe(), step.nfeForward());
            }
        }
    }

    /** How a test makes a split batch gradient for a method and a thread count. */
    private interface SplitGradient {
        BatchGradient make(Mlp model, GradientMethod m, int threads);
    }

    @Test
    void chunkedGradientsHaveTheSameBitsOnAnyNumberOfThreads() {
        assertSameBitsOnAnyNumberOfThreads((model, m, threads) -> BatchGradients.meanAbsoluteError(model,
                RungeKutta.dopri5(), DEMO, m, 3, threads));
    }

    @Test
    void balancedGradientsHaveTheSameBitsOnAnyNumberOfThreads() {
        assertSameBitsOnAnyNumberOfThreads((model, m, threads) -> BatchGradients.meanAbsoluteErrorBalanced(model,
                RungeKutta.dopri5(), DEMO, m, 3, threads));
    }

    @Test
    void observedBalancedGradientsHaveTheSameBitsOnAnyNumberOfThreads() {
        assertSameBitsOnAnyNumberOfThreads((model, m, threads) -> BatchGradients.meanAbsoluteErrorBalanced(model,
                RungeKutta.dopri5(), DEMO, m, 3, threads, SplitEstimate.OBSERVED));
    }

    private static void assertSameBitsOnAnyNumberOfThreads(SplitGradient split) {
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        Mlp model = NeuralOdeTrainingTest.model();
        TrajectoryDataset.Batch batch = data.newBatch(20, 10);
        for (GradientMethod m : List.of(Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.SEMINORM))) {
            double[][] grads = new double[3][];
            double[] losses = new double[3];
            for (int threads = 1; threads <= 3; threads++) {
                try (BatchGradient g = split.make(model, m, threads)) {
                    double[] grad = new double[model.parameterCount()];
                    for (int it = 0; it < 3; it++) {
                        data.sampleWindows(new SplittableRandom(40 + it), batch);
                        losses[threads - 1] += g.compute(batch, grad).loss();
                    }
                    grads[threads - 1] = grad;
                }
            }
            for (int t = 1; t < 3; t++) {
                assertEquals(Double.doubleToLongBits(losses[0]), Double.doubleToLongBits(losses[t]),
                        m + ": loss with " + (t + 1) + " threads");
                assertArrayEquals(grads[0], grads[t], 0.0, m + ": gradient with " + (t + 1) + " threads");
            }
            // the chunks are real: the chunked loss is the weighted mean of the chunks' own losses
            data.sampleWindows(new SplittableRandom(42), batch);
            double whole;
            try (BatchGradient g = BatchGradients.meanAbsoluteError(model, RungeKutta.dopri5(), DEMO, m)) {
                whole = g.compute(batch, new double[model.parameterCount()]).loss();
            }
            double chunked;
            try (BatchGradient g = split.make(model, m, 2)) {
                chunked = g.compute(batch, new double[model.parameterCount()]).loss();
            }
            assertEquals(whole, chunked, 1e-6 * whole, "the same loss up to the solves' tolerance");
            assertNotEquals(whole, chunked, "separate solves per chunk take their own steps");
        }
    }

    /**
     * A balanced batch gradient is, bit for bit, the gradients of its split's groups computed alone
     * ({@link Gradients#compute} on each group's windows, in the split's order) weighted by their share of the batch
     * and added in group order; and its NFE are the groups' summed.
     */
    @Test
    void aBalancedGradientIsItsGroupsGradientsWeighted() {
        assertBalancedGradientIsItsGroupsGradientsWeighted(SplitEstimate.EVALUATED);
    }

    /** The same for the cut from the windows' observations ({@link BalancedSplit#splitObserved}). */
    @Test
    void anObservedBalancedGradientIsItsGroupsGradientsWeighted() {
        assertBalancedGradientIsItsGroupsGradientsWeighted(SplitEstimate.OBSERVED);
    }

    private static void assertBalancedGradientIsItsGroupsGradientsWeighted(SplitEstimate estimate) {
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        Mlp model = NeuralOdeTrainingTest.model();
        TrajectoryDataset.Batch batch = sampled(data, 20, 10, 7);
        BalancedSplit split = new BalancedSplit(model, 2, RungeKutta.dopri5(), DEMO, 2);
        if (estimate == SplitEstimate.OBSERVED) split.splitObserved(batch);
        else split.split(batch);
        assertEquals(2, split.groups());
        int[][] chunks = BatchGradients.balancedChunks(model, RungeKutta.dopri5(), DEMO, 2, estimate, batch);
        assertEquals(2, chunks.length);
        for (int g = 0; g < 2; g++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(split.windows(), split.start(g), split.end(g)), chunks[g]);
        }
        double[] expected = new double[model.parameterCount()];
        double expectedLoss = 0.0;
        long forward = 0;
        for (int g = 0; g < split.groups(); g++) {
            int rows = split.end(g) - split.start(g);
            int[] windows = java.util.Arrays.copyOfRange(split.windows(), split.start(g), split.end(g));
            double[] y0 = new double[rows * 2];
            for (int r = 0; r < rows; r++) System.arraycopy(batch.y0(), windows[r] * 2, y0, r * 2, 2);
            WindowLoss loss = new WindowLoss(true);
            loss.bind(batch, windows, rows);
            GradientResult part = Gradients.compute(model, y0, rows, batch.times(), loss, RungeKutta.dopri5(), DEMO,
                    Backprop.storeAll());
            double w = (double) rows / batch.size();
            expectedLoss += w * part.loss();
            for (int j = 0; j < expected.length; j++) expected[j] += w * part.dLdTheta()[j];
            forward += part.stats().forwardNfe();
        }
        try (BatchGradient g = BatchGradients.meanAbsoluteErrorBalanced(model, RungeKutta.dopri5(), DEMO,
                Backprop.storeAll(), 2, 2, estimate)) {
            double[] grad = new double[model.parameterCount()];
            for (int repeat = 0; repeat < 2; repeat++) {
                BatchGradient.Step step = g.compute(batch, grad);
                assertEquals(Double.doubleToLongBits(expectedLoss), Double.doubleToLongBits(step.loss()));
                assertArrayEquals(expected, grad, 0.0);
                assertEquals(forward, step.nfeForward());
            }
        }
    }

    @Test
    void badSplitsAreNamed() {
        Mlp model = NeuralOdeTrainingTest.model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchGradients
                .meanSquaredError(model, RungeKutta.dopri5(), DEMO, Backprop.storeAll(), 0, 2));
        assertEquals("chunkRows must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchGradients
                .meanSquaredError(model, RungeKutta.dopri5(), DEMO, Backprop.storeAll(), 4, 0));
        assertEquals("threads must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchGradients
                .meanAbsoluteErrorBalanced(model, RungeKutta.dopri5(), DEMO, Backprop.storeAll(), 0, 2));
        assertEquals("parts must be >= 1, got 0", e.getMessage());
    }
}
