package dev.panode.bench.suite;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Two calls timed as a pair in one JVM: after warm-up rounds, each round times a block of calls of each, the order
 * alternating from round to round, so that a slow phase of a shared machine slows both alike (duet benchmarking, the
 * reasoning of {@code GemmDuetBench}, without JMH). The result is each side's time per call over the rounds,
 * sorted, for medians and minima.
 */
public final class PairedRounds {
    private PairedRounds() {}

    /**
     * @param clock  nanoseconds ({@link System#nanoTime}, or a thread's CPU time on a loaded machine)
     * @param reps   calls per block
     * @return {@code [side][round]}: microseconds per call of {@code a} (side 0) and {@code b} (side 1), each sorted
     */
    public static double[][] run(int warmUpRounds, int rounds, int reps, LongSupplier clock, Runnable a, Runnable b) {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        if (reps < 1) throw new IllegalArgumentException("reps must be >= 1, got " + reps);
        for (int w = 0; w < warmUpRounds; w++) {
            time(a, reps, clock);
            time(b, reps, clock);
        }
        double[][] t = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                t[0][r] = time(a, reps, clock);
                t[1][r] = time(b, reps, clock);
            } else {
                t[1][r] = time(b, reps, clock);
                t[0][r] = time(a, reps, clock);
            }
        }
        Arrays.sort(t[0]);
        Arrays.sort(t[1]);
        return t;
    }

    /** @return microseconds per call over a block of {@code reps} calls */
    private static double time(Runnable call, int reps, LongSupplier clock) {
        long t0 = clock.getAsLong();
        for (int i = 0; i < reps; i++) call.run();
        return (clock.getAsLong() - t0) / 1e3 / reps;
    }
}
