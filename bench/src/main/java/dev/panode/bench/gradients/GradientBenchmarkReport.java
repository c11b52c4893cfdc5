package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.GradientResult;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Prints, per gradient benchmark case, the forward and backward NFE, the checkpoint bytes, the steps recomputed and
 * the Java heap bytes allocated by one gradient after warm-up (ThreadMXBean), as a Markdown table.
 * Arguments: optional shapes (default all four).
 */
public final class GradientBenchmarkReport {
    private GradientBenchmarkReport() {}

    public static void main(String[] args) {
        String[] shapes = args.length > 0 ? args : new String[] {"2x50x1", "2x50x16", "2x64x1024", "32x256x256"};
        String[] methods = {"backprop", "backsolve", "backsolve-seminorm", "interpolating", "interpolating-seminorm"};
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        System.out.println("| case | loss | method | fwd NFE | bwd NFE | checkpoint bytes | steps recomputed | heap bytes/gradient |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String shape : shapes) {
            for (String loss : new String[] {"final", "multi"}) {
                for (String method : methods) {
                    GradientCase c = new GradientCase(shape, loss, method);
                    int warm = shape.startsWith("32") || shape.contains("1024") ? 5 : 200;
                    GradientResult r = null;
                    for (int i = 0; i < warm; i++) r = c.run();
                    long before = bean.getThreadAllocatedBytes(id);
                    int reps = 3;
                    for (int i = 0; i < reps; i++) r = c.run();
                    long heap = (bean.getThreadAllocatedBytes(id) - before) / reps;
                    var s = r.stats();
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d | %d |%n", shape, loss, method,
                            s.forwardNfe(), s.backwardNfe(), s.checkpointBytes(), s.stepsRecomputed(), heap);
                }
            }
        }
    }
}
