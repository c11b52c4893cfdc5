package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GemmTest {

    private static final int L = TestData.LANES;

    @AfterEach
    void restoreThresholds() {
        Gemm.resetThresholds();
    }

    /** Size classes: degenerate, every remainder of the 4-row × 3-vector block, the MLP shapes, above the threshold. */
    static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        int[] small = {1, 2, 3, 4, 5, 7, 8, 9};
        for (int m : small) for (int n : new int[] {1, L - 1, L, L + 1, 3 * L, 3 * L + 1, 4 * L + 3}) s.add(new int[] {m, n, 1 + (m * n) % 6});
        s.add(new int[] {0, 5, 3});
        s.add(new int[] {5, 0, 3});
        s.add(new int[] {5, 3, 0});
        // the MLP shapes m×k×n of the issue, given here as {m, n, k}
        s.add(new int[] {16, 50, 2});
        s.add(new int[] {16, 50, 50});
        s.add(new int[] {16, 2, 50});
        s.add(new int[] {1024, 64, 2});
        s.add(new int[] {130, 70, 300});
        s.add(new int[] {160, 160, 160}); // above the default OpenBLAS threshold
        // C narrower than a vector with k of at least a vector: the dot-product form for A·Bᵀ (full and masked k tails)
        for (int m : new int[] {1, 4, 5, 9}) {
            for (int n : new int[] {1, 3, L - 1}) for (int k : new int[] {L, L + 1, 50}) s.add(new int[] {m, n, k});
        }
        // k blocks and row blocks of the kernel (KC = 128, MC = 512) with every panel width
        s.add(new int[] {520, 4 * L + 3, 2 * GemmKernel.KC + 5});
        s.add(new int[] {9, 2 * L + 1, GemmKernel.KC + 1});
        return s;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes()) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) out.add(Arguments.of(ta, tb, s[0], s[1], s[2]));
            }
        }
        return out.stream();
    }

    /** A random op(A)·op(B) problem stored with padded leading dimensions and offsets. */
    record Problem(Transpose ta, Transpose tb, int m, int n, int k, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        static Problem random(Transpose ta, Transpose tb, int m, int n, int k, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int aRows = ta == Transpose.NO ? m : k, aCols = ta == Transpose.NO ? k : m;
            int bRows = tb == Transpose.NO ? k : n, bCols = tb == Transpose.NO ? n : k;
            int lda = Math.max(1, aCols + 3), ldb = Math.max(1, bCols + 1), ldc = Math.max(1, n + 2);
            return new Problem(ta, tb, m, n, k, TestData.uniform(rnd, 5 + aRows * lda, 1.0), 5, lda,
                    TestData.uniform(rnd, 2 + bRows * ldb, 1.0), 2, ldb,
                    TestData.uniform(rnd, 3 + m * ldc + 4, 1.0), 3, ldc);
        }

        double[] run(Backend backend, double alpha, double beta) {
            double[] out = c.clone();
            switch (backend) {
                case NAIVE -> Gemm.naive(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
                case KERNEL -> GemmKernel.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
                case DISPATCH -> Gemm.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            }
            return out;
        }

        /** |α|·Σ_p |op(A)_ip|·|op(B)_pj| + |β|·|C_ij|: the scale of the rounding error of element (i, j). */
        double scale(int i, int j, double alpha, double beta) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                double av = ta == Transpose.NO ? a[aOff + i * lda + p] : a[aOff + p * lda + i];
                double bv = tb == Transpose.NO ? b[bOff + p * ldb + j] : b[bOff + j * ldb + p];
                s += Math.abs(av * bv);
            }
            return Math.abs(alpha) * s + Math.abs(beta * c[cOff + i * ldc + j]);
        }
    }

    enum Backend { NAIVE, KERNEL, DISPATCH }

    static void assertClose(Problem p, double[] want, double[] got, double alpha, double beta, String what) {
        for (int idx = 0; idx < want.length; idx++) {
            int r = idx - p.cOff;
            boolean inC = r >= 0 && r / p.ldc < p.m && r % p.ldc < p.n;
            if (!inC) {
                assertEquals(p.c[idx], got[idx], 0.0, what + ": element " + idx + " outside C was written");
                continue;
            }
            double tol = 1e-13 * Math.max(p.scale(r / p.ldc, r % p.ldc, alpha, beta), Double.MIN_NORMAL);
            assertEquals(want[idx], got[idx], tol, what + " at (" + r / p.ldc + ", " + r % p.ldc + ")");
        }
    }

    @ParameterizedTest(name = "{0}{1} m={2} n={3} k={4}")
    @MethodSource("cases")
    void kernelAndDispatcherMatchNaive(Transpose ta, Transpose tb, int m, int n, int k) {
        Problem p = Problem.random(ta, tb, m, n, k, 1000L * m + 31L * n + k);
        double[][] ab = {{1.0, 0.0}, {-0.75, 1.0}, {2.0, -0.5}};
        for (double[] alphaBeta : ab) {
            double alpha = alphaBeta[0], beta = alphaBeta[1];
            double[] want = p.run(Backend.NAIVE, alpha, beta);
            assertClose(p, want, p.run(Backend.KERNEL, alpha, beta), alpha, beta, "kernel α=" + alpha + " β=" + beta);
            assertClose(p, want, p.run(Backend.DISPATCH, alpha, beta), alpha, beta, "dispatch α=" + alpha + " β=" + beta);
        }
    }

    @Test
    void dispatcherMatchesNaiveWhateverTheThresholds() {
        for (GemmThresholds t : new GemmThresholds[] {new GemmThresholds(0, 0), new GemmThresholds(Long.MAX_VALUE, 1),
                GemmThresholds.MEASURED}) {
            Gemm.setThresholds(t);
            for (int[] s : new int[][] {{16, 50, 2}, {64, 64, 64}, {160, 160, 160}, {3, 200, 7}}) {
                for (Transpose ta : Transpose.values()) {
                    for (Transpose tb : Transpose.values()) {
                        Problem p = Problem.random(ta, tb, s[0], s[1], s[2], s[0] + s[1] + s[2]);
                        assertClose(p, p.run(Backend.NAIVE, 1.5, 0.5), p.run(Backend.DISPATCH, 1.5, 0.5), 1.5, 0.5,
                                t + " " + ta + tb + " " + java.util.Arrays.toString(s));
                    }
                }
            }
        }
    }

    @Test
    void backendChoiceFollowsThresholds() {
        Gemm.setThresholds(new GemmThresholds(1000, 4));
        assertEquals(Gemm.Backend.JAVA, Gemm.backendFor(9, 10, 10));
        assertEquals(Gemm.Backend.JAVA, Gemm.backendFor(100, 100, 3));
        assertEquals(Blas.isAvailable() ? Gemm.Backend.OPENBLAS : Gemm.Backend.JAVA, Gemm.backendFor(10, 10, 10));
        Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1));
        assertEquals(Gemm.Backend.JAVA, Gemm.backendFor(4096, 4096, 4096));
        assertTrue(GemmThresholds.MEASURED.preferBlas(512, 512, 512));
        assertTrue(!GemmThresholds.MEASURED.preferBlas(16, 50, 50));
        assertTrue(!GemmThresholds.MEASURED.preferBlas(256, 256, 32), "256×32×256: the aligned Java kernel is faster");
        assertTrue(GemmThresholds.MEASURED.preferBlas(256, 256, 256));
        assertTrue(!GemmThresholds.MEASURED.preferBlas(1024, 64, 64));
        assertTrue(!GemmThresholds.MEASURED.preferBlas(256, 32, 256));
        Gemm.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1, 100));
        assertEquals(Blas.isAvailable() ? Gemm.Backend.OPENBLAS : Gemm.Backend.JAVA, Gemm.backendFor(100, 100, 1));
        assertEquals(Gemm.Backend.JAVA, Gemm.backendFor(100, 99, 4096));
        assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(0, 0, -1));
    }

    @Test
    void systemPropertiesOverrideTheRuleInForce() {
        System.setProperty(GemmThresholds.VOLUME_PROPERTY, "12345");
        System.setProperty(GemmThresholds.DIMENSION_PROPERTY, "7");
        try {
            GemmThresholds rule = GemmThresholds.rule(GemmPlatform.current(), false);
            assertEquals(new GemmThresholds(12345, 7, rule.minBlasOutputSide(), rule.minBlasBackwardVolume(),
                    rule.minBlasBackwardDimension(), rule.maxBlasBackwardVolume(), rule.minBlasVjpRows(),
                    rule.minBlasBackwardColumns(), rule.minJavaDepthPerColumn(), rule.minJavaDepthPerRow(),
                    rule.minJavaDepthSide()),
                    GemmThresholds.fromSystemProperties());
            System.setProperty(GemmThresholds.OUTPUT_SIDE_PROPERTY, "99");
            System.setProperty(GemmThresholds.BACKWARD_VOLUME_PROPERTY, "5");
            System.setProperty(GemmThresholds.VJP_ROWS_PROPERTY, "3");
            assertEquals(new GemmThresholds(12345, 7, 99, 5, rule.minBlasBackwardDimension(),
                    rule.maxBlasBackwardVolume(), 3, rule.minBlasBackwardColumns(), rule.minJavaDepthPerColumn(),
                    rule.minJavaDepthPerRow(), rule.minJavaDepthSide()), GemmThresholds.fromSystemProperties());
            System.setProperty(GemmThresholds.VOLUME_PROPERTY, "-3");
            var e = assertThrows(IllegalArgumentException.class, GemmThresholds::fromSystemProperties);
            assertTrue(e.getMessage().contains(GemmThresholds.VOLUME_PROPERTY) && e.getMessage().contains("-3"));
        } finally {
            System.clearProperty(GemmThresholds.VOLUME_PROPERTY);
            System.clearProperty(GemmThresholds.BACKWARD_VOLUME_PROPERTY);
            System.clearProperty(GemmThresholds.VJP_ROWS_PROPERTY);
            System.clearProperty(GemmThresholds.DIMENSION_PROPERTY);
            System.clearProperty(GemmThresholds.OUTPUT_SIDE_PROPERTY);
        }
        assertEquals(GemmThresholds.rule(GemmPlatform.current(), false), GemmThresholds.fromSystemProperties());
        assertThrows(IllegalArgumentException.class, () -> new GemmThresholds(-1, 0));
    }

    @Test
    void betaZeroOverwritesNanAndAlphaZeroScalesC() {
        Problem p = Problem.random(Transpose.NO, Transpose.YES, 5, 11, 4, 9);
        java.util.Arrays.fill(p.c, Double.NaN);
        double[] got = p.run(Backend.DISPATCH, 1.0, 0.0);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 11; j++) assertTrue(Double.isFinite(got[p.cOff + i * p.ldc + j]));
        Problem q = Problem.random(Transpose.YES, Transpose.NO, 5, 11, 4, 10);
        q.a[q.aOff] = Double.POSITIVE_INFINITY; // α = 0: A is not read, as in the reference BLAS
        double[] scaled = q.run(Backend.DISPATCH, 0.0, -2.0);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 11; j++) {
                int ci = q.cOff + i * q.ldc + j;
                assertEquals(-2.0 * q.c[ci], scaled[ci], 0.0);
            }
        }
    }

    @Test
    void nanAndInfInInputsPropagate() {
        Problem p = Problem.random(Transpose.NO, Transpose.NO, 6, 3 * L + 2, 5, 11);
        p.a[p.aOff + 2 * p.lda + 1] = Double.NaN; // row 2 of A
        p.b[p.bOff + 3 * p.ldb + 1] = Double.POSITIVE_INFINITY; // row 3 of B: column 1 of C
        double[] want = p.run(Backend.NAIVE, 1.0, 1.0);
        double[] got = p.run(Backend.DISPATCH, 1.0, 1.0);
        for (int i = 0; i < p.m; i++) {
            for (int j = 0; j < p.n; j++) {
                int ci = p.cOff + i * p.ldc + j;
                assertEquals(Double.isNaN(want[ci]), Double.isNaN(got[ci]), "(" + i + ", " + j + ")");
                if (Double.isInfinite(want[ci])) assertEquals(want[ci], got[ci]);
            }
        }
        assertTrue(Double.isNaN(got[p.cOff + 2 * p.ldc]));
    }

    @Test
    void argumentsAreCheckedWithNamesAndValues() {
        double[] a = new double[12], b = new double[12], c = new double[12];
        Transpose no = Transpose.NO;
        assertMessage(IllegalArgumentException.class, "m must be >= 0, got -1",
                () -> Gemm.dgemm(no, no, -1, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        assertMessage(IllegalArgumentException.class, "lda must be >= max(1, 3)",
                () -> Gemm.dgemm(no, no, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        assertMessage(IllegalArgumentException.class, "ldb must be >= max(1, 4)",
                () -> Gemm.dgemm(no, Transpose.YES, 2, 2, 4, 1, a, 0, 4, b, 0, 2, 0, c, 0, 2));
        assertMessage(IllegalArgumentException.class, "ldc must be >= max(1, 5)",
                () -> Gemm.dgemm(no, no, 2, 5, 1, 1, a, 0, 1, b, 0, 5, 0, c, 0, 4));
        assertMessage(IndexOutOfBoundsException.class, "aOff must be >= 0, got -2",
                () -> Gemm.dgemm(no, no, 2, 2, 2, 1, a, -2, 2, b, 0, 2, 0, c, 0, 2));
        assertMessage(IndexOutOfBoundsException.class, "b.length must be >= 14 (b is 3×4 with ld = 4 from offset 2), got 12",
                () -> Gemm.dgemm(no, no, 2, 4, 3, 1, a, 0, 3, b, 2, 4, 0, c, 0, 4));
        assertMessage(IllegalArgumentException.class, "c must not overlap a",
                () -> Gemm.dgemm(no, no, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, a, 3, 2));
        assertMessage(IllegalArgumentException.class, "alpha must be finite, got NaN",
                () -> Gemm.dgemm(no, no, 2, 2, 2, Double.NaN, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        assertMessage(IllegalArgumentException.class, "beta must be finite, got -Infinity",
                () -> Gemm.dgemm(no, no, 2, 2, 2, 1, a, 0, 2, b, 0, 2, Double.NEGATIVE_INFINITY, c, 0, 2));
        assertMessage(IllegalArgumentException.class, "ta must be non-null", () -> Gemm.dgemm(null, no, 1, 1, 1, 1, a, 0, 1, b, 0, 1, 0, c, 0, 1));
        // an empty product touches nothing, whatever the offsets into empty arrays
        Gemm.dgemm(no, no, 0, 0, 0, 1, new double[0], 0, 1, new double[0], 0, 1, 0, new double[0], 0, 1);
    }

    /** The dispatcher's one-expression check against the rules written out one by one, over random argument sets. */
    @Test
    void fastCheckAcceptsExactlyTheValidArguments() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] shared = new double[40];
        for (int trial = 0; trial < 20_000; trial++) {
            Transpose ta = Transpose.of(rnd.nextBoolean()), tb = Transpose.of(rnd.nextBoolean());
            int m = rnd.nextInt(-1, 5), n = rnd.nextInt(-1, 5), k = rnd.nextInt(-1, 5);
            int lda = rnd.nextInt(0, 6), ldb = rnd.nextInt(0, 6), ldc = rnd.nextInt(0, 6);
            int aOff = rnd.nextInt(-1, 8), bOff = rnd.nextInt(-1, 8), cOff = rnd.nextInt(-1, 8);
            double[] a = rnd.nextInt(4) == 0 ? shared : new double[rnd.nextInt(0, 30)];
            double[] b = rnd.nextInt(4) == 0 ? shared : new double[rnd.nextInt(0, 30)];
            double[] c = rnd.nextInt(3) == 0 ? shared : new double[rnd.nextInt(0, 30)];
            double alpha = rnd.nextInt(20) == 0 ? Double.NaN : 1.0, beta = rnd.nextInt(20) == 0 ? Double.POSITIVE_INFINITY : 0.5;
            boolean valid = valid(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            boolean threw = false;
            try {
                Gemm.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                threw = true;
            }
            assertEquals(!valid, threw, () -> "ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k
                    + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " offsets " + aOff + "," + bOff + "," + cOff
                    + " lengths " + a.length + "," + b.length + "," + c.length + " shared " + (a == shared) + (b == shared)
                    + (c == shared));
        }
    }

    private static boolean valid(Transpose ta, Transpose tb, int m, int n, int k, double alpha, double[] a, int aOff,
                                 int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0 || !Double.isFinite(alpha) || !Double.isFinite(beta)) return false;
        int aRows = ta == Transpose.NO ? m : k, aCols = ta == Transpose.NO ? k : m;
        int bRows = tb == Transpose.NO ? k : n, bCols = tb == Transpose.NO ? n : k;
        if (lda < Math.max(1, aCols) || ldb < Math.max(1, bCols) || ldc < Math.max(1, n)) return false;
        if (aOff < 0 || bOff < 0 || cOff < 0) return false;
        // every element read or written, as index sets
        Set<Integer> readA = elements(aOff, aRows, aCols, lda), readB = elements(bOff, bRows, bCols, ldb);
        Set<Integer> written = elements(cOff, m, n, ldc);
        if (readA.stream().anyMatch(i -> i >= a.length) || readB.stream().anyMatch(i -> i >= b.length)
                || written.stream().anyMatch(i -> i >= c.length)) {
            return false;
        }
        // overlap is judged on the spans [first, last] of the two matrices, as the dispatcher documents
        return !(c == a && spansMeet(written, readA)) && !(c == b && spansMeet(written, readB));
    }

    private static Set<Integer> elements(int off, int rows, int cols, int ld) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) s.add(off + i * ld + j);
        return s;
    }

    private static boolean spansMeet(Set<Integer> x, Set<Integer> y) {
        if (x.isEmpty() || y.isEmpty()) return false;
        int xLo = Collections.min(x), xHi = Collections.max(x);
        int yLo = Collections.min(y), yHi = Collections.max(y);
        return xLo <= yHi && yLo <= xHi;
    }

    static void assertMessage(Class<? extends RuntimeException> type, String fragment, Runnable call) {
        RuntimeException e = assertThrows(type, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
