package dev.panode.bench.gradients;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The warm-up curve of one {@link GradientCase} in a fresh JVM: gradients through its session, one after another, and
 * per interval of the wall clock a line with the calls so far, the wall and thread-CPU milliseconds per call, the
 * fastest call and the bytes the calling thread allocated per call. Where JMH's iterations average the JIT's warm-up
 * into a score, this shows when a case reaches its steady time and 0 B per gradient (docs/BENCHMARKS.md §90).
 * Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.gradients.GradientWarmUp SECONDS
 * INTERVAL_SECONDS SHAPE:LOSS:METHOD}, e.g. {@code 12 1 32x256x256:final:backsolve-seminorm}.
 */
public final class GradientWarmUp {
    private GradientWarmUp() {}

    public static void main(String[] args) {
        double seconds = Double.parseDouble(args[0]);
        double interval = Double.parseDouble(args[1]);
        String[] p = args[2].split(":");
        if (p.length != 3) throw new IllegalArgumentException("a case must be SHAPE:LOSS:METHOD, got " + args[2]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        double sink = 0;
        GradientCase c = new GradientCase(p[0], p[1], p[2]);
        try {
            long t0 = System.nanoTime(), bytes0 = threads.getThreadAllocatedBytes(thread);
            long cpu0 = threads.getCurrentThreadCpuTime();
            int calls = 0, total = 0;
            double fastest = Double.MAX_VALUE;
            while (true) {
                long s = System.nanoTime();
                sink += c.gradient();
                long e = System.nanoTime();
                fastest = Math.min(fastest, (e - s) / 1e6);
                calls++;
                total++;
                if (e - t0 >= interval * 1e9 || e >= end) {
                    long bytes = threads.getThreadAllocatedBytes(thread), cpu = threads.getCurrentThreadCpuTime();
                    System.out.printf(Locale.ROOT, "t %6.2f s  calls %6d  wall %9.3f ms/call  cpu %9.3f ms/call  "
                                    + "fastest %9.3f ms  %12.0f B/call%n", (e - start) / 1e9, total,
                            (e - t0) / 1e6 / calls, (cpu - cpu0) / 1e6 / calls, fastest,
                            (double) (bytes - bytes0) / calls);
                    t0 = e;
                    bytes0 = bytes;
                    cpu0 = cpu;
                    calls = 0;
                    fastest = Double.MAX_VALUE;
                    if (e >= end) break;
                }
            }
        } finally {
            c.close();
        }
        System.out.println("(sum of the losses: " + sink + ")");
    }
}
