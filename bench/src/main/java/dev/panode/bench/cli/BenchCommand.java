package dev.panode.bench.cli;

import dev.panode.bench.suite.BaselineComparison;
import dev.panode.bench.suite.Profile;
import dev.panode.bench.suite.ResultTable;
import dev.panode.bench.suite.ResultsFile;
import dev.panode.bench.suite.Roofline;
import dev.panode.bench.suite.SuiteFailedException;
import dev.panode.bench.suite.SuiteRequest;
import dev.panode.bench.suite.SuiteRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code panode bench}: runs the JMH suite, writes JSON, prints a table; {@code panode bench compare} is the gate.
 *
 * <p>It has its own launcher ({@link #main}), so that the {@code panode} command line a library user puts on a class
 * path carries neither JMH nor Hipparchus; the {@code panode} script hands {@code panode bench ...} to it.
 */
@Command(name = "panode bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the JMH benchmark suite: JSON results plus a readable table with GFLOP/s and bytes allocated per operation.",
                "Examples: panode bench (quick profile, all) | panode bench DgemmBench | panode bench -p full -o baseline.json"},
        subcommands = {BenchCompareCommand.class, BenchServeCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILTER",
            description = "Regular expressions on benchmark names (JMH include), e.g. blas, 'DgemmBench.dgemm'. Default: all.")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-p", "--profile"}, defaultValue = "quick",
            description = "quick (~3 s per benchmark: 1 fork, 2x0.4s warm-up, 3x0.4s), full (2 forks, 5x2s, 5x2s), "
                    + "smoke (seconds, no fork). Default: ${DEFAULT-VALUE}.")
    Profile profile;

    @Option(names = {"-x", "--exclude"}, paramLabel = "REGEX", description = "Leave out benchmarks matching REGEX (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the JSON results. Default: panode-out/bench/bench-<profile>-<time>.json")
    Path output;

    @Option(names = "--gc", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run JMH's gc profiler (bytes allocated per operation). Default: on.")
    boolean gc;

    @Option(names = "--roofline", description = "Also measure the dgemm peak if not selected, and print the roofline of the MLP benchmarks.")
    boolean roofline;

    @Option(names = "--compare", paramLabel = "BASELINE", arity = "0..1", fallbackValue = BenchCompareCommand.DEFAULT_BASELINE,
            description = "After the run, apply the regression gate against BASELINE (default ${FALLBACK-VALUE}); exit 1 on a regression.")
    String compareWith;

    @Option(names = {"-l", "--list"}, description = "List the selected benchmarks and exit.")
    boolean list;

    /** The bench command line, for tests and the launcher: failures the user can act on print as one line. */
    public static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    if (e instanceof IOException || e instanceof java.io.UncheckedIOException
                            || e instanceof IllegalArgumentException || e instanceof SuiteFailedException) {
                        commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                        commandLine.getErr().flush();
                        return 1;
                    }
                    throw e;
                });
    }

    /** Runs {@code panode bench ARGS}. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Override
    public Integer call() throws IOException, SuiteFailedException {
        PrintWriter out = spec.commandLine().getOut();
        SuiteRequest request = new SuiteRequest(profile, filters, excludes, gc, roofline);
        if (list) {
            SuiteRunner.list(request);
            return 0;
        }
        ResultsFile results = SuiteRunner.run(request);
        Path file = output != null ? output : Path.of("panode-out", "bench",
                "bench-" + profile.name().toLowerCase(java.util.Locale.ROOT) + "-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        results.write(file);
        out.println();
        out.println("panode bench: " + results.describeEnvironment());
        out.print(ResultTable.render(results.results()));
        if (roofline) {
            out.print(Roofline.render(results.results()));
        }
        out.println("JSON: " + file);
        if (compareWith != null) {
            ResultsFile baseline = ResultsFile.read(BenchCompareCommand.resolveBaseline(compareWith));
            BaselineComparison comparison = BaselineComparison.compare(baseline.results(), results.results(),
                    BaselineComparison.DEFAULT_THRESHOLD, BaselineComparison.DEFAULT_ALLOC_LIMIT);
            out.print(comparison.render());
            out.flush();
            return comparison.failed() ? 1 : 0;
        }
        out.flush();
        return 0;
    }
}
