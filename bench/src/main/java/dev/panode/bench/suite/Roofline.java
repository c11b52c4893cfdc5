package dev.panode.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Relates measured times to the machine's limit (issue 9, point 4): for each benchmark with a {@link RooflineModel},
 * {@code bound = gemmFlops / peak + otherNanos} and {@code ratio = measured / bound} (1 = at the limit; 3 = three
 * times slower than GEMM at peak speed would allow). The peak is the best GFLOP/s of {@code DgemmBench.dgemm} in the
 * same run, by default at 512³, so that both sides of the ratio saw the same machine load.
 */
public final class Roofline {
    private Roofline() {}

    /** The benchmark whose best GFLOP/s is the peak. */
    public static final String PEAK_BENCHMARK = "dev.panode.bench.blas.DgemmBench.dgemm";
    /** Its shape run for the peak when the filter did not select it. */
    public static final String PEAK_SHAPE = "512x512x512";

    /** One evaluated benchmark. */
    public record Entry(BenchResult result, double measuredNanos, double boundNanos, double ratio) {}

    /** @return the dgemm peak in GFLOP/s (= flops per ns) among {@code results}, if the peak benchmark ran */
    public static OptionalDouble peakGflops(List<BenchResult> results) {
        return results.stream().filter(r -> r.benchmark().equals(PEAK_BENCHMARK))
                .mapToDouble(FlopModels::gflops).filter(g -> g > 0).max();
    }

    public static List<Entry> evaluate(List<BenchResult> results) {
        OptionalDouble peak = peakGflops(results);
        List<Entry> entries = new ArrayList<>();
        if (peak.isEmpty()) {
            return entries;
        }
        for (BenchResult r : results) {
            RooflineModels.forBenchmark(r.benchmark()).ifPresent(model -> {
                double bound = model.gemmFlops(r.params()) / peak.getAsDouble() + model.otherNanos(r.params(), results);
                double measured = r.nanosPerOp();
                entries.add(new Entry(r, measured, bound, measured / bound));
            });
        }
        return entries;
    }

    public static String render(List<BenchResult> results) {
        OptionalDouble peak = peakGflops(results);
        if (peak.isEmpty()) {
            return "Roofline: the dgemm peak (" + PEAK_BENCHMARK + ") did not run; nothing to relate to.\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(("Roofline (dgemm peak in this run: %.2f GFLOP/s; ratio = measured / (GEMM flops / peak + other work);"
                + " of bound = its inverse)%n").formatted(peak.getAsDouble()));
        List<Entry> entries = evaluate(results);
        if (entries.isEmpty()) {
            sb.append("  no benchmark of this run has a RooflineModel (see RooflineModels)\n");
        }
        for (Entry e : entries) {
            double flops = RooflineModels.forBenchmark(e.result().benchmark())
                    .map(m -> m.gemmFlops(e.result().params())).orElse(Double.NaN);
            sb.append("  %-40s %-30s measured %12.1f ns  GEMM %10.4g MFLOP  bound %12.1f ns  ratio %6.2f  of bound %5.1f%%%n"
                    .formatted(e.result().shortName(), e.result().params(), e.measuredNanos(), flops / 1e6,
                            e.boundNanos(), e.ratio(), 100.0 / e.ratio()));
        }
        return sb.toString();
    }
}
