package dev.panode.bench.mlp;

import dev.panode.blas.Blas;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link DgemmPeakBenchmark} and {@link MlpFieldBenchmark} in one JMH run with the GC profiler and prints a
 * Markdown table: µs per call, GEMM GFLOP/s, that as a fraction of the OpenBLAS dgemm peak measured in the same run,
 * and bytes allocated per call. JMH options given on the command line (e.g. {@code -f 1 -wi 2 -w 1s -i 3 -r 1s})
 * override the defaults.
 */
public final class MlpBenchmarkReport {
    private MlpBenchmarkReport() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(DgemmPeakBenchmark.class.getName())
                .include(MlpFieldBenchmark.class.getName())
                .addProfiler(GCProfiler.class)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        double peak = Double.NaN;
        double dispatcherPeak = Double.NaN;
        StringBuilder table = new StringBuilder();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            if (label.endsWith("DgemmPeakBenchmark.openblas") && Blas.isAvailable()) {
                peak = gflops(r, cube(r));
            } else if (label.endsWith("DgemmPeakBenchmark.dispatcher")) {
                dispatcherPeak = gflops(r, cube(r));
            }
        }
        table.append("| case (D,H,B) | op | µs/call | GFLOP/s (GEMM) | fraction of OpenBLAS peak | bytes/call |\n");
        table.append("|---|---|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            if (!label.contains("MlpFieldBenchmark")) continue;
            MlpShape s = MlpShape.parse(r.getParams().getParam("shape"));
            boolean vjp = label.endsWith(".vjp");
            double g = gflops(r, vjp ? s.vjpFlops() : s.forwardFlops());
            table.append(String.format(Locale.ROOT, "| (%d,%d,%d) | %s | %.3f | %.2f | %s | %s |%n", s.dim(),
                    s.hidden(), s.batch(), vjp ? "vjp" : "evaluate", r.getPrimaryResult().getScore(), g,
                    Double.isNaN(peak) ? "n/a" : String.format(Locale.ROOT, "%.3f", g / peak), bytes(r)));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "OpenBLAS dgemm peak (n=512): %s GFLOP/s; dispatcher at n=512: %.2f GFLOP/s%n",
                Double.isNaN(peak) ? "n/a (OpenBLAS not loaded)" : String.format(Locale.ROOT, "%.2f", peak),
                dispatcherPeak);
        System.out.println(table);
    }

    private static double cube(RunResult r) {
        double n = Double.parseDouble(r.getParams().getParam("n"));
        return 2.0 * n * n * n;
    }

    /** flops per call / µs per call / 1000. */
    private static double gflops(RunResult r, double flopsPerCall) {
        return flopsPerCall / r.getPrimaryResult().getScore() / 1e3;
    }

    private static String bytes(RunResult r) {
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        if (alloc == null) alloc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
        return alloc == null ? "n/a" : String.format(Locale.ROOT, "%.3f", alloc.getScore());
    }
}
