package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The float GEMM (kernel and dispatcher) against the naive triple loop computed in double from the same floats. */
class GemmF32Test {

    private static final int L = Simd.FLOAT_LANES;

    @AfterEach
    void restoreThresholds() {
        GemmF32.resetThresholds();
    }

    /** Degenerate, every remainder of the 4-row × 2-vector block and of the masked tail, the MLP shapes, k blocks. */
    static Stream<Arguments> cases() {
        List<int[]> s = new ArrayList<>();
        for (int m : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 17}) {
            for (int n : new int[] {1, L - 1, L, L + 1, 2 * L, 2 * L + 1, 3 * L + 3}) s.add(new int[] {m, n, 1 + (m * n) % 6});
        }
        s.add(new int[] {0, 5, 3});
        s.add(new int[] {5, 0, 3});
        s.add(new int[] {5, 3, 0});
        s.add(new int[] {1, 50, 2});
        s.add(new int[] {1, 50, 50});
        s.add(new int[] {1, 2, 50});
        s.add(new int[] {16, 50, 2});
        s.add(new int[] {16, 50, 50});
        s.add(new int[] {16, 2, 50});
        s.add(new int[] {1024, 64, 2});
        s.add(new int[] {64, 32, 256});
        s.add(new int[] {160, 160, 160}); // above the default OpenBLAS threshold
        for (int m : new int[] {1, 4, 5}) {
            for (int n : new int[] {1, 3, L - 1}) for (int k : new int[] {L, L + 1, 2 * L + 3, 50}) s.add(new int[] {m, n, k});
        }
        s.add(new int[] {9, 2 * L + 1, GemmKernelF32.KC + 1});
        // narrow C at least one vector tall: Aᵀ·B down C's columns (an input layer's weight cotangent)
        for (int m : new int[] {L, L + 1, 2 * L, 2 * L + 5, 3 * L + 1, 64}) {
            for (int n : new int[] {1, 2, 3, L - 1}) s.add(new int[] {m, n, 1 + (m + n) % 9});
        }
        s.add(new int[] {64, 2, 1024});
        List<Arguments> out = new ArrayList<>();
        for (int[] x : s) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) out.add(Arguments.of(ta, tb, x[0], x[1], x[2]));
            }
        }
        return out.stream();
    }

    /** A random float problem with padded leading dimensions and offsets. */
    record Problem(Transpose ta, Transpose tb, int m, int n, int k, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        static Problem random(Transpose ta, Transpose tb, int m, int n, int k, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int aRows = ta == Transpose.NO ? m : k, aCols = ta == Transpose.NO ? k : m;
            int bRows = tb == Transpose.NO ? k : n, bCols = tb == Transpose.NO ? n : k;
            int lda = Math.max(1, aCols + 3), ldb = Math.max(1, bCols + 1), ldc = Math.max(1, n + 2);
            return new Problem(ta, tb, m, n, k, floats(rnd, 5 + aRows * lda), 5, lda, floats(rnd, 2 + bRows * ldb), 2, ldb,
                    floats(rnd, 3 + m * ldc + 4), 3, ldc);
        }

        float[] run(boolean dispatch, float alpha, float beta) {
            float[] out = c.clone();
            if (dispatch) GemmF32.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            else GemmKernelF32.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        double av(int i, int p) {
            return ta == Transpose.NO ? a[aOff + i * lda + p] : a[aOff + p * lda + i];
        }

        double bv(int p, int j) {
            return tb == Transpose.NO ? b[bOff + p * ldb + j] : b[bOff + j * ldb + p];
        }

        /**
         * Element by element: outside C nothing is written; inside, the result equals the double-precision product of
         * the same floats within the float bound {@code (k + 2)·2⁻²³·(|α|·Σ|a·b| + |β·c|)}.
         */
        void assertClose(float[] got, float alpha, float beta, String what) {
            for (int idx = 0; idx < got.length; idx++) {
                int r = idx - cOff;
                if (!(r >= 0 && r / ldc < m && r % ldc < n)) {
                    assertEquals(c[idx], got[idx], 0.0f, what + ": element " + idx + " outside C was written");
                    continue;
                }
                int i = r / ldc, j = r % ldc;
                double exact = 0, scale = 0;
                for (int p = 0; p < k; p++) {
                    exact += av(i, p) * bv(p, j);
                    scale += Math.abs(av(i, p) * bv(p, j));
                }
                double want = alpha * exact + (beta == 0 ? 0 : beta * (double) c[idx]);
                double tol = (k + 2) * 0x1p-23 * (Math.abs(alpha) * scale + Math.abs(beta * c[idx])) + Float.MIN_NORMAL;
                assertEquals(want, got[idx], tol, what + " at (" + i + ", " + j + ")");
            }
        }
    }

    static float[] floats(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2 * rnd.nextDouble() - 1);
        return x;
    }

    @ParameterizedTest(name = "{0}{1} m={2} n={3} k={4}")
    @MethodSource("cases")
    void kernelAndDispatcherMatchTheDoubleProduct(Transpose ta, Transpose tb, int m, int n, int k) {
        Problem p = Problem.random(ta, tb, m, n, k, 1000L * m + 31L * n + k);
        float[][] ab = {{1.0f, 0.0f}, {-0.75f, 1.0f}, {2.0f, -0.5f}};
        for (float[] alphaBeta : ab) {
            float alpha = alphaBeta[0], beta = alphaBeta[1];
            p.assertClose(p.run(false, alpha, beta), alpha, beta, "kernel α=" + alpha + " β=" + beta);
            p.assertClose(p.run(true, alpha, beta), alpha, beta, "dispatch α=" + alpha + " β=" + beta);
        }
    }

    @Test
    void dispatcherFollowsItsOwnThresholds() {
        GemmF32.setThresholds(new GemmThresholds(0, 0));
        assertEquals(Blas.isAvailable() ? Gemm.Backend.OPENBLAS : Gemm.Backend.JAVA, GemmF32.backendFor(2, 2, 2));
        assertEquals(Gemm.thresholds(), GemmThresholds.fromSystemProperties(), "the f64 dispatcher is left alone");
        Problem p = Problem.random(Transpose.YES, Transpose.YES, 16, 50, 50, 3);
        p.assertClose(p.run(true, 1.5f, 0.5f), 1.5f, 0.5f, "OpenBLAS sgemm");
        GemmF32.setThresholds(new GemmThresholds(Long.MAX_VALUE, 1));
        assertEquals(Gemm.Backend.JAVA, GemmF32.backendFor(4096, 4096, 4096));
        p.assertClose(p.run(true, 1.5f, 0.5f), 1.5f, 0.5f, "Java kernel");
    }

    @Test
    void betaZeroOverwritesNanAndAlphaZeroScalesC() {
        for (int n : new int[] {3, 2 * L + 5}) {
            Problem p = Problem.random(Transpose.NO, Transpose.YES, 5, n, 2 * L, 9);
            java.util.Arrays.fill(p.c, Float.NaN);
            float[] got = p.run(false, 1.0f, 0.0f);
            for (int i = 0; i < 5; i++) for (int j = 0; j < n; j++) assertTrue(Float.isFinite(got[p.cOff + i * p.ldc + j]));
        }
        Problem q = Problem.random(Transpose.YES, Transpose.NO, 5, 11, 4, 10);
        q.a[q.aOff] = Float.POSITIVE_INFINITY; // α = 0: A is not read, as in the reference BLAS
        float[] scaled = q.run(true, 0.0f, -2.0f);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 11; j++) assertEquals(-2.0f * q.c[q.cOff + i * q.ldc + j], scaled[q.cOff + i * q.ldc + j]);
        }
    }

    /** The float entry point applies the very rules (and messages) of the double one. */
    @Test
    void argumentsAreCheckedByGemmsRules() {
        float[] a = new float[12], b = new float[12], c = new float[12];
        Transpose no = Transpose.NO;
        GemmTest.assertMessage(IllegalArgumentException.class, "m must be >= 0, got -1",
                () -> GemmF32.sgemm(no, no, -1, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        GemmTest.assertMessage(IllegalArgumentException.class, "lda must be >= max(1, 3)",
                () -> GemmF32.sgemm(no, no, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        GemmTest.assertMessage(IndexOutOfBoundsException.class, "b.length must be >= 14 (b is 3×4 with ld = 4 from offset 2), got 12",
                () -> GemmF32.sgemm(no, no, 2, 4, 3, 1, a, 0, 3, b, 2, 4, 0, c, 0, 4));
        GemmTest.assertMessage(IllegalArgumentException.class, "c must not overlap a",
                () -> GemmF32.sgemm(no, no, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, a, 3, 2));
        GemmTest.assertMessage(IllegalArgumentException.class, "alpha must be finite, got NaN",
                () -> GemmF32.sgemmJava(no, no, 2, 2, 2, Float.NaN, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        GemmTest.assertMessage(IllegalArgumentException.class, "b must be non-null",
                () -> GemmF32.sgemm(no, no, 2, 2, 2, 1, a, 0, 2, null, 0, 2, 0, c, 0, 2));
        // C in the same array as A but not overlapping it is legal
        float[] shared = new float[8];
        shared[0] = 2;
        GemmF32.sgemm(no, no, 1, 1, 1, 1, shared, 0, 1, new float[] {3}, 0, 1, 0, shared, 4, 1);
        assertEquals(6.0f, shared[4]);
    }
}
