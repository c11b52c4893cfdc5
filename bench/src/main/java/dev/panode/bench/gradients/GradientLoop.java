package dev.panode.bench.gradients;

import dev.panode.adjoint.training.BatchGradient;
import dev.panode.adjoint.training.BatchGradients;
import dev.panode.adjoint.training.TrajectoryDataset;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmF32;
import dev.panode.simd.GemmPlatform;
import dev.panode.simd.GemmThresholds;
import dev.panode.solvers.RungeKutta;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A plain timing loop over gradient cases, for profiling (JFR, or a quick look without JMH): each case runs through
 * its session for a warm-up (at least 3 s, the cases round by round; then each case's block size is set from 200
 * calls), then rounds of blocks, the cases interleaved round by round so that a shared machine's slow phases hit all
 * alike. Prints the median and minimum microseconds per gradient (wall clock), the 1st and 5th
 * percentiles of single calls (on a loaded machine: the calls that no other process interrupted), the median of the
 * calling thread's CPU time per gradient (steadier than the wall clock on a loaded machine, where the thread waits for a
 * core; it leaves out the JIT's threads and a second gradient thread) and the gradient's {@link GradientStats}.
 *
 * <p>Cases: {@code spiral:METHOD} ({@link SpiralGradientCase}), {@code SHAPE:LOSS:METHOD} ({@link GradientCase}) or
 * {@code demo:CHUNK_ROWS:THREADS} ({@link DemoBatchGradientBenchmark}'s batch gradient: 1 and 2 threads side by side;
 * CHUNK_ROWS a number, {@code balanced} or {@code data})
 * or {@code demochunk:CHUNK} ({@link DemoChunkBenchmark}: one chunk of its windows alone: 0 or 1 of the halves,
 * {@code balanced:G} or {@code data:G} of a balanced cut), or {@code demof32}
 * (the same batch gradient as {@code demo:20:1} in float32, {@link BatchGradients#meanAbsoluteErrorF32}).
 * A case may start with {@code RULE/}, {@code measured/} or {@code platform/}: its blocks then run with the GEMM
 * dispatcher set to {@link GemmThresholds#MEASURED} or to {@link GemmThresholds#rule} for this platform (double and
 * float alike), so that {@code measured/2x50x16:final:backprop platform/2x50x16:final:backprop} pairs the two rules
 * in one JVM, round by round; {@code platform:ROWS/} is the platform rule with {@link GemmThresholds#minBlasVjpRows()}
 * set to ROWS ({@code platform:1/}: the rule without its row rule), {@code shallow/} the platform rule without its
 * deep-product exception ({@link GemmThresholds#minJavaDepthPerColumn()}; docs/BENCHMARKS.md §69).
 * Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.gradients.GradientLoop SECONDS CASE...}.
 */
public final class GradientLoop {
    private GradientLoop() {}

    /** One timed case. */
    private interface Case {
        void run();

        String describe();

        void close();
    }

    /** The least warm-up, all cases round by round, before the blocks are sized. */
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    /** The most single calls timed per case (their 1st and 5th percentiles are printed). */
    private static final int CALLS = 1 << 20;

    public static void main(String[] args) {
        double seconds = Double.parseDouble(args[0]);
        Case[] cases = new Case[args.length - 1];
        for (int i = 0; i < cases.length; i++) cases[i] = parse(args[i + 1]);
        // warm every case up before sizing the blocks: a case sized while the JIT still compiles it gets blocks of a
        // few calls, each starting with its data out of the caches the other cases' blocks used (BENCHMARKS.md §105)
        long warmEnd = System.nanoTime() + WARM_UP_NANOS;
        do {
            for (Case c : cases) for (int w = 0; w < 200; w++) c.run();
        } while (System.nanoTime() < warmEnd);
        int[] reps = new int[cases.length];
        for (int i = 0; i < cases.length; i++) {
            long t0 = System.nanoTime();
            for (int w = 0; w < 200; w++) cases[i].run();
            double each = (System.nanoTime() - t0) / 200e3;
            reps[i] = (int) Math.max(1, Math.min(5000, 10_000 / Math.max(1.0, each)));
        }
        int rounds = (int) Math.max(5, seconds * 100 / cases.length);
        double[][] t = new double[cases.length][rounds];
        double[][] cpu = new double[cases.length][rounds];
        double[][] calls = new double[cases.length][CALLS];
        int[] counted = new int[cases.length];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cases.length; i++) {
                int k = (i + r) % cases.length;
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int j = 0; j < reps[k]; j++) {
                    long s0 = System.nanoTime();
                    cases[k].run();
                    if (counted[k] < CALLS) calls[k][counted[k]++] = (System.nanoTime() - s0) / 1e3;
                }
                t[k][r] = (System.nanoTime() - t0) / 1e3 / reps[k];
                cpu[k][r] = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / reps[k];
            }
        }
        for (int i = 0; i < cases.length; i++) {
            Arrays.sort(t[i]);
            Arrays.sort(cpu[i]);
            double[] one = Arrays.copyOf(calls[i], counted[i]);
            Arrays.sort(one);
            System.out.printf(Locale.ROOT, "%-40s median %10.1f µs  min %10.1f µs  cpu median %10.1f µs  "
                            + "one call p1 / p5 %8.1f / %8.1f µs  %s%n", args[i + 1], t[i][rounds / 2], t[i][0],
                    cpu[i][rounds / 2], one[one.length / 100], one[one.length / 20], cases[i].describe());
            cases[i].close();
        }
    }

    static Case parse(String spec) {
        int slash = spec.indexOf('/');
        if (slash >= 0) return underRule(spec.substring(0, slash), parse(spec.substring(slash + 1)));
        String[] p = spec.split(":");
        if (p.length == 3 && p[0].equals("demo")) {
            DemoBatchGradientBenchmark b = new DemoBatchGradientBenchmark();
            b.chunkRows = p[1];
            b.threads = Integer.parseInt(p[2]);
            b.setUp();
            return plain(b::batchGradient, b::tearDown);
        }
        if (p.length == 1 && p[0].equals("demof32")) {
            BatchGradient g = BatchGradients.meanAbsoluteErrorF32(DemoBatchGradientBenchmark.model(),
                    RungeKutta.dopri5(), DemoBatchGradientBenchmark.OPTIONS);
            TrajectoryDataset.Batch batch = DemoBatchGradientBenchmark.batch();
            double[] out = new double[DemoBatchGradientBenchmark.model().parameterCount()];
            return plain(() -> g.compute(batch, out), g::close);
        }
        if ((p.length == 2 || p.length == 3) && p[0].equals("demochunk")) {
            DemoChunkBenchmark b = new DemoChunkBenchmark();
            b.chunk = p.length == 2 ? p[1] : p[1] + ":" + p[2];
            b.setUp();
            return plain(b::chunkGradient, b::tearDown);
        }
        SessionGradientCase c;
        if (p.length == 2 && p[0].equals("spiral")) c = new SpiralGradientCase(p[1]);
        else if (p.length == 3) c = new GradientCase(p[0], p[1], p[2]);
        else throw new IllegalArgumentException("a case must be spiral:METHOD, SHAPE:LOSS:METHOD, "
                + "demo:CHUNK_ROWS:THREADS, demof32 or demochunk:CHUNK, got " + spec);
        return new Case() {
            public void run() {
                c.gradient();
            }

            public String describe() {
                return c.stats().toString();
            }

            public void close() {
                c.close();
            }
        };
    }

    /** {@code inner} with the dispatcher set to a rule while it runs (then put back as it was at start-up). */
    private static Case underRule(String rule, Case inner) {
        GemmPlatform platform = GemmPlatform.current();
        int colon = rule.indexOf(':');
        String base = colon < 0 ? rule : rule.substring(0, colon);
        if (!base.equals("measured") && !base.equals("platform") && !base.equals("shallow")) {
            throw new IllegalArgumentException("a rule prefix must be measured/, platform/, shallow/ or platform:ROWS/, got "
                    + rule);
        }
        GemmThresholds f64 = base.equals("measured") ? GemmThresholds.MEASURED : GemmThresholds.rule(platform, false);
        GemmThresholds f32 = base.equals("measured") ? GemmThresholds.MEASURED : GemmThresholds.rule(platform, true);
        if (base.equals("shallow")) {
            f64 = withoutDeepProducts(f64);
            f32 = withoutDeepProducts(f32);
        }
        if (colon >= 0) {
            int rows = Integer.parseInt(rule.substring(colon + 1));
            f64 = f64.withMinBlasVjpRows(rows);
            f32 = f32.withMinBlasVjpRows(rows);
        }
        GemmThresholds d = f64, f = f32;
        return new Case() {
            public void run() {
                Gemm.setThresholds(d);
                GemmF32.setThresholds(f);
                inner.run();
                Gemm.resetThresholds();
                GemmF32.resetThresholds();
            }

            public String describe() {
                return inner.describe();
            }

            public void close() {
                inner.close();
            }
        };
    }

    /** {@code t} without its deep-product exception (every VJP product the backward rule's). */
    private static GemmThresholds withoutDeepProducts(GemmThresholds t) {
        return new GemmThresholds(t.minBlasVolume(), t.minBlasDimension(), t.minBlasOutputSide(),
                t.minBlasBackwardVolume(), t.minBlasBackwardDimension(), t.maxBlasBackwardVolume(), t.minBlasVjpRows(),
                t.minBlasBackwardColumns());
    }

    /** A case without stats: {@code gradient} timed, {@code close} at the end. */
    private static Case plain(Runnable gradient, Runnable close) {
        return new Case() {
            public void run() {
                gradient.run();
            }

            public String describe() {
                return "";
            }

            public void close() {
                close.run();
            }
        };
    }
}
