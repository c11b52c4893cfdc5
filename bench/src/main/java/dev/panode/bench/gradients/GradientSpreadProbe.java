package dev.panode.bench.gradients;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where a small gradient's time spread comes from: runs one case of {@link GradientBenchmark},
 * {@link SpiralGradientBenchmark} or {@link DemoBatchGradientBenchmark} (the same setup) in blocks of calls and
 * prints, per block, the JVM's uptime, the median and the 10th / 90th percentiles of each call's thread CPU time,
 * and the thread CPU time of fixed reference loops run just before the block (a scalar register-only loop, a
 * 512-double FMA loop in L1, reads of 512 KB and of 8 MB), and each CPU's busy
 * share during the block from {@code /proc/stat} ({@code n/a} where there is none). Thread CPU time leaves
 * out the time other processes take from this one, so a level change that every reference loop shares, or that two
 * probes started together on the two cores show at the same moments, is the machine's; one that comes with a
 * compilation, a deoptimisation or a collection ({@code -XX:+PrintCompilation}, {@code -Xlog:gc}) is the JVM's.
 * BENCHMARKS.md §101 and §105 read it.
 *
 * <p>Usage: {@code grad SHAPE LOSS METHOD BLOCKS CALLS}, {@code spiral METHOD BLOCKS CALLS} or {@code demo CHUNK_ROWS
 * THREADS BLOCKS CALLS} ({@link DemoBatchGradientBenchmark}'s case; each block also prints its calls' median wall time,
 * which on two threads includes the worker's share); {@code spin vec|l3|int
 * SECONDS} only runs a reference loop (a load for the other core). Each call reads the thread CPU clock twice (about a
 * microsecond), which the figures include. Not a benchmark: the times are for comparing blocks and processes with each
 * other, JMH's figures are the benchmark's.
 */
public final class GradientSpreadProbe {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double[] A = new double[512];
    private static final double[] B = new double[512];
    private static final long[] L2 = new long[64 * 1024];
    private static final long[] L3 = new long[1024 * 1024];
    private static volatile double sink;

    private GradientSpreadProbe() {}

    /** Runs the probe; see the class comment for the arguments. */
    public static void main(String[] args) {
        if (args[0].equals("spin")) {
            long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
            while (System.nanoTime() < end) {
                sink += switch (args[1]) {
                    case "vec" -> vectorLoop(2_000);
                    case "l3" -> sweep(L3, 1);
                    default -> registerLoop(200_000);
                };
            }
            return;
        }
        boolean spiral = args[0].equals("spiral");
        boolean demo = args[0].equals("demo");
        Probed c = demo ? demo(args[1], Integer.parseInt(args[2]))
                : session(spiral ? new SpiralGradientCase(args[1]) : new GradientCase(args[1], args[2], args[3]));
        int at = spiral ? 2 : demo ? 3 : 4;
        int blocks = Integer.parseInt(args[at]);
        int calls = Integer.parseInt(args[at + 1]);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        long[] t = new long[calls];
        long[] wall = new long[calls];
        try {
            long[][] ticks = cpuTicks();
            for (int b = 0; b < blocks; b++) {
                long r0 = clock.getCurrentThreadCpuTime();
                sink += registerLoop(2_000_000);
                long r1 = clock.getCurrentThreadCpuTime();
                sink += vectorLoop(20_000);
                long r2 = clock.getCurrentThreadCpuTime();
                sink += sweep(L2, 40);
                long r3 = clock.getCurrentThreadCpuTime();
                sink += sweep(L3, 3);
                long r4 = clock.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    long w = System.nanoTime();
                    long s = clock.getCurrentThreadCpuTime();
                    sink += c.gradient();
                    t[i] = clock.getCurrentThreadCpuTime() - s;
                    wall[i] = System.nanoTime() - w;
                }
                Arrays.sort(t);
                Arrays.sort(wall);
                long[][] now = cpuTicks();
                System.out.printf("BLOCK %d up=%d ms med=%.1f us p10=%.1f p90=%.1f wall=%.1f reg=%.3f vec=%.3f "
                        + "l2=%.3f l3=%.3f ms busy=%s%n", b,
                        ManagementFactory.getRuntimeMXBean().getUptime(), t[calls / 2] / 1e3, t[calls / 10] / 1e3,
                        t[calls * 9 / 10] / 1e3, wall[calls / 2] / 1e3, (r1 - r0) / 1e6, (r2 - r1) / 1e6,
                        (r3 - r2) / 1e6, (r4 - r3) / 1e6, busy(ticks, now));
                ticks = now;
            }
            System.out.println(c.stats());
        } finally {
            c.close();
        }
    }

    /** What the probe times: one gradient (its loss), and the case's cost at the end. */
    private record Probed(DoubleSupplier gradientCall, Supplier<String> statsCall, Runnable closeCall) {
        double gradient() {
            return gradientCall.getAsDouble();
        }

        String stats() {
            return statsCall.get();
        }

        void close() {
            closeCall.run();
        }
    }

    private static Probed session(SessionGradientCase c) {
        return new Probed(c::gradient, () -> c.stats().toString(), c::close);
    }

    /** {@link DemoBatchGradientBenchmark}'s case {@code chunkRows} on {@code threads} threads, with its evaluations. */
    private static Probed demo(String chunkRows, int threads) {
        DemoBatchGradientBenchmark b = new DemoBatchGradientBenchmark();
        b.chunkRows = chunkRows;
        b.threads = threads;
        b.setUp();
        return new Probed(b::batchGradient, () -> b.step().toString(), b::tearDown);
    }

    /** Per CPU of {@code /proc/stat}: {busy, steal, total} jiffies; empty where the file cannot be read. */
    private static long[][] cpuTicks() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/stat"));
        } catch (IOException | SecurityException e) {
            return new long[0][];
        }
        return lines.stream().filter(l -> l.matches("cpu\\d+ .*")).map(l -> {
            String[] f = l.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {total - idle - steal, steal, total};
        }).toArray(long[][]::new);
    }

    /** Each CPU's busy share between two readings, then the steal share, e.g. {@code 0.98/0.41,st0.00}. */
    private static String busy(long[][] before, long[][] after) {
        if (before.length == 0 || before.length != after.length) return "n/a";
        StringBuilder sb = new StringBuilder();
        long steal = 0, total = 0;
        for (int c = 0; c < after.length; c++) {
            long all = Math.max(1, after[c][2] - before[c][2]);
            sb.append(c == 0 ? "" : "/").append(String.format("%.2f", (after[c][0] - before[c][0]) / (double) all));
            steal += after[c][1] - before[c][1];
            total += all;
        }
        return sb.append(String.format(",st%.2f", steal / (double) total)).toString();
    }

    /** Reads one long per 64-byte line of {@code a}, {@code reps} times (512 KB: in L2; 8 MB: past L2, in L3). */
    private static long sweep(long[] a, int reps) {
        long sum = 0;
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < a.length; i += 8) sum += a[i];
            a[r & 7]++;
        }
        return sum;
    }

    /** A latency-bound scalar chain: registers only. */
    private static long registerLoop(long n) {
        long a = 1;
        long b = 2;
        for (long i = 0; i < n; i++) {
            a = a * 6364136223846793005L + b;
            b ^= a >>> 13;
        }
        return a + b;
    }

    /** Four FMA chains over two 4 KB arrays (L1), {@code reps} times. */
    private static double vectorLoop(int reps) {
        double total = 0;
        int w = S.length();
        for (int r = 0; r < reps; r++) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            for (int i = 0; i + 4 * w <= A.length; i += 4 * w) {
                a0 = DoubleVector.fromArray(S, A, i).fma(DoubleVector.fromArray(S, B, i), a0);
                a1 = DoubleVector.fromArray(S, A, i + w).fma(DoubleVector.fromArray(S, B, i + w), a1);
                a2 = DoubleVector.fromArray(S, A, i + 2 * w).fma(DoubleVector.fromArray(S, B, i + 2 * w), a2);
                a3 = DoubleVector.fromArray(S, A, i + 3 * w).fma(DoubleVector.fromArray(S, B, i + 3 * w), a3);
            }
            total += a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
            A[r & (A.length - 1)] += 1e-9;
        }
        return total;
    }
}
