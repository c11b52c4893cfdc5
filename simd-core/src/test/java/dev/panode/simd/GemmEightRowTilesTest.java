package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eight-row tiles of {@link GemmKernel}'s column panels (512-bit vectors: {@link GemmKernel#WIDE_TILES}) against
 * the same product cut into calls of at most four rows, which run the four-row and one-row kernels only: bit for bit
 * (zero signs included), every transpose combination (A by rows or by columns, B copied or packed), α of 1 and not,
 * β of 0 (C full of NaN, which must not be read), 1 and 0.5, row counts with and without four-row groups and single
 * rows after the eight-row tiles, panels of three, two and one vectors and a partial vector, k from one to past a k
 * block ({@link GemmKernel#KC}). Without 512-bit vectors both sides run the same kernels and the test still holds.
 */
class GemmEightRowTilesTest {
    private static final int L = Simd.LANES;

    @Test
    void eightRowTilesGiveTheBitsOfTheFourRowKernels() {
        SplittableRandom rnd = new SplittableRandom(871);
        int cases = 0;
        for (int m : new int[] {8, 9, 12, 13, 16, 23, 40}) {
            for (int n : new int[] {L, 2 * L, 3 * L, 4 * L + 3, 5 * L, 8 * L + 1}) {
                for (int k : new int[] {1, 2, 37, GemmKernel.KC + 5}) {
                    for (Transpose ta : Transpose.values()) {
                        for (Transpose tb : Transpose.values()) {
                            double alpha = (cases & 1) == 0 ? 1.0 : -0.75;
                            for (double beta : new double[] {0.0, 1.0, 0.5}) {
                                check(rnd, ta, tb, m, n, k, alpha, beta);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(cases > 2000, "cases " + cases);
    }

    private static void check(SplittableRandom rnd, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                              double beta) {
        String what = ta + "" + tb + " " + m + "×" + n + "×" + k + " α " + alpha + " β " + beta;
        int lda = (ta == Transpose.NO ? k : m) + 1, ldb = (tb == Transpose.NO ? n : k) + 2, ldc = n + 3;
        int aOff = 2, bOff = 1, cOff = 3;
        double[] a = TestData.uniform(rnd, aOff + (ta == Transpose.NO ? m : k) * lda, 1.5);
        double[] b = TestData.uniform(rnd, bOff + (tb == Transpose.NO ? k : n) * ldb, 1.5);
        a[aOff] = -0.0;
        double[] want = new double[cOff + m * ldc + 1];
        if (beta == 0.0) Arrays.fill(want, Double.NaN);
        else for (int i = 0; i < want.length; i++) want[i] = rnd.nextDouble(-1, 1);
        double[] got = want.clone();
        GemmKernel.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc);
        for (int i0 = 0; i0 < m; i0 += 4) {
            int rows = Math.min(4, m - i0);
            int ai = aOff + (ta == Transpose.NO ? i0 * lda : i0);
            GemmKernel.dgemm(ta, tb, rows, n, k, alpha, a, ai, lda, b, bOff, ldb, beta, want, cOff + i0 * ldc, ldc);
        }
        for (int i = 0; i < want.length; i++) {
            assertTrue(Double.doubleToRawLongBits(want[i]) == Double.doubleToRawLongBits(got[i]),
                    what + ": element " + i + " expected " + want[i] + ", got " + got[i]);
        }
    }
}
