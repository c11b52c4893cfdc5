package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.StageSaving;
import dev.panode.blas.Blas;
import dev.panode.solvers.RungeKutta;
import java.util.Arrays;
import java.util.Locale;

/**
 * Backprop with saved stages against backprop rebuilding them, as a paired measurement in one JVM: for each
 * {@link GradientBenchmark} shape (final loss, dopri5 1e-6/1e-8) three sessions — {@link StageSaving#ALWAYS},
 * {@link StageSaving#NEVER} and {@link StageSaving#AUTO} — each round timing a block of gradients through each, the
 * order rotating, so that a slow phase of a shared machine slows all alike. Prints per shape the medians and minima
 * per gradient, the ratio saved / rebuilt of the medians, which one AUTO chose, and checks that all three give the
 * same bits.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.gradients.SavedStagesDuet [rounds
 * [shape ...]]}.
 */
public final class SavedStagesDuet {
    private SavedStagesDuet() {}

    private static final StageSaving[] CHOICES = {StageSaving.ALWAYS, StageSaving.NEVER, StageSaving.AUTO};

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        String[] shapes = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"2x50x1", "2x50x16", "2x64x1024", "32x256x256"};
        System.out.println("OpenBLAS: " + (Blas.isAvailable() ? Blas.info().coreName() + ", " + Blas.info().threads()
                + " threads" : "not loaded"));
        System.out.println("| shape | saved median µs | rebuilt median µs | AUTO median µs | saved / rebuilt | saved min µs"
                + " | rebuilt min µs | AUTO saves | saved-stage MB per gradient |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|---:|");
        for (String shape : shapes) {
            GradientCase c = new GradientCase(shape, "final", "backprop");
            GradientSession[] s = new GradientSession[CHOICES.length];
            for (int k = 0; k < s.length; k++) {
                s[k] = Gradients.session(c.mlp, c.rows, c.times, c.loss, RungeKutta.dopri5(), c.options,
                        new Backprop(Checkpointing.all(), CHOICES[k]), false);
            }
            long t0 = System.nanoTime();
            s[0].compute(c.z0);
            double once = (System.nanoTime() - t0) / 1e3;
            int reps = (int) Math.max(1, Math.min(2000, 20_000 / Math.max(1.0, once)));
            for (int w = 0; w < 15; w++) for (GradientSession x : s) time(x, c.z0, reps);
            double[][] t = new double[s.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < s.length; j++) {
                    int k = (r + j) % s.length;
                    t[k][r] = time(s[k], c.z0, reps);
                }
            }
            for (int k = 1; k < s.length; k++) {
                if (!Arrays.equals(s[0].dLdTheta(), s[k].dLdTheta()) || s[0].loss() != s[k].loss()) {
                    throw new AssertionError(shape + ": " + CHOICES[k] + " differs from " + CHOICES[0]);
                }
            }
            for (double[] x : t) Arrays.sort(x);
            double saved = t[0][rounds / 2], rebuilt = t[1][rounds / 2], auto = t[2][rounds / 2];
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.3f | %.1f | %.1f | %s | %.1f |%n", shape, saved,
                    rebuilt, auto, saved / rebuilt, t[0][0], t[1][0], s[2].stats().stagesSaved() ? "yes" : "no",
                    s[0].stats().savedStageBytes() / 1e6);
            for (GradientSession x : s) x.close();
        }
    }

    /** @return microseconds per gradient over a block of {@code reps} */
    private static double time(GradientSession s, double[] y0, int reps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) s.compute(y0);
        return (System.nanoTime() - t0) / 1e3 / reps;
    }
}
