package dev.panode.bench.simd;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmKernel;
import java.util.SplittableRandom;

/**
 * One benchmark product {@code C = op(A)·op(B)}, α = 1, β = 0, from a shape {@code "m×k×n"} and a layout such as
 * {@code "NT"}, with random operands (fixed seed) and packed leading dimensions, runnable on each backend.
 */
final class GemmProblem {
    final int m, n, k;
    private final int lda, ldb;
    private final Transpose ta, tb;
    private final double[] a, b, c;

    /**
     * @param shape {@code "m×k×n"} (written with the letter x)
     * @param trans two letters, N or T, for op(A) and op(B)
     */
    GemmProblem(String shape, String trans) {
        int[] d = dims(shape);
        m = d[0];
        k = d[1];
        n = d[2];
        ta = Transpose.of(trans.charAt(0) == 'T');
        tb = Transpose.of(trans.charAt(1) == 'T');
        lda = ta == Transpose.NO ? k : m;
        ldb = tb == Transpose.NO ? n : k;
        SplittableRandom rnd = new SplittableRandom(45);
        a = rnd.doubles((long) m * k, -1, 1).toArray();
        b = rnd.doubles((long) k * n, -1, 1).toArray();
        c = new double[m * n];
    }

    /**
     * @return {@code {m, k, n}} of a shape written {@code "m×k×n"} with the letter x
     * @throws IllegalArgumentException when it does not have three parts
     */
    static int[] dims(String shape) {
        String[] p = shape.split("x");
        if (p.length != 3) throw new IllegalArgumentException("shape must be m×k×n, got '" + shape + "'");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    /** @return the multiply-adds of one product */
    long work() {
        return (long) m * n * k;
    }

    double[] javaKernel() {
        GemmKernel.dgemm(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, n);
        return c;
    }

    /** OpenBLAS, or {@code Blas}'s Java fallback when it is not loaded. */
    double[] openblas() {
        Blas.dgemmUnchecked(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, n);
        return c;
    }

    double[] dispatcher() {
        Gemm.dgemm(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, n);
        return c;
    }

    double[] naive() {
        Gemm.naive(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, n);
        return c;
    }
}
