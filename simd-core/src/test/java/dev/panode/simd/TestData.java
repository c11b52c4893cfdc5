package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
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

    /** A pass over an array: {@code out[outOff+j] = f(u[uOff+j])} for {@code j < n}. */
    interface Pass {
        void run(double[] u, int uOff, double[] out, int outOff, int n);
    }

    /** A further check on the input of one {@link #assertShiftedPassEqualsTwin} case. */
    interface CaseCheck {
        void run(double[] u, int off, int n);
    }

    /**
     * Every length up to {@link #MAX_LENGTH} and offsets 0 to 2, the output one element past the input: the pass gives
     * the twin's bits (the masked last vector too) and writes nothing outside. {@code also} then checks the same input.
     */
    static void assertShiftedPassEqualsTwin(SplittableRandom rnd, double scale, Pass pass, DoubleUnaryOperator twin,
                                            CaseCheck also) {
        for (int n = 0; n <= MAX_LENGTH; n++) {
            for (int off = 0; off < 3; off++) {
                double[] u = uniform(rnd, n + 2 * off + 1, scale);
                double[] out = new double[u.length];
                java.util.Arrays.fill(out, 7.0);
                pass.run(u, off, out, off + 1, n);
                for (int i = 0; i < out.length; i++) {
                    double want = i > off && i <= off + n ? twin.applyAsDouble(u[i - 1]) : 7.0;
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(out[i]),
                            "n=" + n + " i=" + i);
                }
                also.run(u, off, n);
            }
        }
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
