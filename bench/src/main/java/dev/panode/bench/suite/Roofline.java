package dev.panode.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
        sb.append(evaluationsAgainstTheFloor(entries));
        return sb.toString();
    }

    /** The field evaluation called alone, and with its parameters held as a solver holds them. */
    static final String EVALUATE = "dev.panode.bench.mlp.MlpFieldBenchmark.evaluate";
    static final String EVALUATE_HELD = "dev.panode.bench.mlp.MlpFieldBenchmark.evaluateHeld";

    /**
     * One line per shape with both evaluations: alone (every call compares each layer's W with its packed copy) and
     * held (as inside a solve), each against the same floor; empty when neither ran.
     */
    static String evaluationsAgainstTheFloor(List<Entry> entries) {
        Map<String, Entry> alone = new TreeMap<>(), held = new TreeMap<>();
        for (Entry e : entries) {
            String shape = e.result().params().getOrDefault("shape", "?");
            if (e.result().benchmark().equals(EVALUATE)) alone.put(shape, e);
            if (e.result().benchmark().equals(EVALUATE_HELD)) held.put(shape, e);
        }
        if (alone.isEmpty() && held.isEmpty()) return "";
        Set<String> shapes = new TreeSet<>(alone.keySet());
        shapes.addAll(held.keySet());
        StringBuilder sb = new StringBuilder("Field evaluation against its floor (alone: W compared at every call;"
                + " held: as a solver calls it)\n");
        sb.append("  %-12s %12s %12s %12s %8s %8s%n".formatted("shape", "alone ns", "held ns", "floor ns", "alone/fl",
                "held/fl"));
        for (String shape : shapes) {
            Entry a = alone.get(shape), h = held.get(shape);
            double floor = (a != null ? a : h).boundNanos();
            sb.append("  %-12s %12.1f %12.1f %12.1f %8.2f %8.2f%n".formatted(shape,
                    a == null ? Double.NaN : a.measuredNanos(), h == null ? Double.NaN : h.measuredNanos(), floor,
                    a == null ? Double.NaN : a.ratio(), h == null ? Double.NaN : h.ratio()));
        }
        return sb.toString();
    }
}
