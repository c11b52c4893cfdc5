package dev.panode.bench.mlp;

import dev.panode.bench.suite.PairedRounds;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.DenseVjpKernel;
import dev.panode.simd.Gemm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The backward step of a 2-D ODE's output layer (50 → 2) over its tanh layer, as
 * {@link DenseVjpKernel#backwardThroughTanh}
 * runs it in one pass against the two calls it replaced ({@link DenseVjpKernel#backward}: two products, Java or
 * OpenBLAS as the dispatch rule in force says, and {@link ActivationKernel#derivativeTimesColumnSums}), paired in one
 * JVM by {@link PairedRounds}, each block timed by the thread's CPU time; blocks of 1, 8, 16 and 64 rows. Prints the
 * median and minimum per call and the ratio of the medians.
 *
 * <p>Run with {@code OPENBLAS_NUM_THREADS=1}, once per rule ({@code -Dpanode.gemm.rule=measured} or the default):
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.mlp.TanhVjpDuet [rounds]}.
 */
public final class TanhVjpDuet {
    private TanhVjpDuet() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 31;
        int in = 50;
        System.out.println("rule: " + Gemm.thresholds().describe());
        System.out.println("| rows | two calls median µs | one pass median µs | ratio | two calls min µs | one pass min µs |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        SplittableRandom rnd = new SplittableRandom(7);
        for (int rows : new int[] {1, 8, 16, 64}) {
            int wOff = 0, bOff = 2 * in, below = bOff + 2;
            double[] theta = uniform(rnd, bOff + 2, 0.2), tb = new double[below + in];
            double[] ub = uniform(rnd, 2 * rows, 1.0), x = uniform(rnd, rows * in, 0.9);
            double[] xb = new double[rows * in];
            DenseVjpKernel k = DenseVjpKernel.of(in, 2);
            DenseVjpKernel.Workspace ws = k.newWorkspace();
            int reps = Math.max(1, 200_000 / rows);
            double[][] t = PairedRounds.run(15, rounds, reps, THREADS::getCurrentThreadCpuTime,
                    () -> {
                        k.backward(rows, ub, x, 0, theta, wOff, tb, bOff, true, xb, ws);
                        ActivationKernel.TANH.derivativeTimesColumnSums(x, 0, x, 0, xb, 0, rows, in, tb, below);
                    },
                    () -> k.backwardThroughTanh(rows, ub, x, 0, theta, wOff, tb, bOff, true, below, xb));
            double m0 = t[0][rounds / 2], m1 = t[1][rounds / 2];
            System.out.printf(Locale.ROOT, "| %d | %.3f | %.3f | %.2f× | %.3f | %.3f |%n", rows, m0, m1, m0 / m1,
                    t[0][0], t[1][0]);
        }
    }

    private static double[] uniform(SplittableRandom rnd, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * (2 * rnd.nextDouble() - 1);
        return v;
    }
}
