package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * On local[2], jobs of many partitions build each workspace at most once per executor thread and shape: the
 * ensemble's per-sample solver workspaces and the data-parallel gradient's sessions are kept by the task threads
 * from task to task and from iteration to iteration (counted by {@link ThreadWorkspaces#census}). Each test uses a
 * model shape of its own, so the counts are this test's.
 */
class WorkspaceReuseTest {
    private static final int PARTITIONS = 40;

    @Test
    void anEnsembleOfManyPartitionsBuildsOneWorkspacePerExecutorThread() {
        Mlp model = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 7), Initialisation.PYTORCH_DEFAULT, 1);
        SplittableRandom random = new SplittableRandom(3);
        List<Row> input = new ArrayList<>();
        for (long i = 0; i < 400; i++) {
            input.add(Ensembles.row(i, new double[]{random.nextDouble(-1, 1), random.nextDouble(-1, 1)}, null,
                    new double[]{0, 0.5, 1}));
        }
        Dataset<Row> rows = SparkTestSession.get().createDataFrame(
                SparkTestSession.context().parallelize(input, PARTITIONS), Ensembles.ROWS);
        for (int pass = 0; pass < 2; pass++) {
            List<Row> out = Ensembles.solve(rows, model, SolveSpec.adaptive("dopri5", 1e-6, 1e-8), 4).collectAsList();
            assertEquals(400, out.size());
            for (Row r : out) assertEquals("SUCCESSFUL", r.getString(r.fieldIndex("result")));
        }
        ThreadWorkspaces.Census c = ThreadWorkspaces.census(EnsembleSolver.workspaceKey(model));
        System.out.println("ensemble, 2 jobs × " + PARTITIONS + " partitions: " + c);
        assertEquals(1, c.mostByOneThread(), "no thread built the workspace twice: " + c);
        assertEquals(c.threads(), c.creations());
        assertTrue(c.threads() >= 1 && c.threads() <= PARTITIONS / 4, "task threads are pooled: " + c);
        assertTrue(PanodeSparkPlugin.executorsStarted() >= 1, "the executor plugin is loaded in local mode");
    }

    @Test
    void dataParallelTrainingBuildsOneSessionPerExecutorThreadAndShape() {
        MlpArchitecture arch = MlpArchitecture.mlp3Tanh(2, 6);
        double[] times = {0, 0.25, 0.5};
        SplittableRandom random = new SplittableRandom(7);
        List<double[]> data = new ArrayList<>();
        for (int b = 0; b < 2 * PARTITIONS; b++) {
            double[] t = new double[times.length * 2];
            for (int i = 0; i < t.length; i++) t[i] = random.nextDouble(-1, 1);
            data.add(t);
        }
        JavaRDD<double[]> rdd = SparkTestSession.context().parallelize(data, PARTITIONS).cache();
        try {
            SolveSpec spec = SolveSpec.fixedSteps("rk4", 5);
            DataParallelGradients gradients = new DataParallelGradients(rdd, times, 2, spec, 2);
            Mlp initial = Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, 2);
            DataParallelTrainer.Result r = new DataParallelTrainer(new dev.panode.adjoint.training.Adam(0.01), 3)
                    .train(ModelSpec.of(initial), gradients, it -> { });
            assertEquals(3, r.losses().length);
            ThreadWorkspaces.Census c = ThreadWorkspaces.census(ShardSession.Key.of(arch, spec, times, 2));
            System.out.println("gradients, 3 iterations × " + PARTITIONS + " partitions: " + c);
            assertEquals(1, c.mostByOneThread(), "no thread built the session twice: " + c);
            assertEquals(c.threads(), c.creations());
            assertTrue(c.threads() >= 1 && c.threads() <= PARTITIONS / 4, "task threads are pooled: " + c);
        } finally {
            rdd.unpersist();
        }
    }
}
