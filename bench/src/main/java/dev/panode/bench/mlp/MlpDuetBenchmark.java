package dev.panode.bench.mlp;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.layers.Gelu;
import dev.panode.adjoint.models.layers.LayerField;
import dev.panode.adjoint.models.layers.Residual;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.bench.simd.DuetSummary;
import dev.panode.solvers.FieldWorkspace;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The cost of running the MLP as a composition of layers, as a paired ("duet") measurement: {@link Mlp} (a
 * {@code LayerField} over a {@code Sequential} whose dense run is one fused block) against {@link HandFusedMlp}, the
 * hand-fused MLP it replaced, in the same JVM, interleaved block by block, so that a slow phase of a shared machine
 * slows both alike. Each JMH invocation is one round: a block of {@code reps} calls of each, in alternating order,
 * each block timed with {@link System#nanoTime}. The trial prints (and appends to the file named by the system
 * property {@value #OUT_PROPERTY}) one JSON line: the median time per call of each, the ratio {@code mlp / handFused}
 * of the medians with its 95% bootstrap interval ({@link DuetSummary}), and whether both gave the same bits. The JMH
 * score is the time of one round and is not a figure of merit.
 *
 * <p>Run (after {@code ./mvnw -B -o -pl bench -am package -DskipTests}), one fork per line of the table:
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp CP org.openjdk.jmh.Main
 * MlpDuetBenchmark -f 3 -wi 5 -i 10 -w 1s -r 1s}. Method: Bulej et al., "Duet Benchmarking: Improving Measurement
 * Accuracy in the Cloud", Empirical Software Engineering 25 (2020), sequential interleaving.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MlpDuetBenchmark {

    /** System property: a file to which each trial appends its summary as one JSON line. */
    public static final String OUT_PROPERTY = DuetSummary.OUT_PROPERTY;
    /** Calls per block are chosen so that a block does about this many multiply-adds. */
    private static final long BLOCK_WORK = 200_000;
    private static final int MAX_ROUNDS = 1 << 17;
    private static final int HAND_FUSED = 0, MLP = 1;
    private static final int[][] ORDERS = {{HAND_FUSED, MLP}, {MLP, HAND_FUSED}};

    /** D x H x B, as in {@link MlpFieldBenchmark}. */
    @Param({"2x50x1", "2x50x16", "2x64x1024", "32x256x256"})
    public String shape;

    /** {@code evaluate} or {@code vjp} (ȳ, θ̄, ∂/∂t and f). */
    @Param({"evaluate", "vjp"})
    public String op;

    /**
     * Whether other compositions (ConcatSquash, a residual block, a plain Sequential) run through the same
     * {@code LayerField} code first, as in a program that uses several kinds of field: the calls from the field into
     * its layers then see several receiver types, as they would in such a program, instead of the MLP's alone.
     */
    @Param({"false", "true"})
    public boolean otherFields;

    private Mlp mlp;
    private FieldWorkspace ws;
    private HandFusedMlp hand;
    private HandFusedMlp.Workspace handWs;
    private double[] y;
    private double[] v;
    private double[] out;
    private double[] yBar;
    private double[] thetaBar;
    private int rows;
    private boolean vjp;
    private int reps;
    private double[][] nanos;
    private int rounds;
    private long invocation;
    private boolean measuring;
    private boolean identical;

    @Setup(Level.Trial)
    public void setUp() {
        if (!op.equals("evaluate") && !op.equals("vjp")) throw new IllegalArgumentException("op must be evaluate or vjp, got " + op);
        MlpShape s = MlpShape.parse(shape);
        mlp = s.mlp();
        hand = new HandFusedMlp(mlp);
        rows = s.batch();
        ws = mlp.newWorkspace(rows);
        handWs = hand.newWorkspace(rows);
        y = s.states();
        v = y.clone();
        out = new double[y.length];
        yBar = new double[y.length];
        thetaBar = new double[mlp.parameterCount()];
        vjp = op.equals("vjp");
        long work = (long) rows * mlp.architecture().forwardMultiplyAddsPerRow() * (vjp ? 3 : 1);
        reps = (int) Math.max(1, BLOCK_WORK / work);
        nanos = new double[2][MAX_ROUNDS];
        identical = sameBits();
        if (otherFields) runOtherFields();
    }

    /** Evaluations and VJPs of three other compositions, enough for the JIT to profile and compile them. */
    private static void runOtherFields() {
        List<LayerField> others = List.of(
                LayerField.initialised(Sequential.builder(2).concatSquash(16).tanh().concatSquash(2).build(),
                        Initialisation.PYTORCH_DEFAULT, 1),
                LayerField.initialised(new Residual(Sequential.builder(2).dense(16).tanh().dense(2).build()),
                        Initialisation.PYTORCH_DEFAULT, 2),
                LayerField.initialised(Sequential.builder(2).concatTime().dense(8).add(new Gelu(8)).dense(2).build(),
                        Initialisation.PYTORCH_DEFAULT, 3));
        double[] y = {0.3, -0.2, 0.5, 0.1};
        double[] out = new double[4];
        double[] bar = new double[4];
        for (LayerField f : others) {
            FieldWorkspace w = f.newWorkspace(2);
            double[] thetaBar = new double[f.parameterCount()];
            for (int i = 0; i < 20_000; i++) {
                f.evaluate(0.1, y, out, 2, w);
                f.vjp(0.1, y, out, bar, thetaBar, null, 2, true, w);
            }
        }
    }

    /** Whether both give the same f (evaluate) or the same f, ȳ and θ̄ (VJP) on the benchmark's input. */
    private boolean sameBits() {
        double[] thetaA = new double[thetaBar.length];
        double[] thetaB = new double[thetaBar.length];
        double[] outA = new double[out.length];
        double[] outB = new double[out.length];
        double[] barA = new double[out.length];
        double[] barB = new double[out.length];
        if (vjp) {
            hand.vjp(0.0, y, v, barA, thetaA, outA, rows, true, handWs);
            mlp.vjp(0.0, y, v, barB, thetaB, outB, rows, true, ws);
        } else {
            hand.evaluate(0.0, y, outA, rows, handWs);
            mlp.evaluate(0.0, y, outB, rows, ws);
        }
        return Arrays.equals(outA, outB) && Arrays.equals(barA, barB) && Arrays.equals(thetaA, thetaB);
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /** One round: a block of {@code reps} calls of each, in alternating order. */
    @Benchmark
    public int round() {
        int[] order = ORDERS[(int) (invocation++ % ORDERS.length)];
        boolean record = measuring && rounds < MAX_ROUNDS;
        for (int who : order) {
            long t0 = System.nanoTime();
            if (who == MLP) {
                for (int r = 0; r < reps; r++) mlpCall();
            } else {
                for (int r = 0; r < reps; r++) handFusedCall();
            }
            long t = System.nanoTime() - t0;
            if (record) nanos[who][rounds] = (double) t / reps;
        }
        if (record) rounds++;
        return rounds;
    }

    // Each contestant is a call of its own, compiled as a caller's method would be.
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private double mlpCall() {
        if (vjp) return mlp.vjp(0.0, y, v, yBar, thetaBar, out, rows, true, ws);
        mlp.evaluate(0.0, y, out, rows, ws);
        return out[0];
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private double handFusedCall() {
        if (vjp) return hand.vjp(0.0, y, v, yBar, thetaBar, out, rows, true, handWs);
        hand.evaluate(0.0, y, out, rows, handWs);
        return out[0];
    }

    @TearDown(Level.Trial)
    public void report() {
        if (rounds == 0) return;
        DuetSummary s = DuetSummary.of(nanos, rounds, 2_000, new SplittableRandom(7));
        String json = String.format(Locale.ROOT,
                "{\"shape\":\"%s\",\"op\":\"%s\",\"otherFields\":%b,\"reps\":%d,\"rounds\":%d,\"handFused\":%.4f,\"mlp\":%.4f,"
                        + "\"ratio\":%.4f,\"ratioLow\":%.4f,\"ratioHigh\":%.4f,\"sameBits\":%b}",
                shape, op, otherFields, reps, rounds, s.medianMicros(HAND_FUSED), s.medianMicros(MLP), s.ratio(), s.ratioLow(),
                s.ratioHigh(), identical);
        DuetSummary.publish(json);
    }
}
