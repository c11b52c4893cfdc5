package dev.panode.bench.simd;

import java.util.Arrays;

/**
 * Two calls timed against each other in one JVM, for a loaded machine: after warm-up rounds, each round times a block
 * of {@code reps} calls of each, the order alternating from round to round, so that a slow phase slows both alike.
 * Used by the precision duets ({@link GemmPrecisionDuet}, {@code solvers.SolvePrecisionDuet}).
 */
public final class PairedTimes {
    private PairedTimes() {}

    /**
     * @return {@code [a, b]}, each the sorted microseconds per call of every round (median at {@code rounds / 2},
     *         minimum at 0)
     */
    public static double[][] measure(Runnable a, Runnable b, int reps, int warmUpRounds, int rounds) {
        for (int w = 0; w < warmUpRounds; w++) {
            time(a, reps);
            time(b, reps);
        }
        double[] ta = new double[rounds], tb = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                ta[r] = time(a, reps);
                tb[r] = time(b, reps);
            } else {
                tb[r] = time(b, reps);
                ta[r] = time(a, reps);
            }
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new double[][] {ta, tb};
    }

    /** @return microseconds per call over a block of {@code reps} calls */
    private static double time(Runnable call, int reps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) call.run();
        return (System.nanoTime() - t0) / 1e3 / reps;
    }
}
