package dev.panode.cli;

import dev.panode.adjoint.models.Mlp;
import dev.panode.io.MlpJson;
import dev.panode.io.Precision;
import dev.panode.adjoint.training.Adam;
import dev.panode.adjoint.training.BatchGradient;
import dev.panode.adjoint.training.LearningRateSchedule;
import dev.panode.adjoint.training.Optimizer;
import dev.panode.adjoint.training.RmsProp;
import dev.panode.adjoint.training.Sgd;
import dev.panode.adjoint.training.SplitEstimate;
import dev.panode.adjoint.training.Trainer;
import dev.panode.adjoint.training.TrajectoryDataset;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code panode demo [spiral|oscillator]}: trains a neural ODE on observations of a known system, shows a progress bar,
 * writes PNG plots and the trained model to an output folder, and prints a summary. Its subcommand
 * {@code panode demo cnf} ({@link CnfDemoCommand}) is registered by {@link Main}, not in this annotation, so that a
 * training run can leave that command's model out.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a neural ODE on observed trajectories and show what it learned.",
            "",
            "spiral (default): torchdiffeq's ode_demo. True dynamics dy/dt = (y^3)·A, A = [[-0.1, 2.0], [-2.0, -0.1]],"
                    + " y0 = (2, 0), 1000 observations on [0, 25]; model: MLP 2->50->2 with tanh, fed y^3;"
                    + " trained with Adam on random windows of consecutive observations.",
            "oscillator: a damped harmonic oscillator x'' + 0.2x' + x = 0, four trajectories of noisy observations;"
                    + " model: MLP 2->32->2 with tanh.",
            "",
            "Writes trajectories.png, phase_portrait.png, vector_field.png, loss.png, overview.png and model.json"
                    + " to the output folder.",
            "",
            "panode demo cnf [DATASET]: a continuous normalising flow on a 2-D toy density (panode demo cnf --help)."})
final class DemoCommand implements Callable<Integer> {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROBLEM", defaultValue = "spiral",
            description = "spiral or oscillator (default: ${DEFAULT-VALUE})")
    String problemName = "spiral";

    @Option(names = {"-n", "--iterations"}, paramLabel = "N",
            description = "Training iterations (default: 1000 for spiral, 600 for oscillator)")
    Integer iterations;

    @Option(names = "--batch-size", paramLabel = "B",
            description = "Windows per iteration (default: 40 for spiral, 24 for oscillator)")
    Integer batchSize;

    @Option(names = "--window", paramLabel = "K",
            description = "Consecutive observations per window (default: 10 for spiral, 20 for oscillator)")
    Integer window;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Peak learning rate; the cosine schedule decays it to 1/20 of it (default: 0.01)")
    Double learningRate;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "mae",
            description = "Training loss on the windows: mae (mean absolute error, as torchdiffeq's ode_demo) or mse "
                    + "(default: ${DEFAULT-VALUE})")
    String loss = "mae";

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "adam, rmsprop (torch's RMSprop, ode_demo's optimiser) or sgd (SGD with momentum 0.9) "
                    + "(default: ${DEFAULT-VALUE})")
    String optimizer = "adam";

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "cosine",
            description = "Learning-rate schedule: cosine (decays to 1/20 of --lr) or constant (as ode_demo) "
                    + "(default: ${DEFAULT-VALUE})")
    String schedule = "cosine";

    @Option(names = "--gradient", paramLabel = "NAME", defaultValue = "backprop",
            description = "Gradient method: backprop, adjoint, adjoint-seminorm, interpolating, "
                    + "interpolating-seminorm (default: ${DEFAULT-VALUE})")
    String gradient = "backprop";

    @Mixin
    SolverOptions solver = new SolverOptions();

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads for each batch gradient: the windows are solved in chunks (--balanced-chunks or "
                    + "--chunk-rows), the chunks spread over N threads; the same bits for any N at the same chunking "
                    + "(default: ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--chunk-rows", paramLabel = "K",
            description = "Windows per separate solve, in batch order (default: --balanced-chunks)")
    Integer chunkRows;

    @Option(names = "--balanced-chunks", paramLabel = "P",
            description = "At most P separate solves, the windows cut by their estimated steps so that the chunks "
                    + "cost about the same (default: the whole batch in one solve with one thread, P = threads "
                    + "otherwise)")
    Integer balancedChunks;

    @Option(names = "--split-estimate", paramLabel = "FROM", defaultValue = "data",
            description = "Where the balanced cut takes each window's estimated steps from: data (the window's first "
                    + "four observations, no evaluation, no hand-over between threads) or field (two evaluations of "
                    + "the model on the batch); windows of fewer than four observations use field "
                    + "(default: ${DEFAULT-VALUE})")
    String splitEstimate = "data";

    @Option(names = "--test-freq", paramLabel = "N", defaultValue = "0",
            description = "Every N iterations solve the learned model from y0 over all observation times and print "
                    + "its mean absolute error against the true trajectory, as ode_demo's --test_freq; 0: never "
                    + "(default: ${DEFAULT-VALUE})")
    int testFreq;

    @Option(names = "--test-thread", paramLabel = "on|off", defaultValue = "off",
            description = "on: each --test-freq test solves a copy of the parameters taken at its iteration on a "
                    + "thread of its own while training goes on (at most one test in flight; the same lines, in "
                    + "order); off: on the training thread, as ode_demo (default: ${DEFAULT-VALUE})")
    String testThread = "off";

    @Option(names = "--seed", description = "Seed of the initial weights, the windows and the noise (default: ${DEFAULT-VALUE})",
            defaultValue = "0")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: panode-out/<problem>)")
    Path out;

    @Option(names = "--plain", description = "Plain progress lines even on a terminal")
    boolean plain;

    @Option(names = "--no-plots", description = "Write only model.json, no PNG plots (ode_demo draws none without --viz)")
    boolean noPlots;

    @Spec
    CommandSpec spec;

    /** Wraps the periodic test (identity; a failing test in this package's tests). */
    java.util.function.UnaryOperator<PeriodicTest> testWrapper = java.util.function.UnaryOperator.identity();

    @Override
    public Integer call() throws Exception {
        try {
            run(System.out, !plain);
        } catch (PeriodicTestException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + Main.oneLine(e));
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }

    /** The outcome of a demo run (for tests and the summary). */
    record DemoResult(Mlp model, double[] losses, double trajectoryMse, double wallSeconds,
                      double nfeForwardPerIteration, double nfeBackwardPerIteration, List<Path> files) {}

    DemoResult run(PrintStream stdout, boolean progressBar) throws Exception {
        DemoProblem problem = DemoProblem.parse(problemName);
        GradientChoice method = GradientChoice.parse(gradient);
        int iters = iterations != null ? iterations : problem.defaultIterations;
        int batch = batchSize != null ? batchSize : problem.defaultBatchSize;
        int k = window != null ? window : problem.defaultWindow;
        double lr = learningRate != null ? learningRate : problem.defaultLearningRate;
        Optimizer opt = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(lr);
            case "rmsprop" -> new RmsProp(lr);
            case "sgd" -> new Sgd(lr, 0.9);
            default -> throw new IllegalArgumentException("--optimizer must be adam, rmsprop or sgd, got " + optimizer);
        };
        LearningRateSchedule lrSchedule = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "cosine" -> LearningRateSchedule.cosine(0.05);
            case "constant" -> LearningRateSchedule.constant();
            default -> throw new IllegalArgumentException("--schedule must be cosine or constant, got " + schedule);
        };
        Path dir = out != null ? out : Path.of("panode-out", problem.cliName);
        if (!loss.equalsIgnoreCase("mae") && !loss.equalsIgnoreCase("mse")) {
            throw new IllegalArgumentException("--loss must be mae or mse, got " + loss);
        }
        Numerics.method(solver.method);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (chunkRows != null && chunkRows < 1) {
            throw new IllegalArgumentException("--chunk-rows must be >= 1, got " + chunkRows);
        }
        if (balancedChunks != null && balancedChunks < 1) {
            throw new IllegalArgumentException("--balanced-chunks must be >= 1, got " + balancedChunks);
        }
        if (balancedChunks != null && chunkRows != null) {
            throw new IllegalArgumentException("--balanced-chunks and --chunk-rows exclude each other, got "
                    + "--balanced-chunks " + balancedChunks + " --chunk-rows " + chunkRows);
        }
        if (testFreq < 0) throw new IllegalArgumentException("--test-freq must be >= 0, got " + testFreq);
        if (!testThread.equals("on") && !testThread.equals("off")) {
            throw new IllegalArgumentException("--test-thread must be on or off, got " + testThread);
        }
        SplitEstimate estimate = switch (splitEstimate.toLowerCase(Locale.ROOT)) {
            case "data" -> SplitEstimate.OBSERVED;
            case "field" -> SplitEstimate.EVALUATED;
            default -> throw new IllegalArgumentException("--split-estimate must be data or field, got "
                    + splitEstimate);
        };
        int chunk = chunkRows != null ? chunkRows : batch;
        int parts = chunkRows != null ? 0 : balancedChunks != null ? balancedChunks : threads > 1 ? threads : 0;
        Precision precision = solver.precision(Precision.FLOAT64);
        boolean f32 = precision == Precision.FLOAT32;

        stdout.printf(Locale.ROOT, "panode demo %s: %s%n", problem.cliName, problem.description);
        double[][] data = problem.observe(seed, f32);
        TrajectoryDataset dataset = problem.dataset(data[1]);
        Mlp model = problem.newModel(seed);
        if (f32 && method != GradientChoice.BACKPROP) {
            throw new IllegalArgumentException("--gradient must be backprop with --dtype float32 (float32 training "
                    + "differentiates by backprop through the float steps), got " + gradient);
        }
        if (f32 && (threads > 1 || chunk < batch || parts > 0)) {
            throw new IllegalArgumentException("--dtype float32 trains the whole batch in one solve on one thread; "
                    + "got --threads " + threads + (chunkRows != null ? " --chunk-rows " + chunkRows : "")
                    + (balancedChunks != null ? " --balanced-chunks " + balancedChunks : ""));
        }
        stdout.printf(Locale.ROOT, "  data: %d trajector%s × %d observations on [0, %s]; model: MLP %s (%d parameters)%n",
                problem.trajectories(), problem.trajectories() == 1 ? "y" : "ies", problem.observations,
                fmt(problem.tEnd), shape(model), model.parameterCount());
        stdout.printf(Locale.ROOT, "  training: %d iterations, %d windows of %d observations, loss %s, %s, %s, gradient %s%n",
                iters, batch, k, loss.toLowerCase(Locale.ROOT), describe(opt), solver.describe(precision), method);
        if (parts > 0) {
            stdout.printf(Locale.ROOT, "  batch gradient: at most %d chunks balanced by steps estimated from the %s "
                    + "on %d thread%s%n", parts, estimate == SplitEstimate.OBSERVED && k >= 4 ? "windows' observations"
                    : "model's field", threads, threads == 1 ? "" : "s");
        } else if (threads > 1 || chunk < batch) {
            stdout.printf(Locale.ROOT, "  batch gradient: chunks of %d windows on %d thread%s%n", chunk, threads,
                    threads == 1 ? "" : "s");
        }

        if (f32) stdout.println("  dtype float32: every solve and gradient runs in float32 (the optimiser keeps "
                + "float64 master parameters); model.json is a float32 model");
        Trainer.Config config = Trainer.Config.builder().iterations(iters).batchSize(batch).windowLength(k).seed(seed)
                .build();
        Trainer trainer = new Trainer(opt, config, lrSchedule);
        Trainer.TrainingResult result;
        double trainingCpuSeconds, testThreadCpuSeconds;
        try (BatchGradient objective = f32 ? Numerics.windowLossF32(model, solver, loss)
                : Numerics.windowLoss(model, solver, method, loss, chunk >= batch ? 0 : chunk, parts, threads,
                        estimate);
             TrainingProgress progress = progressBar ? TrainingProgress.create("training", iters, stdout)
                     : TrainingProgress.plain(iters, stdout);
             TestReports tests = testFreq == 0 ? null : testReports(new PeriodicEvaluation(model,
                     problem.initialStates(), problem.times(), data[0], solver, precision), stdout)) {
            Trainer.Listener listener = tests == null ? progress : it -> {
                if (progress.printsLine(it)) tests.awaitPrinted();
                progress.afterIteration(it);
                if (it.iteration() % testFreq == 0) tests.due(it.iteration(), model.parameters());
                if (it.iteration() == it.iterations()) tests.awaitPrinted();
            };
            JsonWarmUp.start();
            long cpu0 = CPU.getCurrentThreadCpuTime();
            result = trainer.train(model, dataset, objective, listener);
            trainingCpuSeconds = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9;
            testThreadCpuSeconds = tests == null || tests.thread() == null ? 0.0
                    : CPU.getThreadCpuTime(tests.thread().threadId()) / 1e9;
        }

        // Evaluate: the learned model from each trajectory's initial state alone, over all observation times.
        double[] t = problem.times();
        int n = problem.trajectories();
        int K = t.length;
        double[] timeMajor = f32 ? Numerics.solveF32(model, problem.initialStates(), n, t, solver).widened().states()
                : Numerics.solve(model, problem.initialStates(), n, t, solver).states();
        double[] learned = new double[n * K * 2];
        for (int s = 0; s < K; s++) for (int b = 0; b < n; b++) {
            System.arraycopy(timeMajor, (s * n + b) * 2, learned, (b * K + s) * 2, 2);
        }
        double[] truth = data[0];
        double mse = 0.0;
        for (int i = 0; i < truth.length; i++) mse += (learned[i] - truth[i]) * (learned[i] - truth[i]) / truth.length;

        List<Path> files = new ArrayList<>();
        if (!noPlots) {
            String[] names = problem.componentNames;
            String title = "panode demo " + problem.cliName;
            double[] first = java.util.Arrays.copyOf(truth, K * 2);
            double[] firstLearned = java.util.Arrays.copyOf(learned, K * 2);
            double[] firstObserved = problem.noise > 0 ? java.util.Arrays.copyOf(data[1], K * 2) : null;
            XYChart traj = Plots.trajectories(title + ": trajectories (solid true, dashed learned)", t, first,
                    firstLearned, firstObserved, 2, names);
            XYChart phase = Plots.phasePortrait(title + ": phase portrait", truth, learned, n, names);
            XYChart field = Plots.vectorField(title + ": learned vector field", model, truth, n, 21, names);
            XYChart lossChart = Plots.lossCurve(title + ": training loss (batch " + loss.toUpperCase(Locale.ROOT)
                    + ")", result.losses());
            files.add(Plots.write(traj, dir, "trajectories"));
            files.add(Plots.write(phase, dir, "phase_portrait"));
            files.add(Plots.write(field, dir, "vector_field"));
            files.add(Plots.write(lossChart, dir, "loss"));
            files.add(Plots.writeGrid(List.of(traj, phase, field, lossChart), 2, 2, dir, "overview"));
        } else {
            Files.createDirectories(dir);
        }
        Path modelFile = dir.resolve("model.json");
        ObjectNode json = MlpJson.toJson(model, precision);
        ObjectNode info = json.putObject("training");
        info.put("problem", problem.cliName);
        info.put("iterations", iters);
        info.put("batch_size", batch);
        info.put("window", k);
        info.put("loss", loss.toLowerCase(Locale.ROOT));
        info.put("final_batch_loss", result.finalLoss());
        info.put("trajectory_mse", mse);
        info.put("optimizer", describe(opt));
        info.put("solver", solver.describe(precision));
        info.put("gradient", method.toString());
        info.put("seed", seed);
        Files.writeString(modelFile, JsonWarmUp.indented(json));
        files.add(modelFile);

        double wall = result.wallNanos() / 1e9;
        double nfeF = (double) result.nfeForward() / iters, nfeB = (double) result.nfeBackward() / iters;
        stdout.println();
        stdout.println("summary");
        stdout.printf(Locale.ROOT, "  loss (batch %s)       %.3e at iteration 1 -> %.3e at iteration %d%n",
                loss.toUpperCase(Locale.ROOT), result.losses()[0], result.finalLoss(), iters);
        stdout.printf(Locale.ROOT, "  trajectory MSE         %.3e (learned vs true at all %d times, solved from y0 alone)%n", mse, K);
        stdout.printf(Locale.ROOT, "  wall time              %.1f s (%.2f ms per iteration)%n", wall, 1e3 * wall / iters);
        stdout.printf(Locale.ROOT, "  training CPU time      %.2f s (the training thread%s%s)%n", trainingCpuSeconds,
                threads > 1 ? "; the other threads' share not counted" : "", testThreadCpuSeconds > 0
                        ? String.format(Locale.ROOT, "; the test thread's %.2f s not counted", testThreadCpuSeconds) : "");
        stdout.printf(Locale.ROOT, "  NFE per iteration      %.1f forward, %.1f backward%n", nfeF, nfeB);
        stdout.printf(Locale.ROOT, "  backend                %s%n", Numerics.backend());
        stdout.printf(Locale.ROOT, "  output                 %s%n", dir.toAbsolutePath().normalize());
        for (Path f : files) stdout.printf(Locale.ROOT, "                         %s%n", f.getFileName());
        return new DemoResult(model, result.losses(), mse, wall, nfeF, nfeB, files);
    }

    /** Where the periodic tests run (--test-thread); tests may wrap the test to make it fail. */
    TestReports testReports(PeriodicTest test, PrintStream stdout) {
        PeriodicTest t = testWrapper.apply(test);
        return testThread.equals("on") ? TestReports.onThread(t, stdout) : TestReports.serial(t, stdout);
    }

    private static String shape(Mlp model) {
        var a = model.architecture();
        StringBuilder sb = new StringBuilder().append(a.dim());
        for (int w : a.widths()) sb.append("->").append(w);
        sb.append(" ").append(a.activations().getFirst().name().toLowerCase(Locale.ROOT));
        if (a.inputTransform() != dev.panode.adjoint.models.InputTransform.NONE) {
            sb.append(", input ").append(a.inputTransform().name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static String describe(Optimizer opt) {
        return switch (opt) {
            case Adam a -> String.format(Locale.ROOT, "Adam lr %s", fmt(a.learningRate()));
            case RmsProp r -> String.format(Locale.ROOT, "RMSprop lr %s", fmt(r.learningRate()));
            case Sgd s -> String.format(Locale.ROOT, "SGD lr %s momentum %s", fmt(s.learningRate()), fmt(s.momentum()));
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }
}
