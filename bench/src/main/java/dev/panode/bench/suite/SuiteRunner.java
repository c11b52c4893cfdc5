package dev.panode.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH suite with a {@link Profile}, name filters and JMH's gc profiler, and returns the results with the
 * environment they ran in. Forked JVMs get the flags panode needs (Vector API, native access).
 */
public final class SuiteRunner {
    private SuiteRunner() {}

    static final String[] JVM_FLAGS = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"};

    public static ResultsFile run(SuiteRequest request) throws SuiteFailedException, IOException {
        ArrayNode all = ResultsFile.JSON.createArrayNode();
        ChainedOptionsBuilder main = options(request);
        if (request.includes().isEmpty()) {
            main.include(SuiteRequest.ALL);
        }
        request.includes().forEach(main::include);
        all.addAll(runJmh(main));
        if (request.roofline() && Roofline.peakGflops(ResultsFile.of(all, request.profile()).results()).isEmpty()) {
            ChainedOptionsBuilder peak = options(request)
                    .include("^" + Roofline.PEAK_BENCHMARK.replace(".", "\\.") + "$")
                    .param("shape", Roofline.PEAK_SHAPE);
            all.addAll(runJmh(peak));
        }
        return ResultsFile.of(all, request.profile());
    }

    /** Prints the benchmarks the request would run (JMH's list), without running them. */
    public static void list(SuiteRequest request) {
        ChainedOptionsBuilder b = options(request);
        if (request.includes().isEmpty()) {
            b.include(SuiteRequest.ALL);
        }
        request.includes().forEach(b::include);
        new Runner(b.build()).list();
    }

    private static ChainedOptionsBuilder options(SuiteRequest request) {
        Profile p = request.profile();
        ChainedOptionsBuilder b = new OptionsBuilder()
                .forks(p.forks)
                .warmupIterations(p.warmups)
                .warmupTime(TimeValue.milliseconds(p.warmupMillis))
                .measurementIterations(p.iterations)
                .measurementTime(TimeValue.milliseconds(p.iterationMillis))
                .jvmArgsAppend(JVM_FLAGS)
                .shouldFailOnError(true);
        request.excludes().forEach(b::exclude);
        if (request.gcProfiler()) {
            b.addProfiler(GCProfiler.class);
        }
        return b;
    }

    private static ArrayNode runJmh(ChainedOptionsBuilder options) throws SuiteFailedException, IOException {
        Path json = Files.createTempFile("panode-jmh", ".json");
        try {
            try {
                new Runner(options.resultFormat(ResultFormatType.JSON).result(json.toString()).build()).run();
            } catch (RunnerException e) {
                throw new SuiteFailedException("JMH failed: " + e.getMessage(), e);
            }
            JsonNode node = Files.size(json) == 0 ? ResultsFile.JSON.createArrayNode() : ResultsFile.JSON.readTree(json.toFile());
            if (!(node instanceof ArrayNode array)) {
                throw new IOException("JMH wrote no result array to " + json);
            }
            return array;
        } finally {
            Files.deleteIfExists(json);
        }
    }
}
