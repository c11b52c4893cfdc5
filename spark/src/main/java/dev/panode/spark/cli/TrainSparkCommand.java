package dev.panode.spark.cli;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.SpiralField;
import dev.panode.adjoint.training.Adam;
import dev.panode.adjoint.training.BatchGradients;
import dev.panode.adjoint.training.Trainer;
import dev.panode.io.MlpJson;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.Solver;
import dev.panode.spark.DataParallelGradients;
import dev.panode.spark.DataParallelTrainer;
import dev.panode.spark.ModelSpec;
import dev.panode.spark.SolveSpec;
import dev.panode.spark.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code panode train-spark}, also {@code panode demo --spark MASTER}: the distributed variant of the spiral demo. The
 * demo's model (MLP 2→H→2, tanh, fed y³) learns the demo's true dynamics dy/dt = (y³)·A, but data-parallel: from a
 * data set of trajectories of the true spiral from scattered initial states, spread over the executors, each of which
 * computes the gradient of its shard while the driver runs full-batch Adam. (The single-JVM demo draws random windows
 * of one long trajectory per iteration; a data-parallel run wants a data set to split, and full batches make every
 * iteration's gradient exactly the single-JVM one.) {@code --compare} also trains in this JVM and reports how far the
 * two loss curves are apart.
 */
@Command(name = "train-spark", aliases = "demo", mixinStandardHelpOptions = true,
        description = {"Train the spiral demo's neural ODE data-parallel on Spark (full-batch Adam).",
                "Also run as 'panode demo --spark MASTER', the demo's distributed variant."})
final class TrainSparkCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PROBLEM", defaultValue = "spiral",
            description = "spiral, the only problem of the distributed demo (default: ${DEFAULT-VALUE})")
    String problem = "spiral";

    @Option(names = {"--master", "--spark"}, paramLabel = "MASTER",
            description = "Spark master URL, e.g. local[2] (default: the master spark-submit gives, else local[2])")
    String master;

    @Option(names = "--trajectories", defaultValue = "64", description = "Trajectories in the data set (default: ${DEFAULT-VALUE})")
    int trajectories;

    @Option(names = "--observations", defaultValue = "20", description = "Observations per trajectory (default: ${DEFAULT-VALUE})")
    int observations;

    @Option(names = "--span", defaultValue = "2.0", description = "Time span of a trajectory (default: ${DEFAULT-VALUE})")
    double span;

    @Option(names = "--hidden", defaultValue = "50", description = "Hidden width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = {"-n", "--iterations"}, defaultValue = "50", description = "Adam iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--gradient", defaultValue = "backprop",
            description = "backprop, adjoint, adjoint-seminorm, interpolating, interpolating-seminorm (default: ${DEFAULT-VALUE})")
    String gradient;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions (default: one per core)")
    int partitions;

    @Option(names = "--batch-rows", defaultValue = "64",
            description = "Trajectories per gradient call inside a partition (default: ${DEFAULT-VALUE})")
    int batchRows;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the data and the initial model (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--compare", description = "Also train in this JVM and report the loss curves' largest relative gap")
    boolean compare;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model (panode model JSON)")
    Path save;

    @Mixin
    SolveChoices solver;

    @Override
    public Integer call() throws Exception {
        if (!problem.equalsIgnoreCase("spiral")) {
            throw new IllegalArgumentException("PROBLEM must be spiral (the distributed demo trains the spiral), got "
                    + problem);
        }
        if (trajectories < 1) throw new IllegalArgumentException("--trajectories must be >= 1, got " + trajectories);
        if (observations < 2) throw new IllegalArgumentException("--observations must be >= 2, got " + observations);
        if (!(span > 0) || !Double.isFinite(span)) throw new IllegalArgumentException("--span must be > 0, got " + span);
        if (hidden < 1) throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        if (partitions < 0) throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        SolveSpec spec = solver.spec(gradient);
        Adam adam = new Adam(learningRate);
        double[] times = new double[observations];
        for (int i = 0; i < observations; i++) times[i] = span * i / (observations - 1);
        List<double[]> data = spiralTrajectories(trajectories, times, seed);
        Mlp initial = Mlp.initialised(MlpArchitecture.of(2, hidden, 1, Activation.TANH)
                .withInputTransform(InputTransform.CUBE), Initialisation.PYTORCH_DEFAULT, seed);

        boolean owned = SparkSession.getDefaultSession().isEmpty(); // an embedding application keeps its session
        SparkSession spark = SparkSessions.builder(master, "panode train-spark").getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int parts = partitions > 0 ? partitions : sc.defaultParallelism();
            JavaRDD<double[]> rdd = sc.parallelize(data, parts).cache();
            System.out.printf(Locale.ROOT, "train-spark: %d trajectories × %d observations on %s, %d partitions, %s, %s, "
                    + "Adam lr %g, %d parameters%n", trajectories, observations, spark.sparkContext().master(), parts, spec.describe(),
                    spec.gradient(), learningRate, initial.parameterCount());
            DataParallelGradients gradients = new DataParallelGradients(rdd, times, 2, spec, batchRows);
            int every = Math.max(1, iterations / 20);
            DataParallelTrainer.Result result = new DataParallelTrainer(adam, iterations).train(ModelSpec.of(initial),
                    gradients, it -> {
                        if (it.iteration() == 1 || it.iteration() % every == 0 || it.iteration() == it.iterations()) {
                            System.out.printf(Locale.ROOT, "iter %5d/%d  loss %.4e  |grad| %.3e  NFE fwd/bwd %d/%d  %.1f s%n",
                                    it.iteration(), it.iterations(), it.loss(), it.gradientNorm(), it.nfeForward(),
                                    it.nfeBackward(), it.elapsedNanos() / 1e9);
                        }
                    });
            double[] losses = result.losses();
            System.out.printf(Locale.ROOT, "train-spark: loss %.4e -> %.4e%n", losses[0], losses[losses.length - 1]);
            if (compare) compareWithSingleJvm(initial, data, times, spec, adam, losses);
            if (save != null) {
                MlpJson.write(result.model().model(), save);
                System.out.println("train-spark: model written to " + save);
            }
            rdd.unpersist();
            return 0;
        } finally {
            if (owned) spark.stop();
        }
    }

    private void compareWithSingleJvm(Mlp initial, List<double[]> data, double[] times, SolveSpec spec, Adam adam,
                                      double[] losses) {
        Mlp local = initial.withParameters(initial.parameters());
        Trainer.TrainingResult single = new Trainer(adam,
                Trainer.Config.builder().iterations(iterations).fullTrajectories().seed(seed).build())
                .train(local, DataParallelGradients.toDataset(data, times, 2), BatchGradients.meanSquaredError(local,
                        spec.rungeKutta(), spec.options(times[0], times[times.length - 1], true), spec.gradientMethod()),
                        Trainer.Listener.NONE);
        double gap = 0;
        for (int i = 0; i < losses.length; i++) {
            gap = Math.max(gap, Math.abs(losses[i] - single.losses()[i]) / Math.abs(single.losses()[i]));
        }
        System.out.printf(Locale.ROOT, "train-spark: single-JVM loss %.4e -> %.4e; largest relative gap of the curves %.2e%s%n",
                single.losses()[0], single.losses()[losses.length - 1], gap,
                spec.steps() > 0 ? "" : " (adaptive steps: the blocks of --batch-rows share step sizes, so the curves differ to the tolerance)");
    }

    /** Trajectories of the true spiral from initial states scattered around (2, 0), observed at {@code times}. */
    static List<double[]> spiralTrajectories(int n, double[] times, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SpiralField truth = SpiralField.torchdiffeqDemo();
        List<double[]> list = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            double[] y0 = {2.0 + 0.5 * random.nextDouble(-1, 1), 0.5 * random.nextDouble(-1, 1)};
            list.add(Solver.solve(OdeProblem.of(truth, y0, times)).states());
        }
        return list;
    }
}
