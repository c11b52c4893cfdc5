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

    /**
     * The tiles of A by rows and A by columns on operands with no room around them (A's last element the array's
     * last, {@code lda} exactly its width, no offset): the kernels' loads of A, whose range C2 may check once per
     * loop, stay inside A and give the same bits.
     */
    @Test
    void tightOperandsGiveTheBitsOfTheFourRowKernels() {
        SplittableRandom rnd = new SplittableRandom(1103);
        int cases = 0;
        for (int m : new int[] {8, 16, 24}) {
            for (int n : new int[] {2 * L, 3 * L, 5 * L}) {
                for (int k : new int[] {1, 9, GemmKernel.KC, 2 * GemmKernel.KC + 3}) {
                    for (Transpose ta : Transpose.values()) {
                        for (double beta : new double[] {0.0, 1.0}) {
                            check(rnd, ta, Transpose.NO, m, n, k, (cases & 1) == 0 ? 1.0 : 0.5, beta, 0, 0);
                            cases++;
                        }
                    }
                }
            }
        }
        assertTrue(cases >= 144, "cases " + cases);
    }

    private static void check(SplittableRandom rnd, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                              double beta) {
        check(rnd, ta, tb, m, n, k, alpha, beta, 1, 2);
    }

    /** The product against its cuts into calls of at most four rows; {@code pad} more than the width between rows. */
    private static void check(SplittableRandom rnd, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                              double beta, int pad, int aOff) {
        String what = ta + "" + tb + " " + m + "×" + n + "×" + k + " α " + alpha + " β " + beta + " pad " + pad;
        int lda = (ta == Transpose.NO ? k : m) + pad, ldb = (tb == Transpose.NO ? n : k) + 2, ldc = n + 3;
        int bOff = 1, cOff = 3;
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
