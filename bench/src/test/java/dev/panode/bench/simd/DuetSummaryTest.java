package dev.panode.bench.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DuetSummaryTest {

    @Test
    void medianEqualsTheSortedOracleForOddEvenAndTiedSamples() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int n = 1; n <= 60; n++) {
            for (int trial = 0; trial < 20; trial++) {
                double[] x = new double[n];
                for (int i = 0; i < n; i++) x[i] = trial % 2 == 0 ? rnd.nextDouble() : rnd.nextInt(4);
                double[] sorted = x.clone();
                Arrays.sort(sorted);
                double expected = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
                assertEquals(expected, DuetSummary.median(x, n), 0.0, "n = " + n);
            }
        }
    }

    @Test
    void ratioIsTheDispatcherMedianOverTheFasterBackendAndItsIntervalCoversTheTruth() {
        SplittableRandom rnd = new SplittableRandom(2);
        int rounds = 4_000;
        double[][] nanos = new double[3][rounds];
        for (int r = 0; r < rounds; r++) {
            double slowPhase = r % 10 == 0 ? 1.6 : 1.0; // shared noise: every tenth round is slow for all three
            nanos[0][r] = 1_000 * slowPhase * (1 + 0.05 * rnd.nextGaussian());
            nanos[1][r] = 1_300 * slowPhase * (1 + 0.05 * rnd.nextGaussian());
            nanos[2][r] = 1_030 * slowPhase * (1 + 0.05 * rnd.nextGaussian());
        }
        DuetSummary s = DuetSummary.of(nanos, rounds, 500, new SplittableRandom(3));
        assertEquals(1.0, s.medianMicros(0), 0.01);
        assertEquals(1.3, s.medianMicros(1), 0.01);
        assertEquals(1.03, s.medianMicros(2), 0.01);
        assertEquals(s.medianMicros(2) / s.medianMicros(0), s.ratio(), 1e-12);
        assertTrue(s.ratioLow() <= 1.03 && 1.03 <= s.ratioHigh(), s.toString());
        assertTrue(s.ratioHigh() - s.ratioLow() < 0.02, "interval " + s.ratioLow() + " .. " + s.ratioHigh());
    }

    @Test
    void onlyTheFilledRoundsCount() {
        double[][] nanos = {{1_000, 1_000, 9e9}, {2_000, 2_000, 9e9}, {1_500, 1_500, 9e9}};
        DuetSummary s = DuetSummary.of(nanos, 2, 10, new SplittableRandom(4));
        assertEquals(1.5, s.ratio(), 1e-12);
        assertEquals(1.5, s.ratioLow(), 1e-12);
        assertEquals(1.5, s.ratioHigh(), 1e-12);
    }

    @Test
    void twoContestantsGiveTheSecondOverTheFirst() {
        double[][] nanos = {{1_000, 1_100, 900}, {1_020, 1_122, 918}};
        DuetSummary s = DuetSummary.of(nanos, 3, 50, new SplittableRandom(6));
        assertEquals(1.02, s.ratio(), 1e-12);
        assertTrue(s.ratioLow() >= 1.02 - 1e-12 && s.ratioHigh() <= 1.02 + 1e-12, s.toString());
    }

    @Test
    void badArgumentsAreNamed() {
        SplittableRandom rnd = new SplittableRandom(5);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DuetSummary.of(new double[1][4], 4, 10, rnd)).getMessage().contains(">= 2 rows, got 1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DuetSummary.of(new double[3][4], 0, 10, rnd)).getMessage().contains("rounds must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DuetSummary.of(new double[3][4], 5, 10, rnd)).getMessage().contains("needs 5 samples, got 4"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DuetSummary.of(new double[3][4], 4, 0, rnd)).getMessage().contains("resamples must be >= 1"));
    }
}
