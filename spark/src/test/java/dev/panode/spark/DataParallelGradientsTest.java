package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.training.Adam;
import dev.panode.adjoint.training.BatchGradient;
import dev.panode.adjoint.training.BatchGradients;
import dev.panode.adjoint.training.Trainer;
import dev.panode.adjoint.training.TrajectoryDataset;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Solver;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel gradient against the single-JVM gradient of the same data (BatchGradients on the full batch,
 * panode's own training path), and data-parallel Adam against the single-JVM Trainer's loss curve.
 */
class DataParallelGradientsTest {
    private static final int N = 24, DIM = 2;
    private static final double[] TIMES = {0.0, 0.2, 0.4, 0.6, 0.8};
    private static final SolveSpec FIXED = SolveSpec.fixedSteps("rk4", 8);
    private static TrajectoryDataset data;
    private static JavaRDD<double[]> rdd;

    @BeforeAll
    static void data() {
        Mlp truth = Mlp.initialised(MlpArchitecture.mlp3Tanh(DIM, 12), Initialisation.PYTORCH_DEFAULT, 3, 2.0);
        SplittableRandom random = new SplittableRandom(5);
        double[] values = new double[N * TIMES.length * DIM];
        List<double[]> list = new ArrayList<>();
        for (int b = 0; b < N; b++) {
            double[] y0 = {random.nextDouble(-1, 1), random.nextDouble(-1, 1)};
            Solution s = Solver.solve(OdeProblem.of(truth, y0, TIMES));
            double[] traj = s.states();
            System.arraycopy(traj, 0, values, b * TIMES.length * DIM, traj.length);
            list.add(traj);
        }
        data = new TrajectoryDataset(TIMES, values, N, DIM);
        rdd = SparkTestSession.context().parallelize(list, 3).cache();
    }

    @AfterAll
    static void release() {
        rdd.unpersist();
    }

    private static Mlp model() {
        return Mlp.initialised(MlpArchitecture.mlp3Tanh(DIM, 12), Initialisation.PYTORCH_DEFAULT, 9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"backprop", "adjoint", "interpolating-seminorm"})
    void distributedGradientEqualsTheSingleJvmGradient(String gradient) {
        SolveSpec spec = FIXED.withGradient(gradient);
        Mlp model = model();
        GradientSum distributed = new DataParallelGradients(rdd, TIMES, DIM, spec, 5).compute(ModelSpec.of(model));

        BatchGradient single = BatchGradients.meanSquaredError(model, spec.rungeKutta(),
                spec.options(TIMES[0], TIMES[TIMES.length - 1], true), spec.gradientMethod());
        double[] expected = new double[model.parameterCount()];
        double loss = single.compute(data.fullBatch(), expected).loss();

        assertEquals(loss, distributed.loss(), 1e-12 * loss);
        double scale = 0;
        for (double g : expected) scale = Math.max(scale, Math.abs(g));
        assertTrue(scale > 0);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], distributed.gradient()[i], 1e-12 * scale, gradient + ": dL/dθ[" + i + "]");
        }
        assertEquals(N, distributed.rows());
    }

    @Test
    void adaptiveGradientIsReproducibleBitForBit() {
        SolveSpec spec = SolveSpec.adaptive("dopri5", 1e-6, 1e-8);
        DataParallelGradients grads = new DataParallelGradients(rdd, TIMES, DIM, spec, 4);
        GradientSum a = grads.compute(ModelSpec.of(model())), b = grads.compute(ModelSpec.of(model()));
        assertEquals(a.loss(), b.loss(), 0.0);
        assertArrayEquals(a.gradient(), b.gradient(), 0.0);
    }

    @Test
    void trainingFollowsTheSingleJvmLossCurve() {
        int iterations = 10;
        Adam adam = new Adam(0.02);
        DataParallelTrainer.Result distributed = new DataParallelTrainer(adam, iterations).train(ModelSpec.of(model()),
                new DataParallelGradients(rdd, TIMES, DIM, FIXED, 5), Trainer.Listener.NONE);

        Mlp local = model();
        Trainer.TrainingResult single = new Trainer(adam,
                Trainer.Config.builder().iterations(iterations).fullTrajectories().seed(1).build())
                .train(local, data, BatchGradients.meanSquaredError(local, FIXED.rungeKutta(),
                        FIXED.options(TIMES[0], TIMES[TIMES.length - 1], true), FIXED.gradientMethod()),
                        Trainer.Listener.NONE);
        for (int i = 0; i < iterations; i++) {
            assertEquals(single.losses()[i], distributed.losses()[i], 1e-10 * single.losses()[i], "iteration " + (i + 1));
        }
        assertTrue(distributed.losses()[iterations - 1] < distributed.losses()[0], "the loss falls");
        double[] a = local.parameters(), b = distributed.model().model().parameters();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-9 * Math.max(1, Math.abs(a[i])));
    }
}
