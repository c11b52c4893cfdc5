package dev.panode.bench.simd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The statistics of a paired measurement of two or more contestants ({@link GemmDuetBench}: three GEMM backends;
 * {@code MlpDuetBenchmark}: the MLP and its hand-fused baseline): the median time of each over the rounds, the ratio
 * {@code last / min(the others)} of the medians, and a percentile-bootstrap 95% interval of that
 * ratio (Efron &amp; Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13) in which whole rounds are resampled,
 * so that the pairing of the times within a round is kept.
 *
 * @param medians    median of each backend, in the unit of the samples divided by 1,000 (ns → µs)
 * @param ratio      {@code medians[last] / min(the other medians)}
 * @param ratioLow   2.5th percentile of the bootstrapped ratio
 * @param ratioHigh  97.5th percentile of the bootstrapped ratio
 */
public record DuetSummary(double[] medians, double ratio, double ratioLow, double ratioHigh) {

    /** System property: a file to which each duet trial appends its summary as one JSON line. */
    public static final String OUT_PROPERTY = "panode.duet.out";

    /**
     * Prints a trial's summary ({@code duet JSON}) and appends the JSON line to the file named by
     * {@value #OUT_PROPERTY}, when that is set.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void publish(String json) {
        System.out.println("duet " + json);
        String out = System.getProperty(OUT_PROPERTY);
        if (out == null || out.isBlank()) return;
        try {
            Files.writeString(Path.of(out), json + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the duet summary to " + out, e);
        }
    }

    /** @return the median of contestant {@code i}, µs per call */
    public double medianMicros(int i) {
        return medians[i];
    }

    /**
     * @param nanos      {@code nanos[contestant][round]} for two or more contestants, ns per call
     * @param rounds     how many rounds of each row are filled, ≥ 1
     * @param resamples  bootstrap resamples, ≥ 1
     * @throws IllegalArgumentException when there are fewer than two rows, no rounds, or fewer samples than rounds
     */
    public static DuetSummary of(double[][] nanos, int rounds, int resamples, SplittableRandom random) {
        if (nanos.length < 2) throw new IllegalArgumentException("nanos must have >= 2 rows, got " + nanos.length);
        if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        if (resamples < 1) throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        for (double[] row : nanos) {
            if (row.length < rounds) {
                throw new IllegalArgumentException("each row needs " + rounds + " samples, got " + row.length);
            }
        }
        int k = nanos.length;
        double[] medians = new double[k];
        double[] scratch = new double[rounds];
        for (int i = 0; i < k; i++) {
            System.arraycopy(nanos[i], 0, scratch, 0, rounds);
            medians[i] = median(scratch, rounds) / 1_000;
        }
        double[] ratios = new double[resamples];
        int[] pick = new int[rounds];
        double[] m = new double[k];
        for (int r = 0; r < resamples; r++) {
            for (int j = 0; j < rounds; j++) pick[j] = random.nextInt(rounds);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < rounds; j++) scratch[j] = nanos[i][pick[j]];
                m[i] = median(scratch, rounds);
            }
            ratios[r] = lastOverBestOther(m);
        }
        Arrays.sort(ratios);
        return new DuetSummary(medians, lastOverBestOther(medians),
                ratios[(int) Math.floor(0.025 * (resamples - 1))], ratios[(int) Math.ceil(0.975 * (resamples - 1))]);
    }

    private static double lastOverBestOther(double[] m) {
        double best = m[0];
        for (int i = 1; i < m.length - 1; i++) best = Math.min(best, m[i]);
        return m[m.length - 1] / best;
    }

    /** The median of {@code x[0, n)} (mean of the two middle values when n is even); reorders x. */
    static double median(double[] x, int n) {
        int h = n / 2;
        double upper = select(x, n, h);
        if (n % 2 == 1) return upper;
        double lower = x[0];
        for (int i = 1; i < h; i++) lower = Math.max(lower, x[i]); // after select, x[0, h) holds the h smallest
        return 0.5 * (lower + upper);
    }

    /** Hoare's quickselect: the {@code k}-th smallest of {@code x[0, n)}, with the smaller values left of it. */
    private static double select(double[] x, int n, int k) {
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            double pivot = x[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (x[i] < pivot) i++;
                while (x[j] > pivot) j--;
                if (i <= j) {
                    double t = x[i];
                    x[i++] = x[j];
                    x[j--] = t;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else break;
        }
        return x[k];
    }
}
