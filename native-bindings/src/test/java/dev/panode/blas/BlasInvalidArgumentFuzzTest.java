package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random invalid arguments to every checked native entry point of {@link Blas}: a valid random call is
 * generated, then one argument is broken (a negative size, a leading dimension or increment too small, an offset out
 * of range, an array too short or null, a non-finite scalar). Each must raise the documented exception
 * (IllegalArgumentException or IndexOutOfBoundsException) naming the routine, leave the output
 * array untouched (nothing reached OpenBLAS), and the JVM carries on: the unbroken call still gives the naive result.
 */
class BlasInvalidArgumentFuzzTest {
    private static final int TRIALS = 2_000;

    /** One call's arguments; {@code p} holds the integers, in the order named by each routine's {@code NAMES}. */
    private static final class Args {
        Transpose ta, tb;
        int[] p;
        double alpha = 0.75;
        boolean nullA, nullB, nullC;
        String broken;

        Args copy() {
            Args c = new Args();
            c.ta = ta;
            c.tb = tb;
            c.p = p.clone();
            c.alpha = alpha;
            return c;
        }
    }

    private interface Routine {
        String name();

        Args valid(SplittableRandom rnd);

        /** Breaks one argument of {@code a} in place, recording which in {@code a.broken}. */
        void breakOne(SplittableRandom rnd, Args a);

        /** Runs the call; returns the output array (a copy taken before is compared after a failure). */
        Object run(Args a, Object[] arrays);

        Object[] arrays(SplittableRandom rnd, Args a);

        /** The naive result of a valid call on fresh copies of {@code arrays}. */
        Object naive(Args a, Object[] arrays);
    }

    private static Transpose tr(SplittableRandom rnd) {
        return rnd.nextBoolean() ? Transpose.NO : Transpose.YES;
    }

    private static double[] rand(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextDouble(-1, 1);
        return v;
    }

    private static float[] randF(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextDouble(-1, 1);
        return v;
    }

    private static Object copyOf(Object array) {
        return array instanceof double[] d ? d.clone() : array instanceof float[] f ? f.clone() : null;
    }

    /** An invalid value for a size (negative). */
    private static int negative(SplittableRandom rnd) {
        return rnd.nextInt(4) == 0 ? Integer.MIN_VALUE : -rnd.nextInt(1, 1000);
    }

    // ---- gemm: p = m, n, k, lda, ldb, ldc, aOff, bOff, cOff, aLen, bLen, cLen
    private static final class Gemm implements Routine {
        final boolean single;

        Gemm(boolean single) {
            this.single = single;
        }

        public String name() {
            return single ? "sgemm" : "dgemm";
        }

        public Args valid(SplittableRandom rnd) {
            Args a = new Args();
            a.ta = tr(rnd);
            a.tb = tr(rnd);
            int m = rnd.nextInt(1, 7), n = rnd.nextInt(1, 7), k = rnd.nextInt(1, 7);
            int aCols = a.ta == Transpose.NO ? k : m, aRows = a.ta == Transpose.NO ? m : k;
            int bCols = a.tb == Transpose.NO ? n : k, bRows = a.tb == Transpose.NO ? k : n;
            int lda = aCols + rnd.nextInt(3), ldb = bCols + rnd.nextInt(3), ldc = n + rnd.nextInt(3);
            int aOff = rnd.nextInt(3), bOff = rnd.nextInt(3), cOff = rnd.nextInt(3);
            a.p = new int[] {m, n, k, lda, ldb, ldc, aOff, bOff, cOff,
                    aOff + (aRows - 1) * lda + aCols + rnd.nextInt(2), bOff + (bRows - 1) * ldb + bCols + rnd.nextInt(2),
                    cOff + (m - 1) * ldc + n + rnd.nextInt(2)};
            return a;
        }

        public void breakOne(SplittableRandom rnd, Args a) {
            int[] p = a.p;
            int m = p[0], n = p[1], k = p[2];
            int aCols = a.ta == Transpose.NO ? k : m, aRows = a.ta == Transpose.NO ? m : k;
            int bCols = a.tb == Transpose.NO ? n : k, bRows = a.tb == Transpose.NO ? k : n;
            switch (rnd.nextInt(12)) {
                case 0 -> { p[0] = negative(rnd); a.broken = "m"; }
                case 1 -> { p[1] = negative(rnd); a.broken = "n"; }
                case 2 -> { p[2] = negative(rnd); a.broken = "k"; }
                case 3 -> { p[3] = rnd.nextInt(-3, aCols); a.broken = "lda"; }
                case 4 -> { p[4] = rnd.nextInt(-3, bCols); a.broken = "ldb"; }
                case 5 -> { p[5] = rnd.nextInt(-3, n); a.broken = "ldc"; }
                case 6 -> {
                    int j = rnd.nextInt(3);
                    p[6 + j] = rnd.nextBoolean() ? negative(rnd) : p[9 + j] + rnd.nextInt(1, 100);
                    a.broken = "abc".charAt(j) + "Off";
                }
                case 7 -> { p[9] = Math.max(0, p[6] + (aRows - 1) * p[3] + aCols - 1 - rnd.nextInt(aCols)); a.broken = "a.length"; }
                case 8 -> { p[10] = Math.max(0, p[7] + (bRows - 1) * p[4] + bCols - 1 - rnd.nextInt(Math.max(1, bCols))); a.broken = "b.length"; }
                case 9 -> { p[11] = Math.max(0, p[8] + (m - 1) * p[5] + n - 1 - rnd.nextInt(n)); a.broken = "c.length"; }
                case 10 -> {
                    switch (rnd.nextInt(3)) {
                        case 0 -> { a.nullA = true; a.broken = "a null"; }
                        case 1 -> { a.nullB = true; a.broken = "b null"; }
                        default -> { a.nullC = true; a.broken = "c null"; }
                    }
                }
                default -> {
                    a.alpha = rnd.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
                    a.broken = "alpha";
                }
            }
        }

        public Object[] arrays(SplittableRandom rnd, Args a) {
            int[] p = a.p;
            if (single) return new Object[] {randF(rnd, p[9]), randF(rnd, p[10]), randF(rnd, p[11])};
            return new Object[] {rand(rnd, p[9]), rand(rnd, p[10]), rand(rnd, p[11])};
        }

        public Object run(Args a, Object[] arr) {
            int[] p = a.p;
            if (single) {
                Blas.sgemm(a.ta, a.tb, p[0], p[1], p[2], (float) a.alpha, a.nullA ? null : (float[]) arr[0], p[6], p[3],
                        a.nullB ? null : (float[]) arr[1], p[7], p[4], 0.5f, a.nullC ? null : (float[]) arr[2], p[8], p[5]);
            } else {
                Blas.dgemm(a.ta, a.tb, p[0], p[1], p[2], a.alpha, a.nullA ? null : (double[]) arr[0], p[6], p[3],
                        a.nullB ? null : (double[]) arr[1], p[7], p[4], 0.5, a.nullC ? null : (double[]) arr[2], p[8], p[5]);
            }
            return arr[2];
        }

        public Object naive(Args a, Object[] arr) {
            int[] p = a.p;
            if (single) {
                double[] c = Naive.toDouble((float[]) arr[2]);
                Naive.sgemm(a.ta, a.tb, p[0], p[1], p[2], (float) a.alpha, (float[]) arr[0], p[6], p[3], (float[]) arr[1],
                        p[7], p[4], 0.5f, c, p[8], p[5]);
                return Naive.toFloat(c);
            }
            double[] c = ((double[]) arr[2]).clone();
            Naive.dgemm(a.ta, a.tb, p[0], p[1], p[2], a.alpha, (double[]) arr[0], p[6], p[3], (double[]) arr[1], p[7],
                    p[4], 0.5, c, p[8], p[5]);
            return c;
        }
    }

    // ---- gemv: p = m, n, lda, incx, incy, aOff, xOff, yOff, aLen, xLen, yLen
    private static final class Gemv implements Routine {
        final boolean single;

        Gemv(boolean single) {
            this.single = single;
        }

        public String name() {
            return single ? "sgemv" : "dgemv";
        }

        public Args valid(SplittableRandom rnd) {
            Args a = new Args();
            a.ta = tr(rnd);
            int m = rnd.nextInt(1, 7), n = rnd.nextInt(1, 7), lda = n + rnd.nextInt(3);
            int incx = rnd.nextInt(1, 3), incy = rnd.nextInt(1, 3);
            int xn = a.ta == Transpose.NO ? n : m, yn = a.ta == Transpose.NO ? m : n;
            int aOff = rnd.nextInt(3), xOff = rnd.nextInt(3), yOff = rnd.nextInt(3);
            a.p = new int[] {m, n, lda, incx, incy, aOff, xOff, yOff, aOff + (m - 1) * lda + n + rnd.nextInt(2),
                    xOff + (xn - 1) * incx + 1 + rnd.nextInt(2), yOff + (yn - 1) * incy + 1 + rnd.nextInt(2)};
            return a;
        }

        public void breakOne(SplittableRandom rnd, Args a) {
            int[] p = a.p;
            int xn = a.ta == Transpose.NO ? p[1] : p[0], yn = a.ta == Transpose.NO ? p[0] : p[1];
            switch (rnd.nextInt(9)) {
                case 0 -> { p[0] = negative(rnd); a.broken = "m"; }
                case 1 -> { p[1] = negative(rnd); a.broken = "n"; }
                case 2 -> { p[2] = rnd.nextInt(-3, p[1]); a.broken = "lda"; }
                case 3 -> { p[3 + rnd.nextInt(2)] = rnd.nextInt(-3, 1); a.broken = "inc"; }
                case 4 -> {
                    int j = rnd.nextInt(3);
                    p[5 + j] = rnd.nextBoolean() ? negative(rnd) : p[8 + j] + rnd.nextInt(1, 100);
                    a.broken = "axy".charAt(j) + "Off";
                }
                case 5 -> { p[8] = Math.max(0, p[5] + (p[0] - 1) * p[2] + p[1] - 1 - rnd.nextInt(p[1])); a.broken = "a.length"; }
                case 6 -> { p[9] = Math.max(0, p[6] + (xn - 1) * p[3] - rnd.nextInt(1 + (xn - 1) * p[3])); a.broken = "x.length"; }
                case 7 -> { p[10] = Math.max(0, p[7] + (yn - 1) * p[4] - rnd.nextInt(1 + (yn - 1) * p[4])); a.broken = "y.length"; }
                default -> {
                    switch (rnd.nextInt(4)) {
                        case 0 -> { a.nullA = true; a.broken = "a null"; }
                        case 1 -> { a.nullB = true; a.broken = "x null"; }
                        case 2 -> { a.nullC = true; a.broken = "y null"; }
                        default -> { a.alpha = Double.NaN; a.broken = "alpha"; }
                    }
                }
            }
        }

        public Object[] arrays(SplittableRandom rnd, Args a) {
            int[] p = a.p;
            if (single) return new Object[] {randF(rnd, p[8]), randF(rnd, p[9]), randF(rnd, p[10])};
            return new Object[] {rand(rnd, p[8]), rand(rnd, p[9]), rand(rnd, p[10])};
        }

        public Object run(Args a, Object[] arr) {
            int[] p = a.p;
            if (single) {
                Blas.sgemv(a.ta, p[0], p[1], (float) a.alpha, a.nullA ? null : (float[]) arr[0], p[5], p[2],
                        a.nullB ? null : (float[]) arr[1], p[6], p[3], 0.5f, a.nullC ? null : (float[]) arr[2], p[7], p[4]);
            } else {
                Blas.dgemv(a.ta, p[0], p[1], a.alpha, a.nullA ? null : (double[]) arr[0], p[5], p[2],
                        a.nullB ? null : (double[]) arr[1], p[6], p[3], 0.5, a.nullC ? null : (double[]) arr[2], p[7], p[4]);
            }
            return arr[2];
        }

        public Object naive(Args a, Object[] arr) {
            int[] p = a.p;
            if (single) {
                double[] y = Naive.toDouble((float[]) arr[2]);
                Naive.sgemv(a.ta, p[0], p[1], (float) a.alpha, (float[]) arr[0], p[5], p[2], (float[]) arr[1], p[6], p[3],
                        0.5f, y, p[7], p[4]);
                return Naive.toFloat(y);
            }
            double[] y = ((double[]) arr[2]).clone();
            Naive.dgemv(a.ta, p[0], p[1], a.alpha, (double[]) arr[0], p[5], p[2], (double[]) arr[1], p[6], p[3], 0.5, y,
                    p[7], p[4]);
            return y;
        }
    }

    // ---- daxpy / ddot: p = n, incx, incy, xOff, yOff, xLen, yLen
    private static final class Level1 implements Routine {
        final boolean dot;

        Level1(boolean dot) {
            this.dot = dot;
        }

        public String name() {
            return dot ? "ddot" : "daxpy";
        }

        public Args valid(SplittableRandom rnd) {
            Args a = new Args();
            int n = rnd.nextInt(1, 12), incx = rnd.nextInt(1, 3), incy = rnd.nextInt(1, 3);
            int xOff = rnd.nextInt(3), yOff = rnd.nextInt(3);
            a.p = new int[] {n, incx, incy, xOff, yOff, xOff + (n - 1) * incx + 1 + rnd.nextInt(2),
                    yOff + (n - 1) * incy + 1 + rnd.nextInt(2)};
            return a;
        }

        public void breakOne(SplittableRandom rnd, Args a) {
            int[] p = a.p;
            switch (rnd.nextInt(dot ? 6 : 7)) {
                case 0 -> { p[0] = negative(rnd); a.broken = "n"; }
                case 1 -> { p[1 + rnd.nextInt(2)] = rnd.nextInt(-3, 1); a.broken = "inc"; }
                case 2 -> {
                    int j = rnd.nextInt(2);
                    p[3 + j] = rnd.nextBoolean() ? negative(rnd) : p[5 + j] + rnd.nextInt(1, 100);
                    a.broken = "xy".charAt(j) + "Off";
                }
                case 3 -> { p[5] = Math.max(0, p[3] + (p[0] - 1) * p[1] - rnd.nextInt(1 + (p[0] - 1) * p[1])); a.broken = "x.length"; }
                case 4 -> { p[6] = Math.max(0, p[4] + (p[0] - 1) * p[2] - rnd.nextInt(1 + (p[0] - 1) * p[2])); a.broken = "y.length"; }
                case 5 -> {
                    if (rnd.nextBoolean()) a.nullA = true; else a.nullB = true;
                    a.broken = "null";
                }
                default -> { a.alpha = Double.POSITIVE_INFINITY; a.broken = "alpha"; }
            }
        }

        public Object[] arrays(SplittableRandom rnd, Args a) {
            return new Object[] {rand(rnd, a.p[5]), rand(rnd, a.p[6]), new double[1]};
        }

        public Object run(Args a, Object[] arr) {
            int[] p = a.p;
            double[] x = a.nullA ? null : (double[]) arr[0], y = a.nullB ? null : (double[]) arr[1];
            if (dot) {
                ((double[]) arr[2])[0] = Blas.ddot(p[0], x, p[3], p[1], y, p[4], p[2]);
                return arr[2];
            }
            Blas.daxpy(p[0], a.alpha, x, p[3], p[1], y, p[4], p[2]);
            return arr[1];
        }

        public Object naive(Args a, Object[] arr) {
            int[] p = a.p;
            double[] x = (double[]) arr[0], y = ((double[]) arr[1]).clone();
            double s = 0;
            for (int i = 0; i < p[0]; i++) {
                if (dot) s += x[p[3] + i * p[1]] * y[p[4] + i * p[2]];
                else y[p[4] + i * p[2]] += a.alpha * x[p[3] + i * p[1]];
            }
            return dot ? new double[] {s} : y;
        }
    }

    private static void assertClose(Object expected, Object actual, String what) {
        double[] e = expected instanceof float[] f ? Naive.toDouble(f) : (double[]) expected;
        double[] g = actual instanceof float[] f ? Naive.toDouble(f) : (double[]) actual;
        double tol = expected instanceof float[] ? 1e-4 : 1e-12;
        assertEquals(e.length, g.length, what);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], tol * (1 + Math.abs(e[i])), what + " [" + i + "]");
    }

    @Test
    void everyEntryPointRejectsRandomInvalidArgumentsAndTheJvmCarriesOn() {
        Routine[] routines = {new Gemm(false), new Gemm(true), new Gemv(false), new Gemv(true), new Level1(false),
                new Level1(true)};
        SplittableRandom rnd = new SplittableRandom(20261121L);
        for (Routine r : routines) {
            int rejected = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                Args valid = r.valid(rnd);
                Object[] arrays = r.arrays(rnd, valid);
                Args bad = valid.copy();
                r.breakOne(rnd, bad);
                Object[] badArrays = r.arrays(rnd, bad);
                Object[] before = Arrays.stream(badArrays).map(BlasInvalidArgumentFuzzTest::copyOf).toArray();
                String what = r.name() + " trial " + trial + ", broken " + bad.broken + ", ints " + Arrays.toString(bad.p)
                        + " " + bad.ta + " " + bad.tb + ", alpha " + bad.alpha;
                try {
                    r.run(bad, badArrays);
                    fail(what + ": accepted");
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    assertTrue(e.getMessage() != null && e.getMessage().contains(r.name()),
                            () -> what + ": message does not name the routine: " + e.getMessage());
                    rejected++;
                }
                for (int i = 0; i < badArrays.length; i++) {
                    if (badArrays[i] instanceof double[] d) assertArrayEquals((double[]) before[i], d, what + ": array written");
                    else assertArrayEquals((float[]) before[i], (float[]) badArrays[i], what + ": array written");
                }
                // the JVM carries on: the unbroken call still gives the naive result
                if (trial % 10 == 0) {
                    Object expected = r.naive(valid, arrays);
                    assertClose(expected, r.run(valid, arrays), r.name() + " valid call after trial " + trial);
                }
            }
            assertEquals(TRIALS, rejected, r.name());
        }
    }
}
