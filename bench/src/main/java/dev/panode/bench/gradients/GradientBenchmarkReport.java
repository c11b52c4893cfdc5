package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.GradientResult;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Prints, per gradient benchmark case, the forward and backward NFE, whether backprop ran from saved stages, the
 * checkpoint and saved-stage bytes, the steps recomputed, the GEMM flops done and the floor ({@link GradientFloor}),
 * and the Java heap bytes allocated by one gradient after warm-up (ThreadMXBean) through a reused session and
 * through {@code Gradients.compute}, as a Markdown table.
 * Arguments: optional shapes (default all four).
 */
public final class GradientBenchmarkReport {
    private GradientBenchmarkReport() {}

    public static void main(String[] args) {
        String[] shapes = args.length > 0 ? args : new String[] {"2x50x1", "2x50x16", "2x64x1024", "32x256x256"};
        String[] methods = {"backprop", "backsolve", "backsolve-seminorm", "interpolating", "interpolating-seminorm"};
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        System.out.println("| case | loss | method | fwd NFE | bwd NFE | stages saved | checkpoint bytes | saved-stage bytes "
                + "| steps recomputed | GEMM MFLOP | floor MFLOP | heap bytes/gradient (session) | heap bytes/gradient "
                + "(Gradients.compute) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String shape : shapes) {
            for (String loss : new String[] {"final", "multi"}) {
                for (String method : methods) {
                    GradientCase c = new GradientCase(shape, loss, method);
                    int warm = shape.startsWith("32") || shape.contains("1024") ? 5 : 200;
                    for (int i = 0; i < warm; i++) {
                        c.run();
                        c.gradient();
                    }
                    int reps = 3;
                    long before = bean.getThreadAllocatedBytes(id);
                    for (int i = 0; i < reps; i++) c.gradient();
                    long sessionHeap = (bean.getThreadAllocatedBytes(id) - before) / reps;
                    before = bean.getThreadAllocatedBytes(id);
                    for (int i = 0; i < reps; i++) c.run();
                    long computeHeap = (bean.getThreadAllocatedBytes(id) - before) / reps;
                    var s = c.stats();
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d | %s | %d | %d | %d | %.1f | %.1f | %d | %d |%n",
                            shape, loss, method, s.forwardNfe(), s.backwardNfe(), s.stagesSaved() ? "yes" : "no",
                            s.checkpointBytes(), s.savedStageBytes(), s.stepsRecomputed(),
                            GradientFloor.gemmFlopsDone(c, s) / 1e6, GradientFloor.floorFlops(c, s) / 1e6,
                            sessionHeap, computeHeap);
                    c.close();
                }
            }
        }
    }
}
