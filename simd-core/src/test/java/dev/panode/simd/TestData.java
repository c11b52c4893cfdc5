package dev.panode.simd;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Seeded random data and the lengths every kernel suite runs: 0, 1, ..., four vector widths plus three. */
final class TestData {
    private TestData() {}

    static final int LANES = Simd.LANES;
    static final int MAX_LENGTH = 4 * LANES + 3;

    static IntStream lengths() {
        return IntStream.rangeClosed(0, MAX_LENGTH);
    }

    /** Uniform in [-scale, scale). */
    static double[] uniform(SplittableRandom rnd, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = scale * (2 * rnd.nextDouble() - 1);
        return x;
    }

    /** Uniform in [lo, hi). */
    static double[] uniform(SplittableRandom rnd, int n, double lo, double hi) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * rnd.nextDouble();
        return x;
    }

    /** Distance in units in the last place between two doubles of the same sign (0 when both are NaN). */
    static long ulps(double x, double y) {
        if (Double.isNaN(x) && Double.isNaN(y)) return 0;
        if (Double.isNaN(x) || Double.isNaN(y)) return Long.MAX_VALUE;
        if (x == y) return 0;
        long a = Double.doubleToLongBits(x);
        long b = Double.doubleToLongBits(y);
        if ((a ^ b) < 0) return Math.abs(a & Long.MAX_VALUE) + Math.abs(b & Long.MAX_VALUE);
        return Math.abs(a - b);
    }
}
