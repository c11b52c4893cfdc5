package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.StageSaving;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.layers.LayerField;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.bench.simd.DuetSummary;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * Backprop with saved stages against backprop that rebuilds them, as a paired ("duet") measurement in one JVM: two
 * {@link GradientSession}s over the same field, one storing every stage evaluation ({@code Backprop.storeAll()} with {@code StageSaving.ALWAYS}), one
 * with a budget for the states only (so each VJP recomputes its stage's forward pass). The gradients are the same
 * bits; the saved path runs fewer evaluations backwards but copies each stage's saved state out of the workspace and
 * back. Fields: FFJORD's CNF body ({@code cnf}: ConcatSquash layers with tanh between them, 2 → w → w → w → 2) and an
 * MLP with time input of the same widths ({@code mlp}); dopri5 rtol 1e-5 / atol 1e-7 over [0, 0.5], states in
 * [−2, 2]. Each JMH invocation is one round: one gradient with each, in alternating order. The trial prints one JSON
 * line ({@link DuetSummary#publish}): median ms per gradient of each and {@code saved / rebuilt} with its 95%
 * bootstrap interval. Run: {@code ... org.openjdk.jmh.Main SavedStagesDuetBenchmark -f 3 -wi 3 -w 2s -i 8 -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SavedStagesDuetBenchmark {
    private static final int MAX_ROUNDS = 1 << 16;
    private static final int REBUILT = 0, SAVED = 1;

    /** {@code cnf} (ConcatSquash layers) or {@code mlp} (time column and dense layers). */
    @Param({"cnf", "mlp"})
    public String field;

    /** Hidden width w. */
    @Param({"64"})
    public int width;

    /** Rows of the batch. */
    @Param({"16", "256"})
    public int rows;

    private GradientSession[] sessions;
    private double[] y0;
    private double[][] nanos;
    private int rounds;
    private long invocation;
    private boolean measuring;
    private boolean sameBits;

    @Setup(Level.Trial)
    public void setUp() {
        Sequential.Builder b = Sequential.builder(2);
        switch (field) {
            case "cnf" -> b.concatSquash(width).tanh().concatSquash(width).tanh().concatSquash(width).tanh()
                    .concatSquash(2);
            case "mlp" -> b.concatTime().dense(width).tanh().dense(width).tanh().dense(width).tanh().dense(2);
            default -> throw new IllegalArgumentException("field must be cnf or mlp, got " + field);
        }
        LayerField f = LayerField.initialised(b.build(), Initialisation.PYTORCH_DEFAULT, 1);
        y0 = new double[2 * rows];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < y0.length; i++) y0[i] = r.nextDouble(-2, 2);
        double[] times = {0.0, 0.5};
        SolveOptions o = SolveOptions.builder().rtol(1e-5).atol(1e-7).build();
        Loss loss = Loss.sumOfSquaresAtEnd();
        GradientSession saved = Gradients.session(f, rows, times, loss, RungeKutta.dopri5(), o,
                Backprop.storeAll().withStageSaving(StageSaving.ALWAYS), false);
        saved.compute(y0);
        long states = (saved.stats().forwardSteps() + 1) * 8L * rows * 2;
        GradientSession rebuilt = Gradients.session(f, rows, times, loss, RungeKutta.dopri5(), o,
                new Backprop(Checkpointing.budget(2 * states)), false);
        rebuilt.compute(y0);
        if (!saved.stats().stagesSaved() || rebuilt.stats().stagesSaved()) {
            throw new IllegalStateException("expected saved and rebuilt stages, got " + saved.stats() + " and "
                    + rebuilt.stats());
        }
        sameBits = Arrays.equals(saved.result().dLdTheta(), rebuilt.result().dLdTheta());
        sessions = new GradientSession[] {rebuilt, saved};
        nanos = new double[2][MAX_ROUNDS];
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /** One round: one gradient with each session, in alternating order. */
    @Benchmark
    public int round() {
        boolean savedFirst = (invocation++ & 1) == 0;
        boolean record = measuring && rounds < MAX_ROUNDS;
        for (int j = 0; j < 2; j++) {
            int who = (j == 0) == savedFirst ? SAVED : REBUILT;
            long t0 = System.nanoTime();
            sessions[who].compute(y0);
            if (record) nanos[who][rounds] = System.nanoTime() - t0;
        }
        if (record) rounds++;
        return rounds;
    }

    @TearDown(Level.Trial)
    public void report() {
        long savedBytes = sessions[SAVED].stats().savedStageBytes();
        for (GradientSession session : sessions) session.close();
        if (rounds == 0) return;
        DuetSummary s = DuetSummary.of(nanos, rounds, 2_000, new SplittableRandom(7));
        DuetSummary.publish(String.format(Locale.ROOT,
                "{\"field\":\"%s\",\"width\":%d,\"rows\":%d,\"rounds\":%d,\"rebuiltMs\":%.4f,\"savedMs\":%.4f,"
                        + "\"ratio\":%.4f,\"ratioLow\":%.4f,\"ratioHigh\":%.4f,\"savedStageBytes\":%d,\"sameBits\":%b}",
                field, width, rows, rounds, s.medianMicros(REBUILT) / 1_000, s.medianMicros(SAVED) / 1_000,
                s.ratio(), s.ratioLow(), s.ratioHigh(), savedBytes, sameBits));
    }
}
