package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every invalid argument of every {@link Blas} routine raises the documented exception naming the argument, before
 * anything reaches OpenBLAS; then a random search over argument tuples checks that the facade accepts exactly the
 * tuples an independent statement of the BLAS rules accepts. After each, a valid product still works: the JVM survived.
 */
class BlasArgumentTest {
    private static final Transpose N = Transpose.NO, T = Transpose.YES;

    // A valid 3x4x5 product, A 3x5 (lda 5), B 5x4 (ldb 4), C 3x4 (ldc 4)
    private final double[] a = new double[15], b = new double[20], c = new double[12];
    private final float[] af = new float[15], bf = new float[20], cf = new float[12];

    private record Case(String name, Class<? extends RuntimeException> type, String mentions, Executable call) {}

    private List<Case> cases() {
        double[] x5 = new double[5], y3 = new double[3];
        float[] x5f = new float[5], y3f = new float[3];
        return List.of(
                new Case("dgemm m < 0", IllegalArgumentException.class, "m must be >= 0, got -1",
                        () -> Blas.dgemm(N, N, -1, 4, 5, 1, a, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm n < 0", IllegalArgumentException.class, "n must be >= 0, got -2",
                        () -> Blas.dgemm(N, N, 3, -2, 5, 1, a, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm k < 0", IllegalArgumentException.class, "k must be >= 0, got -3",
                        () -> Blas.dgemm(N, N, 3, 4, -3, 1, a, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm lda too small", IllegalArgumentException.class, "lda must be >= max(1, 5)",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 4, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm lda too small transposed", IllegalArgumentException.class, "lda must be >= max(1, 3)",
                        () -> Blas.dgemm(T, N, 3, 4, 5, 1, a, 0, 2, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm ldb too small", IllegalArgumentException.class, "ldb must be >= max(1, 4)",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, 0, 3, 0, c, 0, 4)),
                new Case("dgemm ldb too small transposed", IllegalArgumentException.class, "ldb must be >= max(1, 5)",
                        () -> Blas.dgemm(N, T, 3, 4, 5, 1, a, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm ldc too small", IllegalArgumentException.class, "ldc must be >= max(1, 4)",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, 0, 4, 0, c, 0, 3)),
                new Case("dgemm ld zero on empty", IllegalArgumentException.class, "ldc must be >= max(1, 0)",
                        () -> Blas.dgemm(N, N, 0, 0, 0, 1, a, 0, 1, b, 0, 1, 0, c, 0, 0)),
                new Case("dgemm aOff < 0", IndexOutOfBoundsException.class, "aOff must be >= 0, got -1",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, -1, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm a too short", IndexOutOfBoundsException.class, "a.length must be >= 16",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 1, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm b too short via ldb", IndexOutOfBoundsException.class, "b.length must be >= 24",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, 0, 5, 0, c, 0, 4)),
                new Case("dgemm bOff < 0", IndexOutOfBoundsException.class, "bOff must be >= 0, got -4",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, -4, 4, 0, c, 0, 4)),
                new Case("dgemm c too short", IndexOutOfBoundsException.class, "c.length must be >= 13",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, 0, 4, 0, c, 1, 4)),
                new Case("dgemm cOff < 0", IndexOutOfBoundsException.class, "cOff must be >= 0, got -1",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, 0, 4, 0, c, -1, 4)),
                new Case("dgemm huge ld overflows int", IndexOutOfBoundsException.class, "a.length must be >= 4294967299",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, Integer.MAX_VALUE, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm huge m", IndexOutOfBoundsException.class, "a.length must be >= 10737418235",
                        () -> Blas.dgemm(N, N, Integer.MAX_VALUE, 4, 5, 1, a, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm a null", IllegalArgumentException.class, "a must be non-null",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, null, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm c null", IllegalArgumentException.class, "c must be non-null",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, 0, 4, 0, null, 0, 4)),
                new Case("dgemm transA null", IllegalArgumentException.class, "ta must be non-null",
                        () -> Blas.dgemm(null, N, 3, 4, 5, 1, a, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm alpha NaN", IllegalArgumentException.class, "alpha must be finite, got NaN",
                        () -> Blas.dgemm(N, N, 3, 4, 5, Double.NaN, a, 0, 5, b, 0, 4, 0, c, 0, 4)),
                new Case("dgemm beta infinite", IllegalArgumentException.class, "beta must be finite, got Infinity",
                        () -> Blas.dgemm(N, N, 3, 4, 5, 1, a, 0, 5, b, 0, 4, Double.POSITIVE_INFINITY, c, 0, 4)),
                new Case("sgemm lda too small", IllegalArgumentException.class, "sgemm: lda must be >= max(1, 5)",
                        () -> Blas.sgemm(N, N, 3, 4, 5, 1f, af, 0, 4, bf, 0, 4, 0f, cf, 0, 4)),
                new Case("sgemm c too short", IndexOutOfBoundsException.class, "sgemm: c.length must be",
                        () -> Blas.sgemm(N, N, 3, 4, 5, 1f, af, 0, 5, bf, 0, 4, 0f, cf, 2, 4)),
                new Case("sgemm b null", IllegalArgumentException.class, "sgemm: b must be non-null",
                        () -> Blas.sgemm(N, N, 3, 4, 5, 1f, af, 0, 5, null, 0, 4, 0f, cf, 0, 4)),
                new Case("sgemm alpha NaN", IllegalArgumentException.class, "alpha must be finite, got NaN",
                        () -> Blas.sgemm(N, N, 3, 4, 5, Float.NaN, af, 0, 5, bf, 0, 4, 0f, cf, 0, 4)),
                new Case("dgemv lda too small", IllegalArgumentException.class, "dgemv: lda must be >= max(1, 5)",
                        () -> Blas.dgemv(N, 3, 5, 1, a, 0, 4, x5, 0, 1, 0, y3, 0, 1)),
                new Case("dgemv x too short", IndexOutOfBoundsException.class, "x.length must be >= 9",
                        () -> Blas.dgemv(N, 3, 5, 1, a, 0, 5, x5, 0, 2, 0, y3, 0, 1)),
                new Case("dgemv x too short transposed", IndexOutOfBoundsException.class, "y.length must be >= 5",
                        () -> Blas.dgemv(T, 3, 5, 1, a, 0, 5, y3, 0, 1, 0, y3, 0, 1)),
                new Case("dgemv incx zero", IllegalArgumentException.class, "incx must be >= 1",
                        () -> Blas.dgemv(N, 3, 5, 1, a, 0, 5, x5, 0, 0, 0, y3, 0, 1)),
                new Case("dgemv incy negative", IllegalArgumentException.class, "incy must be >= 1",
                        () -> Blas.dgemv(N, 3, 5, 1, a, 0, 5, x5, 0, 1, 0, y3, 2, -1)),
                new Case("dgemv yOff past end", IndexOutOfBoundsException.class, "y.length must be >= 4",
                        () -> Blas.dgemv(N, 3, 5, 1, a, 0, 5, x5, 0, 1, 0, y3, 1, 1)),
                new Case("dgemv trans null", IllegalArgumentException.class, "trans must be non-null",
                        () -> Blas.dgemv(null, 3, 5, 1, a, 0, 5, x5, 0, 1, 0, y3, 0, 1)),
                new Case("sgemv a too short", IndexOutOfBoundsException.class, "sgemv: a.length must be",
                        () -> Blas.sgemv(N, 4, 5, 1f, af, 0, 5, x5f, 0, 1, 0f, new float[4], 0, 1)),
                new Case("sgemv m < 0", IllegalArgumentException.class, "m must be >= 0, got -1",
                        () -> Blas.sgemv(N, -1, 5, 1f, af, 0, 5, x5f, 0, 1, 0f, y3f, 0, 1)),
                new Case("daxpy n < 0", IllegalArgumentException.class, "daxpy: n must be >= 0, got -1",
                        () -> Blas.daxpy(-1, 1, x5, 0, 1, y3, 0, 1)),
                new Case("daxpy y too short", IndexOutOfBoundsException.class, "y.length must be >= 5",
                        () -> Blas.daxpy(5, 1, x5, 0, 1, y3, 0, 1)),
                new Case("daxpy alpha NaN", IllegalArgumentException.class, "alpha must be finite, got NaN",
                        () -> Blas.daxpy(3, Double.NaN, x5, 0, 1, y3, 0, 1)),
                new Case("daxpy incx zero", IllegalArgumentException.class, "incx must be >= 1",
                        () -> Blas.daxpy(3, 1, x5, 0, 0, y3, 0, 1)),
                new Case("ddot x offset", IndexOutOfBoundsException.class, "x.length must be >= 6",
                        () -> Blas.ddot(3, x5, 3, 1, y3, 0, 1)),
                new Case("ddot y null", IllegalArgumentException.class, "ddot: y must be non-null",
                        () -> Blas.ddot(3, x5, 0, 1, null, 0, 1)),
                new Case("setThreads 0", IllegalArgumentException.class, "threads must be >= 1, got 0",
                        () -> Blas.setThreads(0)));
    }

    @TestFactory
    Stream<DynamicTest> eachInvalidArgumentRaisesTheDocumentedException() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            RuntimeException e = assertThrows(k.type(), k.call());
            assertTrue(e.getMessage().contains(k.mentions()), () -> "message '" + e.getMessage() + "' lacks '" + k.mentions() + "'");
            assertValidProductStillWorks();
        }));
    }

    /**
     * Random argument tuples around the valid region: the facade must throw exactly when the independently stated
     * BLAS rules are broken, and compute otherwise (through OpenBLAS when it is loaded).
     */
    @Test
    void randomArgumentsAreAcceptedExactlyWhenValid() {
        SplittableRandom rnd = new SplittableRandom(2024);
        int rejected = 0, accepted = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            Transpose ta = rnd.nextBoolean() ? T : N, tb = rnd.nextBoolean() ? T : N;
            int m = rnd.nextInt(-1, 6), n = rnd.nextInt(-1, 6), k = rnd.nextInt(-1, 6);
            int lda = rnd.nextInt(-1, 8), ldb = rnd.nextInt(-1, 8), ldc = rnd.nextInt(-1, 8);
            int aOff = rnd.nextInt(-1, 4), bOff = rnd.nextInt(-1, 4), cOff = rnd.nextInt(-1, 4);
            double[] ra = new double[rnd.nextInt(0, 40)], rb = new double[rnd.nextInt(0, 40)], rc = new double[rnd.nextInt(0, 40)];
            boolean valid = m >= 0 && n >= 0 && k >= 0
                    && lda >= Math.max(1, ta == N ? k : m) && ldb >= Math.max(1, tb == N ? n : k) && ldc >= Math.max(1, n)
                    && fits(ra.length, aOff, ta == N ? m : k, ta == N ? k : m, lda)
                    && fits(rb.length, bOff, tb == N ? k : n, tb == N ? n : k, ldb)
                    && fits(rc.length, cOff, m, n, ldc);
            try {
                Blas.dgemm(ta, tb, m, n, k, 1.0, ra, aOff, lda, rb, bOff, ldb, 0.5, rc, cOff, ldc);
                assertTrue(valid, () -> "accepted an invalid tuple");
                accepted++;
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                assertTrue(!valid, () -> "rejected a valid tuple: " + e.getMessage());
                rejected++;
            }
        }
        assertTrue(accepted > 300 && rejected > 1000, "both sides explored: accepted " + accepted + ", rejected " + rejected);
        assertValidProductStillWorks();
    }

    private static boolean fits(int length, int off, int rows, int cols, int ld) {
        if (off < 0) {
            return false;
        }
        return rows == 0 || cols == 0 || off + (long) (rows - 1) * ld + cols <= length; // an empty matrix reads nothing
    }

    @AfterAll
    static void jvmIsStillHealthy() {
        assertValidProductStillWorks();
    }

    private static void assertValidProductStillWorks() {
        double[] x = {1, 2, 3, 4}, y = {5, 6, 7, 8}, z = new double[4];
        Blas.dgemm(N, N, 2, 2, 2, 1.0, x, 0, 2, y, 0, 2, 0.0, z, 0, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, z);
    }
}
