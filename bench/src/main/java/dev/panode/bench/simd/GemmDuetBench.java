package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.blas.Blas;
import dev.panode.simd.Gemm;
import java.util.Locale;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The GEMM dispatch check as a paired ("duet") measurement: the Java kernel, OpenBLAS and the dispatcher
 * {@link Gemm#dgemm} timed in the same JVM, interleaved block by block, so that a slow phase of a shared machine
 * (another tenant, a frequency change, a noisy fork) slows all three alike instead of one of them.
 *
 * <p>{@link GemmBench} times each backend in its own fork, minutes apart; on a busy two-core VM the same kernel then
 * differs by up to ±20% from fork to fork, more than the 5% the dispatcher is allowed. Here each JMH invocation is one
 * <em>round</em>: a block of {@code reps} products with each backend (about 30–400 µs a block), in one of the six
 * orders, rotating, each block timed with {@link System#nanoTime}. The result that matters is printed at the end of
 * the trial (and appended to the file named by the system property {@value #OUT_PROPERTY}, one JSON object per
 * shape): over the measurement rounds, the median time per product of each backend, the ratio
 * {@code dispatcher / min(java, openblas)} of the medians, and its 95% bootstrap interval (rounds resampled, 2,000
 * times). The JMH score itself is the time of one round and is not a figure of merit. Without OpenBLAS the
 * "openblas" backend is {@code Blas}'s Java fallback and the summary says {@code "openblasLoaded":false}.
 *
 * <p>Method: Bulej et al., "Duet Benchmarking: Improving Measurement Accuracy in the Cloud", Empirical Software
 * Engineering 25 (2020) — here sequential interleaving rather than parallel execution, since the VM has two cores and
 * OpenBLAS uses both. Use {@link GemmBench} for the absolute figure of one backend, this benchmark for the
 * comparison.
 */
public class GemmDuetBench extends PanodeBenchmark {

    /** System property: a file to which each trial appends its summary as one JSON line. */
    public static final String OUT_PROPERTY = DuetSummary.OUT_PROPERTY;
    /** Products per block are chosen so that a block does about this many multiply-adds. */
    private static final long BLOCK_WORK = 400_000;
    private static final int MAX_ROUNDS = 1 << 17;
    private static final int JAVA = 0, OPENBLAS = 1, DISPATCHER = 2;
    private static final String[] NAMES = {"java", "openblas", "dispatcher"};
    private static final int[][] ORDERS = {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {0, 2, 1}, {2, 1, 0}, {1, 0, 2}};

    /** {@code m×k×n}, as in {@link GemmBench}. */
    @Param({"16x2x50", "16x50x50", "16x50x2", "1024x2x64", "1024x64x64", "256x32x256", "256x256x256", "256x256x32"})
    public String shape;

    @Param({"NT"})
    public String trans;

    private GemmProblem problem;
    private int reps;
    /** {@code nanos[backend][round]}: the block time of a measurement round, per product. */
    private double[][] nanos;
    private int rounds;
    private long invocation;
    private boolean measuring;

    @Setup(Level.Trial)
    public void setUp() {
        problem = new GemmProblem(shape, trans);
        reps = (int) Math.max(1, BLOCK_WORK / problem.work());
        nanos = new double[3][MAX_ROUNDS];
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /** One round: a block of {@code reps} products with each backend, in the next of the six orders. */
    @Benchmark
    public int round() {
        int[] order = ORDERS[(int) (invocation++ % ORDERS.length)];
        boolean record = measuring && rounds < MAX_ROUNDS;
        for (int backend : order) {
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) run(backend);
            long t = System.nanoTime() - t0;
            if (record) nanos[backend][rounds] = (double) t / reps;
        }
        if (record) rounds++;
        return rounds;
    }

    private void run(int backend) {
        switch (backend) {
            case JAVA -> javaKernel();
            case OPENBLAS -> openblas();
            default -> dispatcher();
        }
    }

    // Each backend is a call of its own, compiled on its own as a caller's method would be: inlined into the
    // benchmark's loop, which JMH compiles on-stack, the heap segments of the OpenBLAS call are not scalar-replaced.
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private double[] javaKernel() {
        return problem.javaKernel();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private double[] openblas() {
        return problem.openblas();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private double[] dispatcher() {
        return problem.dispatcher();
    }

    @TearDown(Level.Trial)
    public void report() {
        DuetSummary s = DuetSummary.of(nanos, rounds, 2_000, new SplittableRandom(7));
        String backend = Gemm.backendFor(problem.m, problem.n, problem.k).name().toLowerCase(Locale.ROOT);
        String json = String.format(Locale.ROOT,
                "{\"shape\":\"%s\",\"trans\":\"%s\",\"openblasLoaded\":%b,\"reps\":%d,\"rounds\":%d,\"%s\":%.4f,\"%s\":%.4f,\"%s\":%.4f,"
                        + "\"dispatchedTo\":\"%s\",\"ratio\":%.4f,\"ratioLow\":%.4f,\"ratioHigh\":%.4f}",
                shape, trans, Blas.isAvailable(), reps, rounds, NAMES[JAVA], s.medianMicros(JAVA), NAMES[OPENBLAS],
                s.medianMicros(OPENBLAS), NAMES[DISPATCHER], s.medianMicros(DISPATCHER), backend, s.ratio(),
                s.ratioLow(), s.ratioHigh());
        DuetSummary.publish(json);
    }
}
