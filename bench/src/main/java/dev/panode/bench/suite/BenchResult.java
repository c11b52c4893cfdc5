package dev.panode.bench.suite;

import dev.panode.blas.Arguments;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark's result, as read from JMH's JSON.
 *
 * @param benchmark fully qualified method name
 * @param mode      JMH mode ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss})
 * @param params    the {@code @Param} values (sorted by name)
 * @param score     the primary score
 * @param error     its 99.9% confidence half-width (0 when JMH could not estimate one)
 * @param unit      e.g. {@code ns/op}
 * @param allocBytesPerOp {@code gc.alloc.rate.norm} in bytes per operation, NaN when the gc profiler did not run
 */
public record BenchResult(String benchmark, String mode, Map<String, String> params, double score, double error, String unit,
                          double allocBytesPerOp) {
    public BenchResult {
        Arguments.nonNull(benchmark, "benchmark");
        params = Map.copyOf(new TreeMap<>(Arguments.nonNull(params, "params")));
        if (Double.isNaN(error) || error < 0) {
            error = 0.0;
        }
    }

    /** The identity used to match a result with its baseline: benchmark, mode and parameters. */
    public String key() {
        return benchmark + " [" + mode + "]" + (params.isEmpty() ? "" : " " + new TreeMap<>(params));
    }

    /** The benchmark's simple name, {@code Class.method}. */
    public String shortName() {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    /** True for modes where a bigger score is better (throughput). */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** The time of one operation in nanoseconds, when the unit allows it (NaN otherwise). */
    public double nanosPerOp() {
        String[] u = unit.split("/");
        if (u.length != 2) {
            return Double.NaN;
        }
        double perUnit = switch (higherIsBetter() ? u[1] : u[0]) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> Double.NaN;
        };
        return higherIsBetter() ? perUnit / score : score * perUnit;
    }

    /** Reads one element of JMH's JSON result array. */
    public static BenchResult fromJmhJson(JsonNode node) {
        Map<String, String> params = new TreeMap<>();
        JsonNode p = node.path("params");
        p.fieldNames().forEachRemaining(name -> params.put(name, p.get(name).asText()));
        JsonNode primary = node.path("primaryMetric");
        JsonNode alloc = node.path("secondaryMetrics").path("gc.alloc.rate.norm");
        return new BenchResult(node.path("benchmark").asText(), node.path("mode").asText(), params,
                primary.path("score").asDouble(Double.NaN), number(primary.path("scoreError")), primary.path("scoreUnit").asText(),
                alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble(Double.NaN));
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN; // JMH writes "NaN" as a string when it has no error estimate
    }
}
