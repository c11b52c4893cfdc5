package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Single-precision dot products along a contiguous k: {@code C[i][j] = α·(A[i]·B[j]) + C₀[i][j]} for the rows of A and
 * of B, the form of a product whose output is narrower than a float vector (an MLP's output layer {@code X·Wᵀ} of a
 * low-dimensional ODE, its transposed single row {@code W·x}, a narrow input's cotangent).
 *
 * <p><b>Order of the sums.</b> Each dot product is one chain of fused multiply-adds over the whole vectors of k and
 * then the masked rest, started at +0; its lanes are then added in the halving tree ({@link #laneSum}): lane i plus
 * lane {@code i + L/2}, those sums' lane i plus lane {@code i + L/4}, and so on. The tiles below reduce four such
 * vectors at once with lane shuffles (two vectors' halves into one vector, twice, then within it), which adds the same
 * pairs, so every product has the same bits whichever tile computes it: a row of A alone as in a block, the
 * transposed product {@code W·x} as {@code x·Wᵀ}. The order is fixed for a vector width (it does not depend on the
 * JIT, unlike {@code reduceLanes(ADD)}); the chain of additions is {@code log₂ L} deep instead of {@code L − 1}.
 *
 * <p><b>Tiles.</b> Four rows of A against two rows of B (eight FMA chains, six loads per eight FMAs), four against
 * one, one against two and one against one; each tile's sums are stored as they are finished. The shuffles are
 * written out in each tile: a vector passed to a method that C2 does not inline is boxed. Cost: {@code m·n·k}
 * FMAs plus about one shuffle, two blends and one addition per lane sum. Nothing is allocated. Unchecked: the callers
 * ({@link GemmKernelF32}, {@link DenseKernelF32}, {@link DenseVjpKernelF32}) pass checked sizes. Not for outputs of
 * a vector or wider, where the broadcast kernels use every lane without a reduction.
 */
final class DotKernelF32 {
    private DotKernelF32() {}

    private static final int L = FLOAT_LANES;
    /** Whether the shuffle tiles apply: a width of 4 to 16 lanes (otherwise each vector is stored and summed). */
    private static final boolean SHUFFLES = L >= 4 && L <= 16;
    /** Lanes whose index has bit {@code L/2} set, and those with bit {@code L/4}. */
    private static final VectorMask<Float> HALF = bitSet(L / 2), QUARTER = bitSet(L / 4);
    /** Lane i takes lane {@code i xor d}, for d = L/2, L/4, L/8, L/16 (a d below 1 is never used). */
    private static final VectorShuffle<Float> SWAP_HALF = swap(L / 2), SWAP_QUARTER = swap(L / 4),
            SWAP_EIGHTH = swap(L / 8), SWAP_SIXTEENTH = swap(L / 16);
    /**
     * Where the four-row tiles leave the sums of rows 1, 2, 3 (row 0's in lane 0). They fold the halving tree of four
     * vectors at once: {@code p.blend(q, HALF) + q.blend(p, HALF).rearrange(SWAP_HALF)} is, in its lower half, lane i
     * of p plus lane {@code i + L/2} of p and, in its upper half, the same sums of q; the halves of rows 0 and 1 are
     * folded into one vector so, those of rows 2 and 3 into another, the two's quarters likewise (rows 0, 2, 1, 3 in
     * the quarters), then each quarter within itself, each fold adding the pairs the scalar tree adds.
     */
    private static final int LANE_1 = L / 2, LANE_2 = L / 4, LANE_3 = L / 2 + L / 4;

    private static VectorMask<Float> bitSet(int d) {
        long bits = 0;
        for (int i = 0; i < L; i++) if (d > 0 && (i & d) != 0) bits |= 1L << i;
        return VectorMask.fromLong(FLOAT_SPECIES, bits);
    }

    private static VectorShuffle<Float> swap(int d) {
        int[] index = new int[L];
        for (int i = 0; i < L; i++) index[i] = d > 0 ? i ^ d : i;
        return VectorShuffle.fromArray(FLOAT_SPECIES, index, 0);
    }

    /** Where {@link #products} keeps copies of B's tails in its scratch: after two vectors of sums, L rows. */
    private static final int B_TAILS = 2 * L;
    /** Where {@link #products} keeps copies of the tails of up to four rows of A in its scratch. */
    private static final int A_TAILS = B_TAILS + L * L;
    /** The floats of scratch {@link #products} needs: two vectors of sums, then the copies of B's and A's tails. */
    static final int SCRATCH = A_TAILS + 4 * L;

    /**
     * Whether the last partial vector of the last of {@code rows} rows ({@code ld} apart from {@code off}, k long),
     * loaded whole from {@code p = k − k mod L} on, would reach past the end of {@code x}. The tiles never load such a
     * vector from x, not even under a mask: the Vector API checks a masked access that reaches past an array's end
     * lane by lane ({@code AbstractMask.checkIndexByLane}), and in some C2 compilations that mask is boxed on the heap
     * (see {@link Simd#pastEnd}). They load those tails from copies made before ({@link #copyTails}); the masked lanes
     * are the same, so are the bits. (When L divides k the tail is empty and its mask all false.)
     */
    static boolean tailsPastEnd(float[] x, int off, int ld, int rows, int k) {
        return off + (rows - 1) * ld + k - k % L + L > x.length;
    }

    /**
     * Copies the tails {@code [p, k)} ({@code p = k − k mod L}) of {@code rows} rows of {@code src} ({@code ld} apart
     * from {@code off}) to {@code dst[at + r·L ..]}, one vector apart, and returns the offset from which a tile
     * indexes them as rows of stride L: {@code at − p}.
     */
    static int copyTails(float[] src, int off, int ld, int rows, int k, float[] dst, int at) {
        int p = k - k % L;
        for (int r = 0; r < rows; r++) { // fewer than L elements a row: a plain loop, cheaper than arraycopy's call
            for (int q = p; q < k; q++) dst[at + r * L + q - p] = src[off + r * ld + q];
        }
        return at - p;
    }

    /**
     * {@code c[cOff + i·ldc + j] = fma(α, A[i]·B[j], init)} for {@code i < m}, {@code j < n}, where A's rows are
     * {@code a[aOff + i·lda ..]}, B's rows {@code b[bOff + j·ldb ..]}, each k long, and {@code init} is
     * {@code bias[biasOff + j]} when bias is not null (a dense layer's {@code u = x·Wᵀ + b}: with α = 1 the sum plus
     * the bias, rounded once), else the present {@code c} element. Every tile loads its last partial vectors (from
     * {@code p = k − k mod L}) from {@code ta[tai + r·tlda + p ..]} and {@code tb[tbj + p ..]} under the mask of the
     * indices in range: the rows themselves, or copies of their tails in scratch where a row would reach past its
     * array's end ({@link #tailsPastEnd}): B's made once per call, A's for the last rows only. A tile has no branch
     * and no call, so its vectors stay in registers.
     *
     * @param scratch at least {@link #SCRATCH} floats
     */
    static void products(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, float[] bias, int biasOff, float[] scratch) {
        boolean copyB = tailsPastEnd(b, bOff, ldb, n, k); // n < L rows
        float[] tb = copyB ? scratch : b;
        int tbOff = copyB ? copyTails(b, bOff, ldb, n, k, scratch, B_TAILS) : bOff, tldb = copyB ? L : ldb;
        products(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, tb, tbOff, tldb, c, cOff, ldc, bias, biasOff, scratch);
    }

    /**
     * {@link #products(int, int, int, float, float[], int, int, float[], int, int, float[], int, int, float[], int,
     * float[])} with B's last partial vectors read from {@code tb[tbOff + j·tldb + p ..]}, where the caller keeps them:
     * B's rows themselves, or a copy of their tails that does not end its array (a dense layer's workspace keeps W's
     * while its bits stay the same, so that no tail is copied per call).
     */
    static void products(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] tb, int tbOff, int tldb, float[] c, int cOff, int ldc, float[] bias, int biasOff,
                         float[] scratch) {
        int i = 0;
        if (SHUFFLES) {
            for (; i + 4 <= m; i += 4) {
                int ai = aOff + i * lda, ci = cOff + i * ldc;
                boolean copyA = tailsPastEnd(a, ai, lda, 4, k);
                float[] ta = copyA ? scratch : a;
                int tai = copyA ? copyTails(a, ai, lda, 4, k, scratch, A_TAILS) : ai, tlda = copyA ? L : lda;
                int j = 0;
                for (; j + 2 <= n; j += 2) {
                    tile4x2(k, a, ai, lda, b, bOff + j * ldb, ldb, ta, tai, tlda, tb, tbOff + j * tldb, tldb, scratch);
                    store4(scratch, 0, alpha, c, ci + j, ldc, bias, biasOff + j, 0);
                    store4(scratch, L, alpha, c, ci + j + 1, ldc, bias, biasOff + j + 1, 0);
                }
                if (j < n) {
                    tile4x1(k, a, ai, lda, b, bOff + j * ldb, ta, tai, tlda, tb, tbOff + j * tldb, scratch);
                    store4(scratch, 0, alpha, c, ci + j, ldc, bias, biasOff + j, 0);
                }
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * lda;
            boolean copyA = tailsPastEnd(a, ai, 0, 1, k);
            float[] ta = copyA ? scratch : a;
            int tai = copyA ? copyTails(a, ai, 0, 1, k, scratch, A_TAILS) : ai;
            row(n, k, alpha, a, ai, ta, tai, b, bOff, ldb, tb, tbOff, tldb, c, cOff + i * ldc, bias, biasOff, scratch);
        }
    }

    /**
     * One row of A against the n rows of B into {@code c[ci .. ci + n)}: four rows of B at a time as the "rows" of
     * {@link #tile4x1} (four chains), then two, then one.
     */
    private static void row(int n, int k, float alpha, float[] a, int ai, float[] ta, int tai, float[] b, int bOff,
                            int ldb, float[] tb, int tbOff, int tldb, float[] c, int ci, float[] bias, int biasOff,
                            float[] scratch) {
        int j = 0;
        if (SHUFFLES) {
            for (; j + 4 <= n; j += 4) {
                tile4x1(k, b, bOff + j * ldb, ldb, a, ai, tb, tbOff + j * tldb, tldb, ta, tai, scratch);
                store4(scratch, 0, alpha, c, ci + j, 1, bias, biasOff + j, 1);
            }
            for (; j + 2 <= n; j += 2) {
                tile1x2(k, a, ai, b, bOff + j * ldb, ldb, ta, tai, tb, tbOff + j * tldb, tldb, scratch);
                store(scratch[0], alpha, c, ci + j, bias, biasOff + j);
                store(scratch[LANE_1], alpha, c, ci + j + 1, bias, biasOff + j + 1);
            }
        }
        for (; j < n; j++) {
            store(dot(k, a, ai, b, bOff + j * ldb, ta, tai, tb, tbOff + j * tldb, scratch), alpha, c, ci + j, bias,
                    biasOff + j);
        }
    }

    /**
     * A four-row tile's sums (from {@code sums[from]}, at the lanes {@link #LANE_1} names) into
     * {@code c[ci + r·ldc]}, each plus {@code bias[bi + r·bs]} (bs = 0: one column of four rows; 1: four columns of one
     * row) or plus the present element.
     */
    private static void store4(float[] sums, int from, float alpha, float[] c, int ci, int ldc, float[] bias, int bi,
                               int bs) {
        float b0 = bias == null ? c[ci] : bias[bi], b1 = bias == null ? c[ci + ldc] : bias[bi + bs];
        float b2 = bias == null ? c[ci + 2 * ldc] : bias[bi + 2 * bs];
        float b3 = bias == null ? c[ci + 3 * ldc] : bias[bi + 3 * bs];
        c[ci] = Math.fma(alpha, sums[from], b0);
        c[ci + ldc] = Math.fma(alpha, sums[from + LANE_1], b1);
        c[ci + 2 * ldc] = Math.fma(alpha, sums[from + LANE_2], b2);
        c[ci + 3 * ldc] = Math.fma(alpha, sums[from + LANE_3], b3);
    }

    private static void store(float sum, float alpha, float[] c, int ci, float[] bias, int bi) {
        c[ci] = Math.fma(alpha, sum, bias == null ? c[ci] : bias[bi]);
    }

    /**
     * The dot product {@code a[ai ..]·b[bj ..]} over k elements: one FMA chain, its lanes stored in
     * {@code scratch[0 .. L)} and added by {@link #laneSum}; the last partial vector from {@code ta[tai + p ..]} and
     * {@code tb[tbj + p ..]} (see {@link #products}).
     */
    static float dot(int k, float[] a, int ai, float[] b, int bj, float[] ta, int tai, float[] tb, int tbj,
                     float[] scratch) {
        FloatVector s = FloatVector.zero(FLOAT_SPECIES);
        int p = 0;
        for (; p <= k - L; p += L) {
            s = FloatVector.fromArray(FLOAT_SPECIES, a, ai + p).fma(FloatVector.fromArray(FLOAT_SPECIES, b, bj + p), s);
        }
        VectorMask<Float> m = FLOAT_SPECIES.indexInRange(p, k); // all false when L divides k
        s = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + p, m).fma(FloatVector.fromArray(FLOAT_SPECIES, tb, tbj + p, m),
                s);
        s.intoArray(scratch, 0);
        return laneSum(scratch, 0);
    }

    /**
     * Rows {@code a[ai + r·lda ..]} (r &lt; 4) against rows {@code b[bj ..]} and {@code b[bj + ldb ..]}: row r's sum
     * with the first row of B at {@code scratch[lane(r)]}, with the second at {@code scratch[L + lane(r)]}, where
     * lane(r) is 0, L/2, L/4, 3L/4 ({@link #store4} reads them there).
     */
    private static void tile4x2(int k, float[] a, int ai, int lda, float[] b, int bj, int ldb, float[] ta, int tai,
                                int tlda, float[] tb, int tbj, int tldb, float[] scratch) {
        FloatVector s00 = FloatVector.zero(FLOAT_SPECIES), s01 = s00, s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int a1 = ai + lda, a2 = a1 + lda, a3 = a2 + lda, b1 = bj + ldb;
        int p = 0;
        for (; p <= k - L; p += L) {
            FloatVector w0 = FloatVector.fromArray(FLOAT_SPECIES, b, bj + p);
            FloatVector w1 = FloatVector.fromArray(FLOAT_SPECIES, b, b1 + p);
            FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, a, ai + p);
            s00 = x0.fma(w0, s00);
            s01 = x0.fma(w1, s01);
            FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, a, a1 + p);
            s10 = x1.fma(w0, s10);
            s11 = x1.fma(w1, s11);
            FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, a, a2 + p);
            s20 = x2.fma(w0, s20);
            s21 = x2.fma(w1, s21);
            FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, a, a3 + p);
            s30 = x3.fma(w0, s30);
            s31 = x3.fma(w1, s31);
        }
        VectorMask<Float> m = FLOAT_SPECIES.indexInRange(p, k); // all false when L divides k
        FloatVector w0 = FloatVector.fromArray(FLOAT_SPECIES, tb, tbj + p, m);
        FloatVector w1 = FloatVector.fromArray(FLOAT_SPECIES, tb, tbj + tldb + p, m);
        FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + p, m);
        s00 = x0.fma(w0, s00);
        s01 = x0.fma(w1, s01);
        FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + tlda + p, m);
        s10 = x1.fma(w0, s10);
        s11 = x1.fma(w1, s11);
        FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + 2 * tlda + p, m);
        s20 = x2.fma(w0, s20);
        s21 = x2.fma(w1, s21);
        FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + 3 * tlda + p, m);
        s30 = x3.fma(w0, s30);
        s31 = x3.fma(w1, s31);
        // the folds of LANE_1 for both columns
        FloatVector h0 = s00.blend(s10, HALF).add(s10.blend(s00, HALF).rearrange(SWAP_HALF));
        FloatVector h1 = s20.blend(s30, HALF).add(s30.blend(s20, HALF).rearrange(SWAP_HALF));
        FloatVector g0 = s01.blend(s11, HALF).add(s11.blend(s01, HALF).rearrange(SWAP_HALF));
        FloatVector g1 = s21.blend(s31, HALF).add(s31.blend(s21, HALF).rearrange(SWAP_HALF));
        FloatVector v = h0.blend(h1, QUARTER).add(h1.blend(h0, QUARTER).rearrange(SWAP_QUARTER));
        FloatVector w = g0.blend(g1, QUARTER).add(g1.blend(g0, QUARTER).rearrange(SWAP_QUARTER));
        if (L >= 8) {
            v = v.add(v.rearrange(SWAP_EIGHTH));
            w = w.add(w.rearrange(SWAP_EIGHTH));
        }
        if (L >= 16) {
            v = v.add(v.rearrange(SWAP_SIXTEENTH));
            w = w.add(w.rearrange(SWAP_SIXTEENTH));
        }
        v.intoArray(scratch, 0);
        w.intoArray(scratch, L);
    }

    /** {@link #tile4x2} against one row of B: the sums at {@code scratch[lane(r)]} (lane(r) as in {@link #tile4x2}). */
    private static void tile4x1(int k, float[] a, int ai, int lda, float[] b, int bj, float[] ta, int tai, int tlda,
                                float[] tb, int tbj, float[] scratch) {
        FloatVector s0 = FloatVector.zero(FLOAT_SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int a1 = ai + lda, a2 = a1 + lda, a3 = a2 + lda;
        int p = 0;
        for (; p <= k - L; p += L) {
            FloatVector w = FloatVector.fromArray(FLOAT_SPECIES, b, bj + p);
            s0 = FloatVector.fromArray(FLOAT_SPECIES, a, ai + p).fma(w, s0);
            s1 = FloatVector.fromArray(FLOAT_SPECIES, a, a1 + p).fma(w, s1);
            s2 = FloatVector.fromArray(FLOAT_SPECIES, a, a2 + p).fma(w, s2);
            s3 = FloatVector.fromArray(FLOAT_SPECIES, a, a3 + p).fma(w, s3);
        }
        VectorMask<Float> m = FLOAT_SPECIES.indexInRange(p, k); // all false when L divides k
        FloatVector w = FloatVector.fromArray(FLOAT_SPECIES, tb, tbj + p, m);
        s0 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + p, m).fma(w, s0);
        s1 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + tlda + p, m).fma(w, s1);
        s2 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + 2 * tlda + p, m).fma(w, s2);
        s3 = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + 3 * tlda + p, m).fma(w, s3);
        FloatVector h0 = s0.blend(s1, HALF).add(s1.blend(s0, HALF).rearrange(SWAP_HALF));
        FloatVector h1 = s2.blend(s3, HALF).add(s3.blend(s2, HALF).rearrange(SWAP_HALF));
        FloatVector v = h0.blend(h1, QUARTER).add(h1.blend(h0, QUARTER).rearrange(SWAP_QUARTER));
        if (L >= 8) v = v.add(v.rearrange(SWAP_EIGHTH));
        if (L >= 16) v = v.add(v.rearrange(SWAP_SIXTEENTH));
        v.intoArray(scratch, 0);
    }

    /** One row of A against two rows of B: the sums at {@code scratch[0]} and {@code scratch[L/2]}. */
    private static void tile1x2(int k, float[] a, int ai, float[] b, int bj, int ldb, float[] ta, int tai, float[] tb,
                                int tbj, int tldb, float[] scratch) {
        FloatVector s0 = FloatVector.zero(FLOAT_SPECIES), s1 = s0;
        int b1 = bj + ldb;
        int p = 0;
        for (; p <= k - L; p += L) {
            FloatVector x = FloatVector.fromArray(FLOAT_SPECIES, a, ai + p);
            s0 = x.fma(FloatVector.fromArray(FLOAT_SPECIES, b, bj + p), s0);
            s1 = x.fma(FloatVector.fromArray(FLOAT_SPECIES, b, b1 + p), s1);
        }
        VectorMask<Float> m = FLOAT_SPECIES.indexInRange(p, k); // all false when L divides k
        FloatVector x = FloatVector.fromArray(FLOAT_SPECIES, ta, tai + p, m);
        s0 = x.fma(FloatVector.fromArray(FLOAT_SPECIES, tb, tbj + p, m), s0);
        s1 = x.fma(FloatVector.fromArray(FLOAT_SPECIES, tb, tbj + tldb + p, m), s1);
        FloatVector v = s0.blend(s1, HALF).add(s1.blend(s0, HALF).rearrange(SWAP_HALF));
        v = v.add(v.rearrange(SWAP_QUARTER));
        if (L >= 8) v = v.add(v.rearrange(SWAP_EIGHTH));
        if (L >= 16) v = v.add(v.rearrange(SWAP_SIXTEENTH));
        v.intoArray(scratch, 0);
    }

    /**
     * The sum of {@code x[from .. from + L)} in the order of the halving tree: lane i plus lane {@code i + L/2}, those
     * sums' lane i plus lane {@code i + L/4}, and so on down to one; the tiles' shuffles give the same bits.
     */
    static float laneSum(float[] x, int from) {
        int f = from;
        switch (L) {
            case 16 -> {
                float h0 = x[f] + x[f + 8], h1 = x[f + 1] + x[f + 9], h2 = x[f + 2] + x[f + 10];
                float h3 = x[f + 3] + x[f + 11], h4 = x[f + 4] + x[f + 12], h5 = x[f + 5] + x[f + 13];
                float h6 = x[f + 6] + x[f + 14], h7 = x[f + 7] + x[f + 15];
                return ((h0 + h4) + (h2 + h6)) + ((h1 + h5) + (h3 + h7));
            }
            case 8 -> {
                return ((x[f] + x[f + 4]) + (x[f + 2] + x[f + 6])) + ((x[f + 1] + x[f + 5]) + (x[f + 3] + x[f + 7]));
            }
            case 4 -> {
                return (x[f] + x[f + 2]) + (x[f + 1] + x[f + 3]);
            }
            default -> {
                for (int w = L / 2; w >= 1; w /= 2) {
                    for (int i = 0; i < w; i++) x[f + i] += x[f + i + w];
                }
                return x[f];
            }
        }
    }
}
