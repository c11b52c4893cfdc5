package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StateKernelsTest {

    /** Every length through four vectors and a tail, at three destination offsets, with ±0, NaN and ±∞ among the values. */
    @Test
    void moveNegatedIsTheScalarTwinBitForBit() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        for (int n = 0; n <= TestData.MAX_LENGTH + 2 * TestData.LANES; n++) {
            for (int off : new int[] {0, 1, 4}) {
                double[] src = TestData.uniform(rnd, n, 3.0);
                for (int i = 0; i < n; i += 3) src[i] = special[(i / 3) % special.length];
                double[] src2 = src.clone();
                double[] got = TestData.uniform(rnd, n + off + 2, 1.0);
                double[] want = got.clone();
                StateKernels.moveNegated(src, got, off, n);
                StateKernels.moveNegatedScalar(src2, want, off, n);
                assertEquals(0, java.util.Arrays.compare(bits(want), bits(got)), "n=" + n + " off=" + off);
                assertArrayEquals(new double[n], src, "n=" + n + ": src cleared");
                assertEquals(0, java.util.Arrays.compare(bits(src2), bits(src)), "n=" + n + ": +0 everywhere");
            }
        }
    }

    @Test
    void allFiniteFindsOneNonFiniteElementAnywhere() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int off : new int[] {0, 3}) {
            for (int n = 0; n <= TestData.MAX_LENGTH + 2 * TestData.LANES; n++) {
                double[] v = TestData.uniform(rnd, off + n + 3, 1e300);
                if (off > 0) v[off - 1] = Double.NaN; // before off: not read
                v[off + n] = Double.NaN; // past n: not read
                assertEquals(true, StateKernels.allFinite(v, off, n), "off=" + off + " n=" + n);
                for (int pos = off; pos < off + n; pos++) {
                    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                        double keep = v[pos];
                        v[pos] = bad;
                        assertEquals(false, StateKernels.allFinite(v, off, n), "off=" + off + " n=" + n + " pos=" + pos
                                + " " + bad);
                        assertEquals(StateKernels.allFiniteScalar(v, off, n), StateKernels.allFinite(v, off, n));
                        v[pos] = keep;
                    }
                }
            }
        }
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
        return b;
    }
}
