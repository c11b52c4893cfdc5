package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmKernel}'s micro-panels (with 512-bit vectors, {@link GemmKernel#WIDE_TILES}, every packed k block of
 * {@code op(B)} is laid out one column panel after another, rows {@code w·LANES} apart, and the eight-row tiles read B
 * with that stride fixed) against the same k blocks run by {@link GemmKernel#block} on {@code op(B)} row-major, the
 * kernels with B's stride a variable: bit for bit (zero signs included), every transpose combination, α of 1 and not,
 * β of 0 (C full of NaN, never read), 1 and 0.5, every sequence of panel widths (three, two and one vectors and a
 * partial vector), rows with and without eight-row tiles, and k within one block and across several. Also
 * {@link GemmKernel#onMicroPanels} on {@link GemmKernel#packMicroPanelsWhole}'s panel against
 * {@link GemmKernel#onPanel} on {@link GemmKernel#packTransposed}'s. Without 512-bit vectors the products take the
 * row-major panel and the test still holds.
 */
class GemmMicroPanelTest {
    private static final int L = Simd.LANES;
    private static final int[] WIDTHS = {L, 2 * L, 3 * L, 4 * L, 5 * L, 6 * L + 1, 7 * L + 3, 8 * L, 11 * L + 5, 32 * L};

    @Test
    void packedProductsGiveTheBitsOfTheRowMajorPanel() {
        SplittableRandom rnd = new SplittableRandom(4421);
        int cases = 0;
        for (int m : new int[] {8, 13, 24, 37}) {
            for (int n : WIDTHS) {
                for (int k : new int[] {1, 70, GemmKernel.KC + 5, 300}) {
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
        assertTrue(cases >= 1900, "cases " + cases);
    }

    @Test
    void microPanelsOfAWholeBtGiveTheBitsOfOnPanel() {
        SplittableRandom rnd = new SplittableRandom(977);
        int cases = 0;
        for (int m : new int[] {8, 21, 40}) {
            for (int n : WIDTHS) {
                for (int k : new int[] {3, GemmKernel.KC, 2 * GemmKernel.KC + 7}) {
                    int ldp = (n + L - 1) / L * L, ldb = k + 1;
                    double[] a = TestData.uniform(rnd, m * k, 1.5);
                    double[] b = TestData.uniform(rnd, n * ldb, 1.5);
                    double[] rowMajor = new double[k * ldp + 5], micro = new double[k * ldp + 5];
                    GemmKernel.packTransposed(b, 0, ldb, k, n, rowMajor, 5, ldp);
                    GemmKernel.packMicroPanelsWhole(b, 0, ldb, k, n, micro, 5);
                    double[] want = new double[m * n];
                    Arrays.fill(want, Double.NaN);
                    double[] got = want.clone();
                    GemmKernel.onPanel(m, n, k, 1.0, a, 0, k, rowMajor, 5, ldp, 0.0, want, 0, n);
                    GemmKernel.onMicroPanels(m, n, k, 1.0, a, 0, k, micro, 5, 0.0, got, 0, n);
                    assertSameBits(want, got, "onMicroPanels " + m + "×" + n + "×" + k);
                    cases++;
                }
            }
        }
        assertTrue(cases == 90, "cases " + cases);
    }

    /** {@link GemmKernel#dgemm} against {@link GemmKernel#block} on a row-major {@code op(B)}, in the same k blocks. */
    private static void check(SplittableRandom rnd, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                              double beta) {
        String what = ta + "" + tb + " " + m + "×" + n + "×" + k + " α " + alpha + " β " + beta;
        int lda = (ta == Transpose.NO ? k : m) + 1, ldb = (tb == Transpose.NO ? n : k) + 2, ldc = n + 3;
        int aOff = 2, bOff = 1, cOff = 3;
        double[] a = TestData.uniform(rnd, aOff + (ta == Transpose.NO ? m : k) * lda, 1.5);
        double[] b = TestData.uniform(rnd, bOff + (tb == Transpose.NO ? k : n) * ldb, 1.5);
        a[aOff] = -0.0;
        double[] opB = new double[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) opB[p * n + j] = tb == Transpose.NO ? b[bOff + p * ldb + j] : b[bOff + j * ldb + p];
        }
        double[] want = new double[cOff + m * ldc + 1];
        if (beta == 0.0) Arrays.fill(want, Double.NaN);
        else for (int i = 0; i < want.length; i++) want[i] = rnd.nextDouble(-1, 1);
        double[] got = want.clone();
        GemmKernel.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc);
        int ars = ta == Transpose.NO ? lda : 1, acs = ta == Transpose.NO ? 1 : lda;
        int kc = GemmKernel.broadcastDepth(tb, m, n, k);
        for (int p0 = 0; p0 < k; p0 += kc) {
            GemmKernel.block(m, n, Math.min(kc, k - p0), alpha, a, aOff + p0 * acs, ars, acs, opB, p0 * n, n,
                    p0 == 0 ? beta : 1.0, want, cOff, ldc);
        }
        assertSameBits(want, got, what);
    }

    private static void assertSameBits(double[] want, double[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertTrue(Double.doubleToRawLongBits(want[i]) == Double.doubleToRawLongBits(got[i]),
                    what + ": element " + i + " expected " + want[i] + ", got " + got[i]);
        }
    }
}
