package dev.panode.bench.gradients;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link CnfIterationBenchmark}'s iteration timed the way {@code docs/examples/cnf_torchdiffeq_timing.py} times
 * cnf.py's: warm-up iterations, then the median and minimum wall time per iteration and the median CPU time of the calling thread
 * (less disturbed than the wall clock on a loaded machine), with the NFE. For runs alternated with the Python script
 * in one window:
 * <pre>
 *   java … dev.panode.bench.gradients.CnfIterationTiming [backprop|adjoint|adjoint-seminorm] [iterations] [warmup] [panode|torchdiffeq]
 * </pre>
 */
public final class CnfIterationTiming {
    private CnfIterationTiming() {}

    /** Arguments: gradient (backprop), iterations (20), warm-up iterations (150), conventions (panode or torchdiffeq). */
    public static void main(String[] args) {
        CnfIterationBenchmark b = new CnfIterationBenchmark();
        b.gradient = args.length > 0 ? args[0] : "backprop";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 150;
        b.trace = "exact";
        b.architecture = System.getProperty("cnf.architecture", "hypernetwork");
        b.conventions = args.length > 3 ? args[3] : "panode";
        b.setUp();
        var threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[iterations], cpu = new double[iterations];
        double sink = 0.0;
        for (int i = 0; i < warmup + iterations; i++) {
            long c0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            sink += b.iteration();
            long t1 = System.nanoTime(), c1 = threads.getCurrentThreadCpuTime();
            if (i >= warmup) {
                wall[i - warmup] = (t1 - t0) * 1e-6;
                cpu[i - warmup] = (c1 - c0) * 1e-6;
            }
        }
        b.tearDown();
        double[] w = wall.clone(), c = cpu.clone();
        Arrays.sort(w);
        Arrays.sort(c);
        System.out.printf("panode CnfIterationBenchmark %s/%s/%s, f64: median %.1f ms, min %.1f ms per iteration over %d "
                        + "(thread CPU time: median %.1f ms); loss %.6f%n", b.architecture, b.conventions, b.gradient, w[iterations / 2], w[0],
                iterations, c[iterations / 2], sink / (warmup + iterations));
    }
}
