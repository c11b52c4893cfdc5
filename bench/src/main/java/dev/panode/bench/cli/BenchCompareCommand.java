package dev.panode.bench.cli;

import dev.panode.bench.suite.BaselineComparison;
import dev.panode.bench.suite.ResultsFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code panode bench compare}: the regression gate, new results against the committed baseline. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare a results file with a baseline: per benchmark the ratio new/baseline with its error.",
                "Exit 1 when a benchmark is slower than the threshold beyond its error, or allocates where the baseline did not."})
public final class BenchCompareCommand implements Callable<Integer> {
    /** The committed baseline, relative to the repository root (or the current folder). */
    static final String DEFAULT_BASELINE = "bench/baseline/baseline.json";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS", description = "JSON written by 'panode bench' (or a JMH JSON result file).")
    Path results;

    @Option(names = {"-b", "--baseline"}, paramLabel = "FILE", defaultValue = DEFAULT_BASELINE,
            description = "The baseline. Default: ${DEFAULT-VALUE} (under the repository root).")
    String baseline;

    @Option(names = {"-t", "--threshold"}, defaultValue = "1.25",
            description = "Slowdown ratio that fails, beyond the ratio's error. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--alloc-limit", defaultValue = "16",
            description = "Bytes per operation from which a benchmark counts as allocating (16: the smallest object). Default: ${DEFAULT-VALUE}.")
    double allocLimit;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ResultsFile base = ResultsFile.read(resolveBaseline(baseline));
        ResultsFile now = ResultsFile.read(results);
        out.println("baseline: " + base.describeEnvironment());
        out.println("new:      " + now.describeEnvironment());
        BaselineComparison comparison = BaselineComparison.compare(base.results(), now.results(), threshold, allocLimit);
        out.print(comparison.render());
        out.flush();
        return comparison.failed() ? 1 : 0;
    }

    /** A relative baseline path is taken from the repository root ({@code PANODE_HOME}, set by ./panode) when it exists there. */
    static Path resolveBaseline(String given) {
        Path path = Path.of(given);
        String home = System.getenv("PANODE_HOME");
        if (!path.isAbsolute() && home != null && !home.isBlank() && java.nio.file.Files.exists(Path.of(home).resolve(path))) {
            return Path.of(home).resolve(path);
        }
        return path;
    }
}
