package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;

import dev.panode.blas.Transpose;

/**
 * {@code C = A·B}, then {@code C ⊙= 1 − T ⊙ T} and {@code s += Σ_rows C}, with the last two done on each tile of C
 * right after the Java GEMM's last k block has stored it, while the tile is in L1: a dense layer's input gradient
 * {@code X̄ = Ū·W} followed by the tanh derivative of the layer below ({@code T} its output) and that layer's bias
 * gradient, which {@link ActivationKernel#derivativeTimesColumnSums} would otherwise run as one more pass over the
 * whole of C and T after the product (docs/BENCHMARKS.md §100).
 *
 * <p><b>Results.</b> Bit for bit those of {@link GemmKernel#dgemm} (A and B not transposed, α = 1, β = 0) and then
 * {@link ActivationKernel#derivativeTimesColumnSums} for tanh: the same k blocks with the same kernels on the same
 * groups of rows ({@link GemmKernel#columnPanel} and {@link GemmKernel#maskedPanel} called on eight rows at a time,
 * which they take as they would inside a taller call), then {@link ActivationKernel#tanhSlopeColumnSumsTile} on the
 * tile; each column's tiles come from the top row down, so its sum adds the rows in order.
 *
 * <p>Cost: the GEMM's {@code m·n·k} multiply–adds and one read of T; C is written once by the kernels and updated
 * in L1. For the broadcast form of the GEMM only ({@code n ≥} one vector, where {@link GemmKernel#dgemm} takes its
 * dot form for a narrower C); unchecked; nothing allocated after the per-thread panel has grown.
 */
final class TanhSlopeGemm {
    /** Rows of C per tile: one eight-row tile of the wide kernels, two of the four-row ones. */
    private static final int TILE_ROWS = 2 * GemmKernel.MR;

    private TanhSlopeGemm() {}

    /**
     * {@code C = A·B} ({@code m × n ← k}, all row-major), then {@code C ⊙= 1 − T ⊙ T} ({@code T} m × n from
     * {@code tOff}, rows {@code ldt} apart) and {@code sums[sOff + j] += Σ_i C[i][j]}. Needs {@code n ≥ LANES}.
     */
    static void product(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                        double[] c, int cOff, int ldc, double[] t, int tOff, int ldt, double[] sums, int sOff) {
        int kc = GemmKernel.broadcastDepth(Transpose.NO, m, n, k);
        double[] src = b;
        int base = 0, ld = ldb;
        boolean packed = !GemmKernel.readsBInPlace(Transpose.NO, m, n, k);
        if (packed) {
            // as GemmKernel's broadcast form: each k block of B copied into the per-thread panel
            ld = (n + LANES - 1) / LANES * LANES;
            GemmKernel.Panel ws = GemmKernel.PANEL.get();
            src = ws.reserve(Math.min(kc, k) * ld);
            base = (long) m * n * k >= GemmKernel.ALIGN_MIN_WORK ? ws.alignedStart() : 0;
        }
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            int bj = base;
            if (packed) GemmKernel.copyRows(b, bOff + p0 * ldb, ldb, kb, n, src, base, ld);
            else bj = bOff + p0 * ldb;
            double beta = p0 == 0 ? 0.0 : 1.0;
            if (p0 + kb < k) {
                GemmKernel.block(m, n, kb, 1.0, a, aOff + p0, lda, 1, src, bj, ld, beta, c, cOff, ldc);
            } else {
                lastBlock(m, n, kb, a, aOff + p0, lda, src, bj, ld, beta, c, cOff, ldc, t, tOff, ldt, sums, sOff);
            }
        }
    }

    /** {@link GemmKernel#block}'s loops, the rows of each column panel in tiles, each followed by its epilogue. */
    private static void lastBlock(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bj, int ldb,
                                  double beta, double[] c, int cOff, int ldc, double[] t, int tOff, int ldt,
                                  double[] sums, int sOff) {
        for (int i0 = 0; i0 < m; i0 += GemmKernel.MC) {
            int i1 = Math.min(m, i0 + GemmKernel.MC);
            int j = 0;
            while (j + LANES <= n) {
                int w = GemmKernel.panelWidth((n - j) / LANES);
                for (int i = i0; i < i1; i += TILE_ROWS) {
                    int e = Math.min(i1, i + TILE_ROWS);
                    GemmKernel.columnPanel(w, i, e, k, 1.0, a, aOff, lda, 1, b, bj + j, ldb, beta, c, cOff + j, ldc);
                    ActivationKernel.tanhSlopeColumnSumsTile(t, tOff + i * ldt + j, ldt, c, cOff + i * ldc + j, ldc,
                            e - i, w * LANES, sums, sOff + j);
                }
                j += w * LANES;
            }
            if (j < n) {
                for (int i = i0; i < i1; i += TILE_ROWS) {
                    int e = Math.min(i1, i + TILE_ROWS);
                    GemmKernel.maskedPanel(i, e, k, 1.0, a, aOff, lda, 1, b, bj + j, ldb, beta, c, cOff + j, ldc,
                            n - j);
                    ActivationKernel.tanhSlopeColumnSumsTile(t, tOff + i * ldt + j, ldt, c, cOff + i * ldc + j, ldc,
                            e - i, n - j, sums, sOff + j);
                }
            }
        }
    }
}
