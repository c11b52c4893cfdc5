package dev.panode.blas;

import java.util.ArrayList;
import java.util.List;

/**
 * One GEMM test case: dimensions, transposes, padding of each leading dimension beyond the stored row, offsets into
 * larger arrays, and the scalars. {@link #all()} is the grid the tests run (at least 30 cases).
 */
record GemmShape(int m, int n, int k, Transpose ta, Transpose tb, int padA, int padB, int padC,
                 int aOff, int bOff, int cOff, double alpha, double beta) {

    int lda() { return Math.max(1, (ta == Transpose.NO ? k : m)) + padA; }
    int ldb() { return Math.max(1, (tb == Transpose.NO ? n : k)) + padB; }
    int ldc() { return Math.max(1, n) + padC; }
    int aRows() { return ta == Transpose.NO ? m : k; }
    int bRows() { return tb == Transpose.NO ? k : n; }
    /** Each array is longer than needed by a tail of 3, so writes past the operand would be seen. */
    int aLength() { return aOff + aRows() * lda() + 3; }
    int bLength() { return bOff + bRows() * ldb() + 3; }
    int cLength() { return cOff + m * ldc() + 3; }

    @Override
    public String toString() {
        return "%dx%dx%d %s%s pad(%d,%d,%d) off(%d,%d,%d) a=%s b=%s".formatted(m, n, k,
                ta == Transpose.YES ? "T" : "N", tb == Transpose.YES ? "T" : "N", padA, padB, padC, aOff, bOff, cOff, alpha, beta);
    }

    static List<GemmShape> all() {
        List<GemmShape> s = new ArrayList<>();
        Transpose N = Transpose.NO, T = Transpose.YES;
        // 1x1, tall, wide, non-square, every transpose pair
        int[][] dims = {{1, 1, 1}, {64, 1, 3}, {1, 64, 3}, {7, 5, 3}, {3, 7, 5}, {16, 50, 2}, {16, 2, 50}, {33, 17, 29},
                        {100, 3, 40}, {2, 90, 7}};
        for (int[] d : dims) {
            for (Transpose ta : List.of(N, T)) {
                for (Transpose tb : List.of(N, T)) {
                    s.add(new GemmShape(d[0], d[1], d[2], ta, tb, 0, 0, 0, 0, 0, 0, 1.0, 0.0));
                }
            }
        }
        // leading dimensions larger than the row, offsets into larger arrays, general alpha/beta
        s.add(new GemmShape(5, 4, 3, N, N, 2, 3, 1, 0, 0, 0, 1.5, 0.5));
        s.add(new GemmShape(5, 4, 3, T, N, 4, 0, 5, 7, 0, 0, -0.75, 1.0));
        s.add(new GemmShape(5, 4, 3, N, T, 0, 6, 0, 0, 11, 2, 2.0, -1.0));
        s.add(new GemmShape(5, 4, 3, T, T, 1, 1, 1, 3, 5, 9, 0.25, 0.125));
        s.add(new GemmShape(31, 29, 37, N, N, 5, 7, 3, 13, 17, 19, 1.0, 1.0));
        s.add(new GemmShape(31, 29, 37, T, T, 2, 9, 4, 1, 2, 3, -1.0, 0.5));
        s.add(new GemmShape(64, 64, 64, N, T, 8, 8, 8, 64, 64, 64, 1.0, 0.0));
        s.add(new GemmShape(128, 96, 80, N, N, 0, 0, 0, 0, 0, 0, 1.0, 0.0));   // large enough for OpenBLAS's threaded path
        s.add(new GemmShape(129, 65, 257, T, N, 3, 0, 1, 5, 0, 7, 0.5, 2.0));
        s.add(new GemmShape(4, 6, 0, N, N, 0, 0, 2, 0, 0, 3, 1.0, 0.5));      // k = 0: C = beta C
        s.add(new GemmShape(3, 3, 3, N, N, 0, 0, 0, 0, 0, 0, 0.0, 2.0));      // alpha = 0
        s.add(new GemmShape(0, 5, 4, N, N, 0, 0, 0, 0, 0, 0, 1.0, 0.0));      // empty
        s.add(new GemmShape(5, 0, 4, T, T, 0, 0, 0, 2, 2, 2, 1.0, 0.0));      // empty
        return s;
    }
}
