package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmKernel#onPanel} (the broadcast form's k blocks on a {@code Bᵀ} the caller packed whole) against
 * {@link GemmKernel#dgemm} of the same {@code A·Bᵀ}, which packs each k block into its own panel: bit for bit, zero
 * signs included, for k within one block, at a block's end and over several blocks of every depth the panel's width
 * gives ({@link GemmKernel#panelDepth}), outputs of whole and partial vectors, row counts around the four- and
 * eight-row tiles, α of 1 and not, β of 0 (C full of NaN, which must not be read), 1 and 0.5, and the packed panel at
 * an offset, with NaN in its padding (which must never reach C).
 */
class GemmOnPanelTest {
    private static final int L = Simd.LANES;

    @Test
    void givesTheBitsOfTheGemmThatPacksEachBlock() {
        SplittableRandom rnd = new SplittableRandom(211);
        int cases = 0;
        for (int n : new int[] {L, L + 1, 3 * L, 3 * L + 2, 32, 4 * L + 3, 256}) {
            int depth = GemmKernel.panelDepth((n + L - 1) / L * L);
            for (int k : new int[] {1, 7, depth, depth + 1, 2 * depth + 3, 300}) {
                for (int m : new int[] {1, 3, 4, 8, 9, 13, 16, 33}) {
                    for (double[] ab : new double[][] {{1.0, 0.0}, {-0.75, 0.0}, {1.0, 1.0}, {1.0, 0.5}}) {
                        check(rnd, m, n, k, ab[0], ab[1]);
                        cases++;
                    }
                }
            }
        }
        assertTrue(cases > 1000, "cases " + cases);
    }

    private static void check(SplittableRandom rnd, int m, int n, int k, double alpha, double beta) {
        String what = m + "×" + n + "×" + k + " α " + alpha + " β " + beta;
        int lda = k + 2, ldb = k + 1, ldp = (n + L - 1) / L * L, base = 5;
        double[] a = TestData.uniform(rnd, 3 + m * lda, 1.5);
        double[] b = TestData.uniform(rnd, 1 + n * ldb, 1.0);
        a[3] = -0.0;
        b[1] = -0.0;
        double[] panel = new double[base + k * ldp + L];
        Arrays.fill(panel, Double.NaN);
        GemmKernel.packTransposed(b, 1, ldb, k, n, panel, base, ldp);
        double[] want = new double[2 + m * (n + 1)];
        if (beta == 0.0) Arrays.fill(want, Double.NaN);
        else for (int i = 0; i < want.length; i++) want[i] = rnd.nextDouble(-1, 1);
        double[] got = want.clone();
        GemmKernel.dgemm(Transpose.NO, Transpose.YES, m, n, k, alpha, a, 3, lda, b, 1, ldb, beta, want, 1, n + 1);
        GemmKernel.onPanel(m, n, k, alpha, a, 3, lda, panel, base, ldp, beta, got, 1, n + 1);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), what + " at " + i);
        }
    }
}
