package dev.panode.spark.cli;

import dev.panode.adjoint.models.Mlp;
import dev.panode.cli.ProblemFile;
import dev.panode.spark.Ensembles;
import dev.panode.spark.SolveSpec;
import dev.panode.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code panode ensemble}: N samples around a problem file's initial states, solved on Spark and written as Parquet.
 * Sample i starts from {@code z0[i mod batch] + σ·ξ}, ξ standard normal from a generator seeded by (seed, i), so
 * the ensemble does not depend on the partitioning; the rows are made on the executors.
 */
@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = {"Solve an ensemble of perturbed initial states on Spark and write the solutions as Parquet",
                "(id, times, states, nfe, accepted, rejected, result, message per row)."})
final class EnsembleCommand implements Callable<Integer> {
    @Option(names = "--master",
            description = "Spark master URL: local[N], spark://host:7077, yarn, k8s://... (default: the master spark-submit gives, else local[2])")
    String master;

    @Option(names = "--problem", required = true, paramLabel = "FILE",
            description = "Problem file as panode solve reads it (model, z0, t)")
    Path problem;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file replacing the problem's model")
    Path model;

    @Option(names = "--samples", required = true, paramLabel = "N", description = "Ensemble size")
    long samples;

    @Option(names = "--spread", defaultValue = "0.1", paramLabel = "SIGMA",
            description = "Standard deviation of the Gaussian perturbation of z0 (default: ${DEFAULT-VALUE})")
    double spread;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the perturbations (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet output directory (must not exist)")
    Path out;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "Spark partitions (default: 4 per core of the master)")
    int partitions;

    @Option(names = "--batch-rows", paramLabel = "B", defaultValue = "256",
            description = "Rows per batched solve inside a partition (default: ${DEFAULT-VALUE})")
    int batchRows;

    @Mixin
    SolveChoices solver;

    @Override
    public Integer call() throws Exception {
        if (samples < 1) throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        if (!(spread >= 0) || !Double.isFinite(spread)) throw new IllegalArgumentException("--spread must be >= 0, got " + spread);
        if (batchRows < 1) throw new IllegalArgumentException("--batch-rows must be >= 1, got " + batchRows);
        if (partitions < 0) throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        if (Files.exists(out)) throw new IllegalArgumentException("--out " + out + " exists: choose a new directory");
        ProblemFile p = ProblemFile.read(problem, model);
        SolveSpec spec = solver.spec("backprop");
        Mlp mlp = p.model();
        boolean owned = SparkSession.getDefaultSession().isEmpty(); // an embedding application keeps its session
        SparkSession spark = SparkSessions.builder(master, "panode ensemble").getOrCreate();
        try {
            int parts = partitions > 0 ? partitions : 4 * spark.sparkContext().defaultParallelism();
            System.out.printf(Locale.ROOT, "ensemble: %d samples of %s on %s, %d partitions, %s%n", samples, problem,
                    spark.sparkContext().master(), parts, spec.describe());
            TaskProgress progress = new TaskProgress(System.out, "ensemble");
            spark.sparkContext().addSparkListener(progress);
            Dataset<Row> rows = spark.range(0, samples, 1, parts).map(sample(p.z0(), p.batch(), mlp.dim(), p.t(),
                    spread, seed), Encoders.row(Ensembles.ROWS));
            long start = System.nanoTime();
            Ensembles.solve(rows, mlp, spec, batchRows).write().parquet(out.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            spark.sparkContext().removeSparkListener(progress);
            Dataset<Row> written = spark.read().parquet(out.toString());
            List<Row> byResult = written.groupBy("result").agg(org.apache.spark.sql.functions.count("*"),
                    org.apache.spark.sql.functions.sum("nfe")).orderBy("result").collectAsList();
            System.out.printf(Locale.ROOT, "ensemble: %d rows in %.2f s (%.0f rows/s) -> %s (Parquet)%n", samples, seconds,
                    samples / seconds, out);
            int failed = 0;
            for (Row r : byResult) {
                System.out.printf(Locale.ROOT, "  %-18s %10d rows, NFE %d%n", r.getString(0), r.getLong(1), r.getLong(2));
                if (!"SUCCESSFUL".equals(r.getString(0))) failed += (int) r.getLong(1);
            }
            if (failed > 0) System.out.printf(Locale.ROOT, "ensemble: %d rows failed; their result and message columns say why%n", failed);
            return 0;
        } finally {
            if (owned) spark.stop();
        }
    }

    /** The row of sample i: z0[i mod batch] perturbed by σ·N(0, 1) from a generator seeded by (seed, i). */
    static MapFunction<Long, Row> sample(double[] z0, int batch, int dim, double[] t, double spread, long seed) {
        return i -> {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            double[] y0 = new double[dim];
            int base = (int) (i % batch) * dim;
            for (int j = 0; j < dim; j++) y0[j] = z0[base + j] + spread * gaussian(random);
            return Ensembles.row(i, y0, null, t);
        };
    }

    private static double gaussian(SplittableRandom r) {
        double u, v, s;
        do {
            u = 2 * r.nextDouble() - 1;
            v = 2 * r.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
