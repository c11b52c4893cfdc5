package dev.panode.bench.suite;

import java.util.OptionalDouble;

/**
 * Floating-point operations per benchmark operation, where a benchmark's parameters determine them, so that tables
 * can show GFLOP/s beside the time. Convention: a benchmark whose name contains {@code gemm} (any case) and whose
 * {@code shape} parameter is {@code MxNxK} does {@code 2·M·N·K} flops per operation. Benchmarks with another flop
 * count add a case to {@link #flopsPerOp}.
 */
public final class FlopModels {
    private FlopModels() {}

    public static OptionalDouble flopsPerOp(BenchResult r) {
        String shape = r.params().get("shape");
        if (shape != null && r.benchmark().toLowerCase(java.util.Locale.ROOT).contains("gemm")) {
            String[] d = shape.split("x");
            if (d.length == 3) {
                try {
                    return OptionalDouble.of(2.0 * Long.parseLong(d[0]) * Long.parseLong(d[1]) * Long.parseLong(d[2]));
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
            }
        }
        return OptionalDouble.empty();
    }

    /** GFLOP/s of a result with a known flop count; NaN otherwise. */
    public static double gflops(BenchResult r) {
        OptionalDouble flops = flopsPerOp(r);
        double ns = r.nanosPerOp();
        return flops.isPresent() && ns > 0 ? flops.getAsDouble() / ns : Double.NaN;
    }
}
