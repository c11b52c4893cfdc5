package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The narrow-output dot products against their scalar twin, bit for bit: per lane l the chain
 * {@code fma(a[p], b[p], ·)} over {@code p ≡ l (mod L)} in increasing p, started at +0, then the lanes added in the
 * halving tree (lane i plus lane {@code i + L/2}, and so on). Every tile (four rows against two, four against one,
 * one against two, one against one, the transposed single row) on lengths around whole vectors, with and without a
 * bias, with α ≠ 1, and a row of A alone against the same row in a block.
 */
class DotKernelF32Test {
    private static final int L = Simd.FLOAT_LANES;

    /** The scalar twin of one dot product's sum. */
    static float twin(int k, float[] a, int ai, float[] b, int bj) {
        float[] lanes = new float[L];
        for (int p = 0; p < k; p++) lanes[p % L] = Math.fma(a[ai + p], b[bj + p], lanes[p % L]);
        for (int w = L / 2; w >= 1; w /= 2) {
            for (int i = 0; i < w; i++) lanes[i] += lanes[i + w];
        }
        return lanes[0];
    }

    private static float[] floats(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    @Test
    void everyTileGivesTheScalarTwinsBits() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] scratch = new float[DotKernelF32.SCRATCH], tails = new float[2 * L];
        int cases = 0;
        for (int k : new int[] {1, 3, L - 1, L, L + 1, 2 * L - 1, 2 * L, 50, 64, 3 * L + 5}) {
            for (int m : new int[] {1, 2, 3, 4, 5, 8, 9, 13}) {
                for (int n : new int[] {1, 2, 3, 4, 5, 7, L - 1}) {
                    int lda = k + 2, ldb = k + 1, ldc = n + 3;
                    float[] a = floats(rnd, 1 + m * lda), b = floats(rnd, 2 + n * ldb), bias = floats(rnd, n + 1);
                    float alpha = 0.75f;
                    float[] c = floats(rnd, 4 + m * ldc), c0 = c.clone(), withBias = c.clone();
                    DotKernelF32.products(m, n, k, alpha, a, 1, lda, b, 2, ldb, c, 4, ldc, null, 0, scratch);
                    DotKernelF32.products(m, n, k, 1.0f, a, 1, lda, b, 2, ldb, withBias, 4, ldc, bias, 1, scratch);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float sum = twin(k, a, 1 + i * lda, b, 2 + j * ldb);
                            int at = 4 + i * ldc + j;
                            String where = "k " + k + ", m " + m + ", n " + n + ", [" + i + "][" + j + "]";
                            assertEquals(Math.fma(alpha, sum, c0[at]), c[at], where);
                            assertEquals(sum + bias[1 + j], withBias[at], where + " with bias");
                            int ai = 1 + i * lda, bj = 2 + j * ldb; // a tail past an array's end from a copy
                            boolean copyA = DotKernelF32.tailsPastEnd(a, ai, 0, 1, k);
                            boolean copyB = DotKernelF32.tailsPastEnd(b, bj, 0, 1, k);
                            float[] ta = copyA ? tails : a, tb = copyB ? tails : b;
                            int tai = copyA ? DotKernelF32.copyTails(a, ai, 0, 1, k, tails, 0) : ai;
                            int tbj = copyB ? DotKernelF32.copyTails(b, bj, 0, 1, k, tails, L) : bj;
                            assertEquals(sum, DotKernelF32.dot(k, a, ai, b, bj, ta, tai, tb, tbj, scratch), where);
                        }
                    }
                    for (int i = 0; i < 4 + m * ldc; i++) {
                        boolean inside = i >= 4 && (i - 4) % ldc < n && (i - 4) / ldc < m;
                        if (!inside) assertEquals(c0[i], c[i], "untouched " + i);
                    }
                    cases++;
                }
            }
        }
        assertTrue(cases == 560, "cases " + cases);
    }

    @Test
    void aRowAloneAndTheTransposedRowGiveTheBitsOfTheRowInABlock() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] scratch = new float[DotKernelF32.SCRATCH];
        for (int k : new int[] {L, 50, 64}) {
            for (int n : new int[] {1, 2, 3, 4, 6, L - 1}) {
                int m = 9;
                float[] x = floats(rnd, m * k), w = floats(rnd, n * k), bias = floats(rnd, n);
                float[] block = new float[m * n];
                DotKernelF32.products(m, n, k, 1.0f, x, 0, k, w, 0, k, block, 0, n, bias, 0, scratch);
                for (int i = 0; i < m; i++) {
                    float[] alone = new float[n], transposed = new float[n];
                    DotKernelF32.products(1, n, k, 1.0f, x, i * k, k, w, 0, k, alone, 0, n, bias, 0, scratch);
                    // W·x: the rows of W against x, one output per row of the result
                    DotKernelF32.products(n, 1, k, 1.0f, w, 0, k, x, i * k, k, transposed, 0, 1, null, 0, scratch);
                    for (int j = 0; j < n; j++) {
                        assertEquals(block[i * n + j], alone[j], "row " + i + " alone, output " + j);
                        assertEquals(block[i * n + j], transposed[j] + bias[j], "row " + i + " as W·x, output " + j);
                    }
                }
            }
        }
    }
}
