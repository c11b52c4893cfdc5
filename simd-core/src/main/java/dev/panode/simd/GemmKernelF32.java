package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import dev.panode.blas.Transpose;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The pure-Java single-precision GEMM: row-major {@code C = α·op(A)·op(B) + β·C} on {@code float[]}, all four
 * transpose combinations, the same arguments as {@link GemmF32#sgemm}. The float counterpart of {@link GemmKernel},
 * smaller: it is meant for the products of a small MLP, which is what {@link GemmF32} sends it.
 *
 * <p>C is first scaled by β (β = 0 writes zeros without reading C), then the micro-kernels add
 * {@code α·Σ_p op(A)[i][p]·op(B)[p][j]} into it: a block of 4 rows × 2 vectors of C (8 accumulators, 4 × 32 floats
 * with AVX-512) or 4 rows × 1 vector, loading one or two vectors of row {@code p} of {@code op(B)} and broadcasting
 * four elements of column {@code p} of {@code op(A)} (the broadcast form of Goto &amp; van de Geijn 2008); the last
 * partial vector of each row is masked; the last {@code m mod 4} rows go one at a time. k is cut into blocks of
 * {@value #KC} so that a {@code KC × 2} micro-panel of B stays in L1. {@code op(A)} is read by strides (no packing);
 * a transposed B is packed into a per-thread row-major panel. A C narrower than one vector and at least one tall with
 * {@code op(A) = Aᵀ} (an MLP's weight cotangent {@code Gᵀ·X} for a narrow layer) runs its vectors down C's columns,
 * along A's contiguous rows. A C narrower than one vector with k of at least one
 * vector (an output layer) is computed as dot products along k instead ({@link DotKernelF32}), their lanes added in
 * the halving tree.
 * Accumulation is in float, with one rounding per fused multiply-add. Cost: {@code m·n·k} FMAs plus one pass over C
 * for β, and for {@code op(B) = Bᵀ} one pass over B.
 *
 * <p>Unchecked: {@link GemmF32#sgemm} checks the arguments and chooses between this kernel and OpenBLAS's
 * {@code cblas_sgemm}. Unlike {@link GemmKernel} there is no row blocking and no cache-line placement of the panel,
 * so large products belong to OpenBLAS. Nothing is allocated after the first call on a thread (the packing panel
 * grows once).
 */
public final class GemmKernelF32 {
    private GemmKernelF32() {}

    /** Floats in the per-thread panel that holds a packed {@code op(B) = Bᵀ} (512 KiB). */
    static final int PACK_CAPACITY = 1 << 17;
    /** Depth of a k block: a {@code KC × 2} vector micro-panel of B is 16 KiB with AVX-512. */
    static final int KC = 128;
    static final int MR = 4;
    /**
     * Whether blocks of 8 rows × 2 vectors are used ({@link #kernel8x2}): with 32 vector registers (512-bit vectors);
     * with 16 (AVX2) its 19 live vectors would spill.
     */
    private static final boolean TALL_TILE = FLOAT_SPECIES.vectorBitSize() >= 512;
    private static final ThreadLocal<Panel> PANEL = ThreadLocal.withInitial(Panel::new);

    /** Per-thread space: the packed panel of B (grown once) and a scratch row for lane sums. */
    private static final class Panel {
        private float[] packed = new float[0];
        final float[] scratch = new float[DotKernelF32.SCRATCH]; // the dot products' sums and tails
        /** Copies of a masked tile's B ({@link #KC} rows) and C ({@link #MR} rows) at an array's end. */
        final float[] edge = new float[(KC + MR) * FLOAT_LANES];

        float[] reserve(int floats) {
            if (packed.length < floats) packed = new float[Math.max(floats, Math.min(PACK_CAPACITY, 2 * floats))];
            return packed;
        }
    }

    /** Unchecked {@code C = α·op(A)·op(B) + β·C}; see {@link GemmF32#sgemm} for the meaning of every argument. */
    public static void sgemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        scale(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0.0f) return;
        if (ta == Transpose.NO && n < FLOAT_LANES && k >= FLOAT_LANES) {
            dotForm(tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        if (ta == Transpose.YES && tb == Transpose.NO && n < FLOAT_LANES && m >= FLOAT_LANES) {
            columnForm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int ars = ta == Transpose.NO ? lda : 1;
        int acs = ta == Transpose.NO ? 1 : lda;
        if (tb == Transpose.NO) {
            for (int p0 = 0; p0 < k; p0 += KC) {
                block(m, n, Math.min(KC, k - p0), alpha, a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb, ldb,
                        c, cOff, ldc);
            }
            return;
        }
        int kc = Math.max(1, Math.min(KC, PACK_CAPACITY / n));
        float[] panel = PANEL.get().reserve(Math.min(kc, k) * n);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            packTransposed(b, bOff + p0, ldb, kb, n, panel, n);
            block(m, n, kb, alpha, a, aOff + p0 * acs, ars, acs, panel, 0, n, c, cOff, ldc);
        }
    }

    /**
     * {@code panel[p·ldp + j] = b[src + j·ldb + p]} for {@code p < kb, j < n}: four columns of the panel per pass, so
     * that the reads are four sequential streams and the writes four adjacent floats.
     */
    static void packTransposed(float[] b, int src, int ldb, int kb, int n, float[] panel, int ldp) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int s0 = src + j * ldb, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
            for (int p = 0, d = j; p < kb; p++, d += ldp) {
                panel[d] = b[s0 + p];
                panel[d + 1] = b[s1 + p];
                panel[d + 2] = b[s2 + p];
                panel[d + 3] = b[s3 + p];
            }
        }
        for (; j < n; j++) {
            int s = src + j * ldb;
            for (int p = 0, d = j; p < kb; p++, d += ldp) panel[d] = b[s + p];
        }
    }

    /** {@code C += α·op(A)·B} for one k block, {@code op(A)[i][p] = a[aOff + i·ars + p·acs]}, B row-major. */
    static void block(int m, int n, int k, float alpha, float[] a, int aOff, int ars, int acs,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int i = 0;
        if (TALL_TILE) {
            for (; i + 2 * MR <= m; i += 2 * MR) {
                int ai = aOff + i * ars, ci = cOff + i * ldc;
                int j = 0;
                for (; j + 2 * FLOAT_LANES <= n; j += 2 * FLOAT_LANES) {
                    kernel8x2(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc);
                }
                for (; j < n; j += FLOAT_LANES) {
                    int width = Math.min(FLOAT_LANES, n - j);
                    tile4x1(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc, width);
                    tile4x1(k, alpha, a, ai + MR * ars, ars, acs, b, bOff + j, ldb, c, ci + MR * ldc + j, ldc, width);
                }
            }
        }
        for (; i + MR <= m; i += MR) {
            int ai = aOff + i * ars, ci = cOff + i * ldc;
            int j = 0;
            for (; j + 2 * FLOAT_LANES <= n; j += 2 * FLOAT_LANES) {
                kernel4x2(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc);
            }
            for (; j < n; j += FLOAT_LANES) {
                tile4x1(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc, Math.min(FLOAT_LANES, n - j));
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * ars, ci = cOff + i * ldc;
            for (int j = 0; j < n; j += FLOAT_LANES) {
                int width = Math.min(FLOAT_LANES, n - j);
                if (maskedAtArrayEnd(k, b, bOff + j, ldb, 1, c, ci + j, 0)) {
                    maskedAtArrayEnd(k, alpha, a, ai, 0, acs, b, bOff + j, ldb, c, ci + j, 0, width, 1);
                } else {
                    kernel1x1(k, alpha, a, ai, acs, b, bOff + j, ldb, c, ci + j, width);
                }
            }
        }
    }

    /** {@link #kernel4x1}, or its tile on copies when a vector of it would reach past the end of b or c. */
    private static void tile4x1(int k, float alpha, float[] a, int ai, int ars, int acs,
                                float[] b, int bj, int ldb, float[] c, int ci, int ldc, int width) {
        if (maskedAtArrayEnd(k, b, bj, ldb, MR, c, ci, ldc)) {
            maskedAtArrayEnd(k, alpha, a, ai, ars, acs, b, bj, ldb, c, ci, ldc, width, MR);
        } else {
            kernel4x1(k, alpha, a, ai, ars, acs, b, bj, ldb, c, ci, ldc, width);
        }
    }

    /**
     * 8 rows × 2 vectors of C: 16 accumulators, 10 loads per 16 FMAs (4 × 2 has 8 accumulators, at the edge of
     * hiding the FMA latency on two FMA ports). Every element is the same chain as in {@link #kernel4x2}, so the bits do
     * not depend on the tile.
     */
    private static void kernel8x2(int k, float alpha, float[] a, int ai, int ars, int acs,
                                  float[] b, int bj, int ldb, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(FLOAT_SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb, ap = ai + p * acs;
            FloatVector b0 = FloatVector.fromArray(FLOAT_SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(FLOAT_SPECIES, b, bp + FLOAT_LANES);
            FloatVector a0 = FloatVector.broadcast(FLOAT_SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 4 * ars]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 5 * ars]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 6 * ars]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 7 * ars]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        FloatVector av = FloatVector.broadcast(FLOAT_SPECIES, alpha);
        int l = FLOAT_LANES;
        c00.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci)).intoArray(c, ci);
        c01.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + l)).intoArray(c, ci + l);
        c10.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + ldc)).intoArray(c, ci + ldc);
        c11.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + ldc + l)).intoArray(c, ci + ldc + l);
        c20.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
        c21.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 2 * ldc + l)).intoArray(c, ci + 2 * ldc + l);
        c30.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
        c31.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 3 * ldc + l)).intoArray(c, ci + 3 * ldc + l);
        c40.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
        c41.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 4 * ldc + l)).intoArray(c, ci + 4 * ldc + l);
        c50.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
        c51.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 5 * ldc + l)).intoArray(c, ci + 5 * ldc + l);
        c60.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 6 * ldc)).intoArray(c, ci + 6 * ldc);
        c61.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 6 * ldc + l)).intoArray(c, ci + 6 * ldc + l);
        c70.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 7 * ldc)).intoArray(c, ci + 7 * ldc);
        c71.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 7 * ldc + l)).intoArray(c, ci + 7 * ldc + l);
    }

    private static void kernel4x2(int k, float alpha, float[] a, int ai, int ars, int acs,
                                  float[] b, int bj, int ldb, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(FLOAT_SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb, ap = ai + p * acs;
            FloatVector b0 = FloatVector.fromArray(FLOAT_SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(FLOAT_SPECIES, b, bp + FLOAT_LANES);
            FloatVector a0 = FloatVector.broadcast(FLOAT_SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        // stored here, not through a helper: a vector passed to a method that is not inlined is boxed
        FloatVector av = FloatVector.broadcast(FLOAT_SPECIES, alpha);
        c00.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci)).intoArray(c, ci);
        c01.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + FLOAT_LANES)).intoArray(c, ci + FLOAT_LANES);
        c10.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + ldc)).intoArray(c, ci + ldc);
        c11.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + ldc + FLOAT_LANES)).intoArray(c, ci + ldc + FLOAT_LANES);
        c20.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
        c21.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 2 * ldc + FLOAT_LANES)).intoArray(c, ci + 2 * ldc + FLOAT_LANES);
        c30.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
        c31.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 3 * ldc + FLOAT_LANES)).intoArray(c, ci + 3 * ldc + FLOAT_LANES);
    }

    private static void kernel4x1(int k, float alpha, float[] a, int ai, int ars, int acs,
                                  float[] b, int bj, int ldb, float[] c, int ci, int ldc, int width) {
        VectorMask<Float> mask = FLOAT_SPECIES.indexInRange(0, width); // made here: a mask passed in is boxed
        FloatVector c0 = FloatVector.zero(FLOAT_SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(FLOAT_SPECIES, b, bj + p * ldb, mask);
            int ap = ai + p * acs;
            c0 = FloatVector.broadcast(FLOAT_SPECIES, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(FLOAT_SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        FloatVector av = FloatVector.broadcast(FLOAT_SPECIES, alpha);
        c0.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci, mask)).intoArray(c, ci, mask);
        c1.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + ldc, mask)).intoArray(c, ci + ldc, mask);
        c2.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 2 * ldc, mask)).intoArray(c, ci + 2 * ldc, mask);
        c3.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci + 3 * ldc, mask)).intoArray(c, ci + 3 * ldc, mask);
    }

    private static void kernel1x1(int k, float alpha, float[] a, int ai, int acs,
                                  float[] b, int bj, int ldb, float[] c, int ci, int width) {
        VectorMask<Float> mask = FLOAT_SPECIES.indexInRange(0, width);
        FloatVector c0 = FloatVector.zero(FLOAT_SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = FloatVector.broadcast(FLOAT_SPECIES, a[ai + p * acs])
                    .fma(FloatVector.fromArray(FLOAT_SPECIES, b, bj + p * ldb, mask), c0);
        }
        FloatVector av = FloatVector.broadcast(FLOAT_SPECIES, alpha);
        c0.fma(av, FloatVector.fromArray(FLOAT_SPECIES, c, ci, mask)).intoArray(c, ci, mask);
    }

    /**
     * Whether a masked tile ({@code rows} rows of C from {@code ci}, k rows of B from {@code bj}) would load or store
     * a vector that reaches past the end of b or c (see {@link Simd#pastEnd}); such a tile runs on copies instead.
     */
    private static boolean maskedAtArrayEnd(int k, float[] b, int bj, int ldb, int rows, float[] c, int ci, int ldc) {
        return bj + (k - 1) * ldb + FLOAT_LANES > b.length || ci + (rows - 1) * ldc + FLOAT_LANES > c.length;
    }

    /**
     * A masked tile of {@code rows} (4 or 1) rows whose vectors would reach past the end of b or c, computed by the
     * same kernel on copies of its part of B (when b is the short one) and C, one vector apart in the per-thread
     * scratch, then C copied back: the same operations on the same lanes, so the same bits, with every masked access
     * inside an array.
     */
    private static void maskedAtArrayEnd(int k, float alpha, float[] a, int ai, int ars, int acs, float[] b, int bj,
                                         int ldb, float[] c, int ci, int ldc, int width, int rows) {
        float[] e = PANEL.get().edge;
        int ce = KC * FLOAT_LANES;
        if (bj + (k - 1) * ldb + FLOAT_LANES > b.length) {
            for (int p = 0; p < k; p++) System.arraycopy(b, bj + p * ldb, e, p * FLOAT_LANES, width);
            b = e;
            bj = 0;
            ldb = FLOAT_LANES;
        }
        for (int r = 0; r < rows; r++) System.arraycopy(c, ci + r * ldc, e, ce + r * FLOAT_LANES, width);
        if (rows == MR) {
            kernel4x1(k, alpha, a, ai, ars, acs, b, bj, ldb, e, ce, FLOAT_LANES, width);
        } else {
            kernel1x1(k, alpha, a, ai, acs, b, bj, ldb, e, ce, width);
        }
        for (int r = 0; r < rows; r++) System.arraycopy(e, ce + r * FLOAT_LANES, c, ci + r * ldc, width);
    }

    /**
     * {@code C += α·Aᵀ·B} for a C narrower than one vector and at least one vector tall (A stored {@code k × m}, B
     * {@code k × n}: the weight cotangent {@code Gᵀ·X} of an MLP's input layer, and of its output layer transposed):
     * the vectors run down the columns of C, along the rows of A, which are contiguous, and each element of B is
     * broadcast — two vectors of C's column by two columns per pass over k. Each element is one chain of FMAs over p
     * in order, then {@code c = fma(α, Σ, c)}. Cost: {@code m·n·k} FMAs with A read {@code ⌈n/2⌉} times; the
     * strided-row form it replaces ran masked one- and two-float vectors for such shapes.
     */
    private static void columnForm(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        float[] acc = PANEL.get().scratch; // MR·FLOAT_LANES floats: two columns × two vectors
        int i = 0;
        for (; i + 2 * FLOAT_LANES <= m; i += 2 * FLOAT_LANES) {
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                columns2x2(k, a, aOff + i, lda, b, bOff + j, ldb, acc);
                store(acc, 0, 2 * FLOAT_LANES, alpha, c, cOff + i * ldc + j, ldc);
                store(acc, 2 * FLOAT_LANES, 2 * FLOAT_LANES, alpha, c, cOff + i * ldc + j + 1, ldc);
            }
            if (j < n) {
                columns2x1(k, a, aOff + i, lda, b, bOff + j, ldb, acc);
                store(acc, 0, 2 * FLOAT_LANES, alpha, c, cOff + i * ldc + j, ldc);
            }
        }
        for (; i < m; i += FLOAT_LANES) {
            int width = Math.min(FLOAT_LANES, m - i);
            for (int j = 0; j < n; j++) {
                columns1x1(k, a, aOff + i, lda, b, bOff + j, ldb, acc, width);
                store(acc, 0, width, alpha, c, cOff + i * ldc + j, ldc);
            }
        }
    }

    /** {@code c[ci + r·ldc] = fma(α, acc[from + r], c[ci + r·ldc])} for {@code r < count}. */
    private static void store(float[] acc, int from, int count, float alpha, float[] c, int ci, int ldc) {
        for (int r = 0; r < count; r++) c[ci + r * ldc] = Math.fma(alpha, acc[from + r], c[ci + r * ldc]);
    }

    /** Columns j and j + 1 of {@code Aᵀ·B} over two vectors of rows: four chains, into acc[0 .. 4·lanes). */
    private static void columns2x2(int k, float[] a, int ai, int lda, float[] b, int bj, int ldb, float[] acc) {
        FloatVector c00 = FloatVector.zero(FLOAT_SPECIES), c01 = c00, c10 = c00, c11 = c00;
        for (int p = 0; p < k; p++) {
            int ap = ai + p * lda, bp = bj + p * ldb;
            FloatVector a0 = FloatVector.fromArray(FLOAT_SPECIES, a, ap);
            FloatVector a1 = FloatVector.fromArray(FLOAT_SPECIES, a, ap + FLOAT_LANES);
            FloatVector b0 = FloatVector.broadcast(FLOAT_SPECIES, b[bp]);
            FloatVector b1 = FloatVector.broadcast(FLOAT_SPECIES, b[bp + 1]);
            c00 = a0.fma(b0, c00);
            c01 = a1.fma(b0, c01);
            c10 = a0.fma(b1, c10);
            c11 = a1.fma(b1, c11);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, FLOAT_LANES);
        c10.intoArray(acc, 2 * FLOAT_LANES);
        c11.intoArray(acc, 3 * FLOAT_LANES);
    }

    /** Column j of {@code Aᵀ·B} over two vectors of rows, into acc[0 .. 2·lanes). */
    private static void columns2x1(int k, float[] a, int ai, int lda, float[] b, int bj, int ldb, float[] acc) {
        FloatVector c00 = FloatVector.zero(FLOAT_SPECIES), c01 = c00;
        for (int p = 0; p < k; p++) {
            int ap = ai + p * lda;
            FloatVector b0 = FloatVector.broadcast(FLOAT_SPECIES, b[bj + p * ldb]);
            c00 = FloatVector.fromArray(FLOAT_SPECIES, a, ap).fma(b0, c00);
            c01 = FloatVector.fromArray(FLOAT_SPECIES, a, ap + FLOAT_LANES).fma(b0, c01);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, FLOAT_LANES);
    }

    /** Column j of {@code Aᵀ·B} over one (masked) vector of rows, into acc[0 .. width). */
    private static void columns1x1(int k, float[] a, int ai, int lda, float[] b, int bj, int ldb, float[] acc,
                                   int width) {
        VectorMask<Float> mask = FLOAT_SPECIES.indexInRange(0, width); // made here: a mask passed in is boxed
        // A's last row may end its array: its step then goes lane by lane (no masked load past an end, Simd.pastEnd)
        int last = ai + (k - 1) * lda, kv = last + FLOAT_LANES > a.length ? k - 1 : k;
        FloatVector c0 = FloatVector.zero(FLOAT_SPECIES);
        for (int p = 0; p < kv; p++) {
            c0 = FloatVector.fromArray(FLOAT_SPECIES, a, ai + p * lda, mask)
                    .fma(FloatVector.broadcast(FLOAT_SPECIES, b[bj + p * ldb]), c0);
        }
        c0.intoArray(acc, 0); // the whole vector into the scratch (lanes past width unused): no branch on a vector
        for (int p = kv; p < k; p++) {
            float bk = b[bj + p * ldb];
            for (int l = 0; l < width; l++) acc[l] = Math.fma(a[last + l], bk, acc[l]);
        }
    }

    /**
     * {@code C += α·A·op(B)} for a C narrower than one vector as dot products of rows along k
     * ({@link DotKernelF32#products}): the columns of op(B) are made contiguous (packed, {@code n·k} floats, when B is
     * not transposed). The lanes of each dot product are added in a fixed order (the halving tree), so the bits do not
     * depend on the JIT ({@code reduceLanes(ADD)} has no fixed order).
     */
    private static void dotForm(Transpose tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        Panel ws = PANEL.get();
        if (tb == Transpose.NO) {
            float[] packed = ws.reserve(n * k);
            packTransposed(b, bOff, ldb, n, k, packed, k); // packed[j·k + p] = op(B)[p][j] = b[bOff + p·ldb + j]
            b = packed;
            bOff = 0;
            ldb = k;
        }
        DotKernelF32.products(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, null, 0, ws.scratch);
    }

    /** {@code C = β·C}; β = 0 writes zeros without reading C, β = 1 leaves it. */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1.0f) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0.0f) {
                java.util.Arrays.fill(c, row, row + n, 0.0f);
            } else {
                for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
    }
}
