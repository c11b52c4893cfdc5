package dev.panode.bench.cli;

import dev.panode.bench.serve.ServeBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panode bench serve}: the load test of {@code panode serve} with wrk, against the in-process ceiling. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test panode serve with wrk (must be on the PATH): d2_h50_b1 and d2_h50_b16 dopri5 solves,",
                "in-process (the ceiling) and over HTTP at saturation (16 and 256 connections) and at offered rates;",
                "prints throughput, CPU time per request and p50/p99/p99.9 latency as a Markdown table",
                "(docs/BENCHMARKS.md)."})
public final class BenchServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N", description = "Server workers and in-process threads (default: the cores)")
    Integer workers;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "Length of each measured run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rates", paramLabel = "R", split = ",", defaultValue = "1000,4000",
            description = "Offered request rates per second (default: ${DEFAULT-VALUE})")
    List<Integer> rates;

    @Override
    public Integer call() throws Exception {
        if (!(seconds >= 1 && seconds <= 600)) throw new IllegalArgumentException("--seconds must be in [1, 600], got " + seconds);
        int w = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (w < 1) throw new IllegalArgumentException("--workers must be >= 1, got " + w);
        for (int r : rates) if (r < 1) throw new IllegalArgumentException("--rates must be >= 1 per second, got " + r);
        new ServeBenchmark(w, seconds, spec.commandLine().getOut()).run(rates);
        return 0;
    }
}
