package dev.panode.blas;

import java.util.SplittableRandom;

/**
 * Main class run in a child JVM by {@link FallbackTest}: prints the backend, then checks every routine against the
 * naive oracle through {@link Blas}, whichever backend the loader chose there. Exit code 0 when all agree.
 */
public final class FallbackProbe {
    private FallbackProbe() {}

    public static void main(String[] args) {
        BlasInfo info = Blas.info();
        System.out.println("available=" + Blas.isAvailable());
        System.out.println("source=" + info.source());
        System.out.println("status=" + OpenBlasLoader.status());
        System.out.println("threads=" + info.threads());
        int failures = 0;
        for (GemmShape s : GemmShape.all()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode());
            double[] a = Naive.random(rnd, s.aLength()), b = Naive.random(rnd, s.bLength()), c = Naive.random(rnd, s.cLength());
            double[] expected = c.clone();
            Naive.dgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(), s.beta(), expected, s.cOff(), s.ldc());
            Blas.dgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOff(), s.lda(), b, s.bOff(), s.ldb(), s.beta(), c, s.cOff(), s.ldc());
            if (!(Naive.relativeError(c, expected) <= 1e-13)) {
                System.out.println("dgemm mismatch " + s + ": " + Naive.relativeError(c, expected));
                failures++;
            }
            float[] af = Naive.toFloat(a), bf = Naive.toFloat(b), cf = Naive.toFloat(Naive.random(rnd, s.cLength()));
            double[] expectedF = Naive.toDouble(cf);
            Naive.sgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), (float) s.alpha(), af, s.aOff(), s.lda(), bf, s.bOff(), s.ldb(), (float) s.beta(), expectedF, s.cOff(), s.ldc());
            Blas.sgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), (float) s.alpha(), af, s.aOff(), s.lda(), bf, s.bOff(), s.ldb(), (float) s.beta(), cf, s.cOff(), s.ldc());
            if (!(Naive.relativeError(Naive.toDouble(cf), expectedF) <= 1e-5)) {
                System.out.println("sgemm mismatch " + s);
                failures++;
            }
        }
        SplittableRandom rnd = new SplittableRandom(5);
        for (Transpose t : Transpose.values()) {
            double[] a = Naive.random(rnd, 7 * 9), x = Naive.random(rnd, 9 * 2), y = Naive.random(rnd, 9), expected = y.clone();
            Naive.dgemv(t, 7, 9, 1.5, a, 0, 9, x, 0, 2, 0.5, expected, 0, 1);
            Blas.dgemv(t, 7, 9, 1.5, a, 0, 9, x, 0, 2, 0.5, y, 0, 1);
            if (!(Naive.relativeError(y, expected) <= 1e-13)) {
                System.out.println("dgemv mismatch " + t);
                failures++;
            }
            float[] af = Naive.toFloat(a), xf = Naive.toFloat(x), yf = new float[9];
            double[] expectedF = new double[9];
            Naive.sgemv(t, 7, 9, 1.5f, af, 0, 9, xf, 0, 2, 0f, expectedF, 0, 1);
            Blas.sgemv(t, 7, 9, 1.5f, af, 0, 9, xf, 0, 2, 0f, yf, 0, 1);
            if (!(Naive.relativeError(Naive.toDouble(yf), expectedF) <= 1e-5)) {
                System.out.println("sgemv mismatch " + t);
                failures++;
            }
        }
        double[] x = {1, 2, 3}, y = {4, 5, 6};
        if (Blas.ddot(3, x, 0, 1, y, 0, 1) != 32.0) {
            System.out.println("ddot mismatch");
            failures++;
        }
        Blas.daxpy(3, 2.0, x, 0, 1, y, 0, 1);
        if (y[0] != 6 || y[1] != 9 || y[2] != 12) {
            System.out.println("daxpy mismatch");
            failures++;
        }
        System.out.println("lapack=" + Lapack.isAvailable());
        double[] lu = {4, 2, 1, 3, 5, 2, 1, 1, 6}, rhs = {8, 8, 9}; // column-major; A·(1, 1, 1) = (8, 8, 9)
        int[] ipiv = new int[3];
        int luInfo = Lapack.dgetrf(3, 3, lu, 0, 3, ipiv, 0);
        Lapack.dgetrs(Transpose.NO, 3, 1, lu, 0, 3, ipiv, 0, rhs, 0, 3);
        if (luInfo != 0 || Math.abs(rhs[0] - 1) + Math.abs(rhs[1] - 1) + Math.abs(rhs[2] - 1) > 1e-14) {
            System.out.println("lapack mismatch: info " + luInfo + ", x = " + java.util.Arrays.toString(rhs));
            failures++;
        }
        System.out.println("failures=" + failures);
        System.exit(failures == 0 ? 0 : 1);
    }
}
