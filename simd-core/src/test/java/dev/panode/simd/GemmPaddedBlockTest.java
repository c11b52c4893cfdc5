package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmKernel#blockPadded} (the last three-vector column panel and the partial vector after it in one pass)
 * against {@link GemmKernel#block} on the same packed panel, bit for bit (zero signs included): outputs with and
 * without a partial vector after a three-vector panel, one to forty-five rows (blocks of four and the rows after
 * them; with 512-bit vectors, α = 1 and whole three-vector panels, the eight-row kernel and the four-row groups and
 * rows after it), k from one (odd and even, so both of the partial vector's chains) to past a few vectors, α of 1 and not; the
 * panel's padding full of NaN and infinities, which must never reach an output, and C full of NaN, which β = 0 must
 * not read.
 */
class GemmPaddedBlockTest {
    private static final int L = Simd.LANES;

    @Test
    void givesTheBitsOfTheBlockedKernelsWhateverThePaddingHolds() {
        SplittableRandom rnd = new SplittableRandom(107);
        int cases = 0;
        for (int n : new int[] {1, L - 1, L, 2 * L + 1, 3 * L, 3 * L + 1, 3 * L + L - 1, 4 * L + 2, 6 * L + 2, 50,
            9 * L + 3}) {
            for (int m : new int[] {1, 3, 4, 5, 8, 12, 16, 45}) {
                for (int k : new int[] {1, 2, 3, 50}) {
                    for (double alpha : new double[] {1.0, -0.75}) {
                        check(rnd, m, n, k, alpha);
                        cases++;
                    }
                }
            }
        }
        assertTrue(cases > 600, "cases " + cases);
    }

    private static void check(SplittableRandom rnd, int m, int n, int k, double alpha) {
        String what = m + "×" + n + "×" + k + " α " + alpha;
        int ldb = (n + L - 1) / L * L, bOff = 3;
        double[] panel = new double[bOff + k * ldb + L];
        for (int i = 0; i < panel.length; i++) {
            panel[i] = switch (i % 3) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                default -> Double.NEGATIVE_INFINITY;
            };
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) panel[bOff + p * ldb + j] = rnd.nextDouble(-1, 1);
        }
        double[] a = TestData.uniform(rnd, 2 + m * k, 1.5);
        a[2] = -0.0;
        double[] want = new double[1 + m * n + 1], got = new double[want.length];
        Arrays.fill(want, Double.NaN);
        Arrays.fill(got, Double.NaN);
        GemmKernel.block(m, n, k, alpha, a, 2, k, 1, panel, bOff, ldb, 0.0, want, 1, n);
        GemmKernel.blockPadded(m, n, k, alpha, a, 2, k, 1, panel, bOff, ldb, got, 1, n, new double[4 * L]);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Double.doubleToRawLongBits(want[i]) == Double.doubleToRawLongBits(got[i]),
                    what + ": element " + i + " expected " + want[i] + ", got " + got[i]);
        }
    }
}
