package dev.panode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.adjoint.models.cnf.CnfField;
import dev.panode.adjoint.models.cnf.CnfTrainer;
import dev.panode.adjoint.models.cnf.FlowLikelihood;
import dev.panode.adjoint.models.cnf.FlowSolves;
import dev.panode.adjoint.models.cnf.ToyDensity;
import dev.panode.adjoint.models.cnf.TraceEstimator;
import dev.panode.adjoint.training.LearningRateSchedule;
import dev.panode.adjoint.training.Trainer;
import dev.panode.io.CnfJson;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code panode demo cnf [DATASET]}: trains a continuous normalising flow (FFJORD) on one of FFJORD's 2-D toy
 * densities by maximum likelihood, then draws what it learned and prints the held-out NLL.
 */
@Command(name = "cnf", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a continuous normalising flow (FFJORD) on a 2-D toy density and show what it learned.",
            "",
            "The flow dz/dt = f(t, z) (ConcatSquash layers) carries data at t = 0 to a standard normal at t = T; the",
            "log-density changes by -tr(df/dz) dt, estimated with Hutchinson's estimator (or exactly). Trained with",
            "Adam on the mean negative log-likelihood of fresh batches.",
            "",
            "Writes density.png (data histogram beside the learned density), samples.png (samples of the flow beside",
            "the data), flow.png (the density the flow carries from the base at t = T to the data at t = 0) and",
            "model.json (format panode-cnf, docs/CNF.md) to the output folder."})
final class CnfDemoCommand implements Callable<Integer> {
    /** The window drawn, as FFJORD's toy figures. */
    private static final double LOW = -4.0, HIGH = 4.0;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET", defaultValue = "8gaussians",
            description = "8gaussians, moons, circles, pinwheel or checkerboard (default: ${DEFAULT-VALUE})")
    String dataset = "8gaussians";

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", defaultValue = "1500",
            description = "Training iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256",
            description = "Samples per iteration (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--hidden", paramLabel = "W,W,...", defaultValue = "32,32,32",
            description = "Hidden widths of the ConcatSquash network (default: ${DEFAULT-VALUE})")
    String hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "tanh",
            description = "tanh, softplus, sigmoid or sin (default: ${DEFAULT-VALUE})")
    String activation;

    @Option(names = "--trace", paramLabel = "NAME", defaultValue = "hutchinson",
            description = "hutchinson (Rademacher probes), gaussian (Gaussian probes) or exact (default: ${DEFAULT-VALUE})")
    String trace;

    @Option(names = "--time", paramLabel = "T", defaultValue = "0.5",
            description = "Length of the flow's time interval (default: ${DEFAULT-VALUE})")
    double time;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.005",
            description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant",
            description = "Learning rate schedule: constant, or cosine (decays to 1/20 of --lr) (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--rtol", defaultValue = "1e-5", description = "Relative tolerance (default: ${DEFAULT-VALUE})")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-5", description = "Absolute tolerance (default: ${DEFAULT-VALUE})")
    double atol;

    @Option(names = "--gradient", paramLabel = "NAME", defaultValue = "adjoint-seminorm",
            description = "Gradient method: backprop, adjoint, adjoint-seminorm, interpolating, "
                    + "interpolating-seminorm (default: ${DEFAULT-VALUE})")
    String gradient;

    @Option(names = "--test-samples", paramLabel = "N", defaultValue = "5000",
            description = "Held-out samples for the final NLL (exact trace) (default: ${DEFAULT-VALUE})")
    int testSamples;

    @Option(names = "--grid", paramLabel = "N", defaultValue = "100",
            description = "Cells per side of the density pictures (default: ${DEFAULT-VALUE})")
    int grid;

    @Option(names = "--seed", defaultValue = "0",
            description = "Seed of the initial weights, the batches and the probes (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: panode-out/cnf-<dataset>)")
    Path out;

    @Option(names = "--plain", description = "Plain progress lines even on a terminal")
    boolean plain;

    @Override
    public Integer call() throws Exception {
        run(System.out, !plain);
        return 0;
    }

    /** The outcome of a run (for tests and the summary). */
    record CnfResult(double heldOutNll, double finalBatchNll, double wallSeconds, double nfeForwardPerIteration,
                     double nfeBackwardPerIteration, List<Path> files) {}

    CnfResult run(PrintStream stdout, boolean progressBar) throws Exception {
        ToyDensity data = ToyDensity.parse(dataset);
        int[] widths = widths(hidden);
        Activation act = activation(activation);
        TraceEstimator estimator = estimator(trace);
        GradientChoice choice = GradientChoice.parse(gradient);
        requirePositive("--iterations", iterations);
        requirePositive("--batch-size", batch);
        requirePositive("--test-samples", testSamples);
        if (grid < 8 || grid > 1000) throw new IllegalArgumentException("--grid must be in [8, 1000], got " + grid);
        if (!(time > 0) || !Double.isFinite(time)) throw new IllegalArgumentException("--time must be > 0, got " + time);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        LearningRateSchedule rate = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "constant" -> LearningRateSchedule.constant();
            case "cosine" -> LearningRateSchedule.cosine(0.05);
            default -> throw new IllegalArgumentException("--schedule must be constant or cosine, got " + schedule);
        };
        SolveOptions options = tolerances(rtol, atol);
        GradientMethod method = Numerics.gradientMethod(choice);
        Path dir = out != null ? out : Path.of("panode-out", "cnf-" + data.cliName());

        CnfField field = CnfField.initialised(CnfField.concatSquashNetwork(2, widths, act),
                Initialisation.PYTORCH_DEFAULT, seed, estimator, batch);
        FlowLikelihood base = FlowLikelihood.standardNormal();
        RungeKutta dopri5 = RungeKutta.dopri5();
        stdout.printf(Locale.ROOT, "panode demo cnf %s: a continuous normalising flow learns a 2-D density%n", data.cliName());
        stdout.printf(Locale.ROOT, "  model: ConcatSquash 2->%s->2, %s, %d parameters; trace %s; flow over [0, %s]%n",
                hidden.replace(',', '-').replace(" ", ""), act.fileName(), field.parameterCount(),
                estimator.name().toLowerCase(Locale.ROOT), time);
        stdout.printf(Locale.ROOT, "  training: %d iterations of %d samples, Adam lr %s (%s), dopri5 (rtol %.0e, atol %.0e), "
                + "gradient %s%n", iterations, batch, learningRate, schedule.toLowerCase(Locale.ROOT), rtol, atol, choice);

        double lastNll;
        long nfeForward = 0, nfeBackward = 0;
        long start = System.nanoTime();
        try (CnfTrainer trainer = new CnfTrainer(field, data, batch, time, base, dopri5, options, method, learningRate,
                seed + 1);
             TrainingProgress progress = progressBar
                     ? TrainingProgress.create("cnf", iterations, stdout, CnfDemoCommand::nats)
                     : TrainingProgress.plain(iterations, stdout, CnfDemoCommand::nats)) {
            lastNll = Double.NaN;
            for (int it = 1; it <= iterations; it++) {
                lastNll = trainer.step(rate.factor(it - 1, iterations));
                nfeForward += trainer.forwardNfe();
                nfeBackward += trainer.backwardNfe();
                progress.afterIteration(new Trainer.Iteration(it, iterations, lastNll, Double.NaN,
                        trainer.forwardNfe(), trainer.backwardNfe(), System.nanoTime() - start));
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;

        FlowSolves solves = new FlowSolves(field, time, base, dopri5, options);
        double[] test = data.sample(testSamples, new SplitMix64(seed ^ 0x5DEECE66DL));
        double heldOut = solves.negativeLogLikelihood(test, testSamples);

        DensityImages images = new DensityImages(LOW, HIGH, grid);
        double[] gridPoints = images.gridPoints();
        int cells = grid * grid;
        int shown = 100_000;
        double[] dataHist = images.histogram(data.sample(shown, new SplitMix64(seed + 2)), shown);
        List<Path> files = new ArrayList<>();
        Path density = dir.resolve("density.png");
        images.write(density, List.of(dataHist, DensityImages.exp(solves.logDensity(gridPoints, cells))),
                List.of("data (" + data.cliName() + ")", "learned density"));
        files.add(density);
        Path samples = dir.resolve("samples.png");
        int drawn = 20_000;
        images.write(samples, List.of(dataHist, images.histogram(solves.sample(drawn, new SplitMix64(seed + 3), 0.0),
                drawn)), List.of("data", "samples of the flow"));
        files.add(samples);
        Path flow = dir.resolve("flow.png");
        List<double[]> panels = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (int k = 4; k >= 0; k--) {
            double tau = time * k / 4;
            panels.add(DensityImages.exp(solves.logDensityAt(tau, gridPoints, cells)));
            titles.add(String.format(Locale.ROOT, "t = %.3g", tau));
        }
        images.write(flow, panels, titles);
        files.add(flow);

        Path modelFile = dir.resolve("model.json");
        ObjectNode json = CnfJson.toJson(field, time, base.baseVariance());
        ObjectNode info = json.putObject("training");
        info.put("dataset", data.cliName());
        info.put("iterations", iterations);
        info.put("batch_size", batch);
        info.put("learning_rate", learningRate);
        info.put("schedule", schedule.toLowerCase(Locale.ROOT));
        info.put("rtol", rtol);
        info.put("atol", atol);
        info.put("gradient", choice.toString());
        info.put("seed", seed);
        info.put("held_out_nll", heldOut);
        ArrayNode h = info.putArray("hidden");
        for (int w : widths) h.add(w);
        CnfJson.write(json, modelFile);
        files.add(modelFile);

        stdout.println();
        stdout.println("summary");
        stdout.printf(Locale.ROOT, "  held-out NLL           %.4f nats (%d samples, exact trace)%s%n", heldOut,
                testSamples, data == ToyDensity.EIGHT_GAUSSIANS ? "; the density's entropy is 2.831" : "");
        stdout.printf(Locale.ROOT, "  last batch NLL         %.4f nats%n", lastNll);
        stdout.printf(Locale.ROOT, "  training time          %.1f s (%.1f ms per iteration)%n", wall,
                1e3 * wall / iterations);
        stdout.printf(Locale.ROOT, "  NFE per iteration      %.1f forward, %.1f backward (means)%n",
                (double) nfeForward / iterations, (double) nfeBackward / iterations);
        stdout.printf(Locale.ROOT, "  output                 %s%n", dir.toAbsolutePath().normalize());
        for (Path f : files) stdout.printf(Locale.ROOT, "                         %s%n", f.getFileName());
        return new CnfResult(heldOut, lastNll, wall, (double) nfeForward / iterations,
                (double) nfeBackward / iterations, files);
    }

    private static String nats(double v) {
        return String.format(Locale.ROOT, "NLL %.3f nats", v);
    }

    static SolveOptions tolerances(double rtol, double atol) {
        if (!(rtol > 0) || !Double.isFinite(rtol)) throw new IllegalArgumentException("--rtol must be > 0, got " + rtol);
        if (!(atol > 0) || !Double.isFinite(atol)) throw new IllegalArgumentException("--atol must be > 0, got " + atol);
        return SolveOptions.builder().rtol(rtol).atol(atol).build();
    }

    private static void requirePositive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }

    static int[] widths(String s) {
        String[] parts = s.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                w[i] = 0;
            }
            if (w[i] < 1 || w[i] > 4096) {
                throw new IllegalArgumentException("--hidden must be comma-separated widths in [1, 4096], got " + s);
            }
        }
        return w;
    }

    static Activation activation(String s) {
        for (Activation a : new Activation[] {Activation.TANH, Activation.SOFTPLUS, Activation.SIGMOID, Activation.SIN}) {
            if (a.fileName().equalsIgnoreCase(s)) return a;
        }
        throw new IllegalArgumentException("--activation must be tanh, softplus, sigmoid or sin, got " + s);
    }

    static TraceEstimator estimator(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "hutchinson", "rademacher" -> TraceEstimator.HUTCHINSON_RADEMACHER;
            case "gaussian" -> TraceEstimator.HUTCHINSON_GAUSSIAN;
            case "exact" -> TraceEstimator.EXACT;
            default -> throw new IllegalArgumentException("--trace must be hutchinson, gaussian or exact, got " + s);
        };
    }
}
