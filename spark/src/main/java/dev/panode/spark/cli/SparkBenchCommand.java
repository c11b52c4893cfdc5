package dev.panode.spark.cli;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.blas.Blas;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.training.BatchGradient;
import dev.panode.adjoint.training.BatchGradients;
import dev.panode.adjoint.training.TrajectoryDataset;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.Solver;
import dev.panode.spark.DataParallelGradients;
import dev.panode.spark.EnsembleResult;
import dev.panode.spark.EnsembleRow;
import dev.panode.spark.EnsembleSolver;
import dev.panode.spark.Ensembles;
import dev.panode.spark.ModelSpec;
import dev.panode.spark.SolveSpec;
import dev.panode.spark.SparkSessions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code panode spark-bench}: what Spark costs on top of the same work in one JVM, on {@code local[c]} for each core
 * count c given.
 * <ul>
 *   <li>Ensemble throughput: R solves of d2_h50 (mlp3_tanh 2→50→50→2, PyTorch-default weights, seed 0) from random
 *       initial states in [−2, 2]², saved at t = 0, 0.25, …, 1, dopri5 rtol 1e-6 atol 1e-8; on Spark
 *       ({@link Ensembles#solve}, written to Spark's {@code noop} sink so that only solving and row encoding count)
 *       against a plain pool of c threads running the same {@link EnsembleSolver} on the same batches.</li>
 *   <li>Data-parallel gradient: one iteration's loss and dL/dθ over n trajectories of d2_h50 (backprop, K
 *       observations, rk4 with 20 fixed steps so that every partitioning does the same work) on Spark against the
 *       single-JVM batch gradient ({@code BatchGradients} on the full batch, one thread).</li>
 * </ul>
 * Each figure is the median of the repeats after two warm-ups. A timed command, not a unit test.
 */
@Command(name = "spark-bench", mixinStandardHelpOptions = true,
        description = "Spark's overhead: ensemble throughput and data-parallel gradient time against one JVM.")
final class SparkBenchCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "10000", description = "Ensemble size (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--cores", split = ",", defaultValue = "1,2", description = "Core counts to measure (default: ${DEFAULT-VALUE})")
    int[] cores;

    @Option(names = "--batch-rows", defaultValue = "256", description = "Rows per batched solve (default: ${DEFAULT-VALUE})")
    int batchRows;

    @Option(names = "--trajectories", defaultValue = "256", description = "Trajectories of the gradient benchmark (default: ${DEFAULT-VALUE})")
    int trajectories;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats after two warm-ups (default: ${DEFAULT-VALUE})")
    int repeats;

    private static final double[] TIMES = {0.0, 0.25, 0.5, 0.75, 1.0};
    private static final SolveSpec SPEC = SolveSpec.adaptive("dopri5", 1e-6, 1e-8);
    /** Fixed steps for the gradients, so that every partitioning does the same arithmetic work. */
    private static final SolveSpec GRADIENT_SPEC = SolveSpec.fixedSteps("rk4", 20);

    @Override
    public Integer call() throws Exception {
        if (rows < 1) throw new IllegalArgumentException("--rows must be >= 1, got " + rows);
        if (repeats < 1) throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
        for (int c : cores) if (c < 1) throw new IllegalArgumentException("--cores must be >= 1, got " + c);
        Blas.setThreads(1); // as in every Spark task: one BLAS thread per worker thread, both sides alike
        Mlp model = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 50), Initialisation.PYTORCH_DEFAULT, 0);
        List<EnsembleRow> ensemble = ensemble(rows);
        List<double[]> data = trajectories(model, trajectories);
        System.out.printf(Locale.ROOT, "spark-bench: %d ensemble rows, %d gradient trajectories × %d times, d2_h50, %s, "
                + "median of %d after 2 warm-ups%n", rows, trajectories, TIMES.length, SPEC.describe(), repeats);
        for (int c : cores) {
            double plain = median(() -> threadPool(model, ensemble, c));
            System.out.printf(Locale.ROOT, "ensemble   plain pool, %d thread(s)              %9.3f s  %9.0f rows/s%n", c, plain,
                    rows / plain);
            SparkSession spark = SparkSessions.builder("local[" + c + "]", "panode spark-bench").getOrCreate();
            try {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                List<Row> input = new ArrayList<>(rows);
                for (EnsembleRow r : ensemble) input.add(Ensembles.row(r.id(), r.y0(), null, r.times()));
                Dataset<Row> ds = spark.createDataFrame(input, Ensembles.ROWS).repartition(4 * c).cache();
                ds.count();
                double onSpark = median(() -> {
                    Ensembles.solve(ds, model, SPEC, batchRows).write().format("noop").mode("overwrite").save();
                    return null;
                });
                System.out.printf(Locale.ROOT, "ensemble   Spark local[%d], %d partitions        %9.3f s  %9.0f rows/s  "
                        + "ratio %.2f  overhead %+.1f µs/row%n", c, 4 * c, onSpark, rows / onSpark, onSpark / plain,
                        (onSpark - plain) / rows * 1e6);
                double machinery = median(() -> {
                    Ensembles.passThrough(ds).write().format("noop").mode("overwrite").save();
                    return null;
                });
                System.out.printf(Locale.ROOT, "ensemble   Spark local[%d], same rows, no solving   %9.3f s  "
                        + "(Spark's row machinery alone: %.1f µs/row)%n", c, machinery, machinery / rows * 1e6);
                ds.unpersist();
                JavaRDD<double[]> rdd = sc.parallelize(data, c).cache();
                DataParallelGradients grads = new DataParallelGradients(rdd, TIMES, 2, GRADIENT_SPEC, trajectories);
                ModelSpec spec = ModelSpec.of(model);
                double single = median(() -> singleJvmGradient(model, data));
                System.out.printf(Locale.ROOT, "gradient   single JVM, 1 thread, one batch        %9.1f ms/iteration%n",
                        single * 1e3);
                double distributed = median(() -> grads.compute(spec));
                System.out.printf(Locale.ROOT, "gradient   Spark local[%d], %d partition(s)       %9.1f ms/iteration  "
                        + "ratio %.2f to one JVM%n", c, c, distributed * 1e3, distributed / single);
                rdd.unpersist();
            } finally {
                spark.stop();
            }
        }
        return 0;
    }

    private double median(Callable<?> work) throws Exception {
        work.call();
        work.call();
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            work.call();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return s[repeats / 2];
    }

    private double threadPool(Mlp model, List<EnsembleRow> ensemble, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<List<EnsembleResult>>> parts = new ArrayList<>();
            int chunk = (ensemble.size() + 4 * threads - 1) / (4 * threads);
            for (int from = 0; from < ensemble.size(); from += chunk) {
                List<EnsembleRow> part = ensemble.subList(from, Math.min(ensemble.size(), from + chunk));
                parts.add(pool.submit(() -> new EnsembleSolver(model, SPEC, batchRows).solve(part)));
            }
            long solved = 0;
            for (Future<List<EnsembleResult>> f : parts) {
                for (EnsembleResult r : f.get()) if (r.isSuccess()) solved++;
            }
            if (solved != ensemble.size()) throw new IllegalStateException((ensemble.size() - solved) + " rows failed");
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    private static double singleJvmGradient(Mlp model, List<double[]> data) {
        TrajectoryDataset set = DataParallelGradients.toDataset(data, TIMES, 2);
        BatchGradient g = BatchGradients.meanSquaredError(model, GRADIENT_SPEC.rungeKutta(),
                GRADIENT_SPEC.options(0, 1, true), GRADIENT_SPEC.gradientMethod());
        return g.compute(set.fullBatch(), new double[model.parameterCount()]).loss();
    }

    private static List<EnsembleRow> ensemble(int n) {
        SplittableRandom random = new SplittableRandom(1);
        List<EnsembleRow> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new EnsembleRow(i, new double[]{random.nextDouble(-2, 2), random.nextDouble(-2, 2)}, null, TIMES));
        }
        return list;
    }

    /** Trajectories of a second d2_h50 (seed 1) as the data the model (seed 0) is fitted to. */
    private static List<double[]> trajectories(Mlp model, int n) {
        Mlp truth = Mlp.initialised(model.architecture(), Initialisation.PYTORCH_DEFAULT, 1);
        SplittableRandom random = new SplittableRandom(2);
        List<double[]> list = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            double[] y0 = {random.nextDouble(-2, 2), random.nextDouble(-2, 2)};
            list.add(Solver.solve(OdeProblem.of(truth, y0, TIMES)).states());
        }
        return list;
    }
}
