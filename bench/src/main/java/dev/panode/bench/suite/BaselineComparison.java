package dev.panode.bench.suite;

import dev.panode.blas.Arguments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regression gate: each benchmark of a new run against the same benchmark (name, mode, parameters) of a baseline.
 *
 * <p>{@code ratio} is the slowdown, new time / baseline time (for throughput, baseline score / new score), so that
 * above 1 is always slower. Its error combines both runs' 99.9% confidence half-widths in relative terms,
 * {@code ratio · sqrt((e_new/s_new)² + (e_base/s_base)²)}. A benchmark fails the gate when
 * <ul>
 *   <li>{@code ratio - error > threshold} (default 1.25): slower beyond its error; or</li>
 *   <li>the baseline allocated less than {@code allocLimit} bytes per operation (JMH's {@code gc.alloc.rate.norm})
 *       and the new run allocates at least that. The default, 16 B/op, is the smallest Java object: below it the
 *       figure is JMH's own per-iteration allocation spread over few, long operations (a 512³ dgemm shows ~1 KB/op
 *       of it in a 1 s iteration), not an allocation by the benchmarked code.</li>
 * </ul>
 * Benchmarks present on one side only are listed and do not fail the gate.
 *
 * @param rows       one per benchmark key, new-run order first, then baseline-only ones
 * @param threshold  slowdown that fails
 * @param allocLimit bytes per operation that count as allocating
 */
public record BaselineComparison(List<Row> rows, double threshold, double allocLimit) {
    public static final double DEFAULT_THRESHOLD = 1.25;
    public static final double DEFAULT_ALLOC_LIMIT = 16.0;

    /** The outcome for one benchmark. */
    public enum Verdict {
        OK, FASTER, SLOWER, ALLOCATES, NEW, MISSING;

        boolean fails() {
            return this == SLOWER || this == ALLOCATES;
        }
    }

    /** One benchmark compared; {@code baseline} or {@code current} is null for NEW / MISSING. */
    public record Row(String key, BenchResult baseline, BenchResult current, double ratio, double ratioError, Verdict verdict) {}

    public BaselineComparison {
        rows = Arguments.nonNullCopy(rows, "rows");
        if (!(threshold > 1.0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold = " + threshold + " must be a finite number > 1");
        }
        if (!(allocLimit > 0.0) || Double.isInfinite(allocLimit)) {
            throw new IllegalArgumentException("allocLimit = " + allocLimit + " must be a finite number > 0");
        }
    }

    public static BaselineComparison compare(List<BenchResult> baseline, List<BenchResult> current, double threshold, double allocLimit) {
        Map<String, BenchResult> base = new LinkedHashMap<>();
        baseline.forEach(r -> base.put(r.key(), r));
        List<Row> rows = new ArrayList<>();
        for (BenchResult now : current) {
            BenchResult before = base.remove(now.key());
            if (before == null) {
                rows.add(new Row(now.key(), null, now, Double.NaN, Double.NaN, Verdict.NEW));
                continue;
            }
            double ratio = now.higherIsBetter() ? before.score() / now.score() : now.score() / before.score();
            if (!now.unit().equals(before.unit())) { // e.g. us/op against ns/op: compare times in ns
                ratio = now.nanosPerOp() / before.nanosPerOp();
            }
            double error = ratio * Math.hypot(relative(now), relative(before));
            Verdict verdict;
            if (before.allocBytesPerOp() < allocLimit && now.allocBytesPerOp() >= allocLimit) {
                verdict = Verdict.ALLOCATES;
            } else if (ratio - error > threshold) {
                verdict = Verdict.SLOWER;
            } else if (ratio + error < 1.0 / threshold) {
                verdict = Verdict.FASTER;
            } else {
                verdict = Verdict.OK;
            }
            rows.add(new Row(now.key(), before, now, ratio, error, verdict));
        }
        base.values().forEach(r -> rows.add(new Row(r.key(), r, null, Double.NaN, Double.NaN, Verdict.MISSING)));
        return new BaselineComparison(rows, threshold, allocLimit);
    }

    private static double relative(BenchResult r) {
        return r.score() == 0 ? 0 : r.error() / Math.abs(r.score());
    }

    /** @return true when any benchmark is slower beyond its error or allocates where the baseline did not */
    public boolean failed() {
        return rows.stream().anyMatch(r -> r.verdict().fails());
    }

    public String render() {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"Benchmark", "Params", "Baseline", "New", "Unit", "Ratio new/base", "Alloc B/op base→new", "Verdict"});
        for (Row r : rows) {
            BenchResult any = r.current() != null ? r.current() : r.baseline();
            table.add(new String[] {any.shortName(), ResultTable.params(any),
                    r.baseline() == null ? "-" : ResultTable.number(r.baseline().score()),
                    r.current() == null ? "-" : ResultTable.number(r.current().score()), any.unit(),
                    Double.isNaN(r.ratio()) ? "-" : "%.3f ± %.3f".formatted(r.ratio(), r.ratioError()),
                    alloc(r.baseline()) + " → " + alloc(r.current()), r.verdict().name()});
        }
        long failures = rows.stream().filter(r -> r.verdict().fails()).count();
        return Tables.format(table, new boolean[] {false, false, true, true, false, true, true, false})
                + (failures == 0
                ? "PASS: no benchmark slower than %.2f× beyond its error, none allocating where the baseline did not.%n".formatted(threshold)
                : "FAIL: %d benchmark(s) slower than %.2f× beyond their error or allocating (≥ %.1f B/op) where the baseline did not.%n"
                        .formatted(failures, threshold, allocLimit));
    }

    private static String alloc(BenchResult r) {
        return r == null || Double.isNaN(r.allocBytesPerOp()) ? "-" : "%.1f".formatted(r.allocBytesPerOp());
    }
}
