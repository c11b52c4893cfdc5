package dev.panode.bench.suite;

import java.util.ArrayList;
import java.util.List;

/** Renders results as a fixed-width table: name, parameters, score ± error, unit, GFLOP/s, bytes allocated per op. */
public final class ResultTable {
    private ResultTable() {}

    public static String render(List<BenchResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Benchmark", "Params", "Mode", "Score", "± Error", "Unit", "GFLOP/s", "Alloc B/op"});
        for (BenchResult r : results) {
            double gflops = FlopModels.gflops(r);
            rows.add(new String[] {r.shortName(), params(r), r.mode(), number(r.score()), number(r.error()), r.unit(),
                    Double.isNaN(gflops) ? "" : "%.2f".formatted(gflops),
                    Double.isNaN(r.allocBytesPerOp()) ? "" : "%.1f".formatted(r.allocBytesPerOp())});
        }
        return Tables.format(rows, new boolean[] {false, false, false, true, true, false, true, true});
    }

    static String params(BenchResult r) {
        if (r.params().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        r.params().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    static String number(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        double a = Math.abs(x);
        if (a != 0 && (a >= 1e7 || a < 1e-3)) {
            return "%.3e".formatted(x);
        }
        return a >= 100 ? "%.1f".formatted(x) : "%.3f".formatted(x);
    }
}
