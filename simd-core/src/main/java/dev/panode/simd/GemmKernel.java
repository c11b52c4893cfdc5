package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import dev.panode.blas.Transpose;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * The pure-Java register-blocked GEMM: row-major {@code C = α·op(A)·op(B) + β·C}, all four transpose combinations,
 * the same arguments as {@link Gemm#dgemm}.
 *
 * <p>The micro-kernel keeps a 4-row × 3-vector block of C (12 accumulators; 4 × 24 with AVX-512) in registers and,
 * for each {@code p < k}, loads three vectors of row {@code p} of {@code op(B)}, broadcasts four elements of column
 * {@code p} of {@code op(A)} and issues twelve FMAs (the broadcast form of Goto &amp; van de Geijn 2008, without the
 * A-packing that only pays for large k). {@code op(A)} is read by strides, so a transposed A costs nothing; a
 * transposed B is first packed into a row-major panel of at most {@value #PACK_CAPACITY} doubles, held per thread, so
 * that the vector loads are contiguous. The last partial vector of each row is masked. Cost: {@code m·n·k} FMAs plus,
 * for {@code op(B) = Bᵀ}, one pass over B.
 *
 * <p>Unchecked: {@link Gemm#dgemm} checks the arguments and chooses between this kernel and OpenBLAS. Use this class
 * directly only to benchmark it. It is fastest for the small and skinny products of an MLP over a modest batch;
 * for large square products (about 512³ on an AVX-512 server) OpenBLAS is several times faster.
 * Nothing is allocated after the first call on a thread (the packing panel grows once).
 */
public final class GemmKernel {
    private GemmKernel() {}

    /** Doubles in the per-thread panel that holds a packed {@code op(B) = Bᵀ} (512 KiB). */
    static final int PACK_CAPACITY = 1 << 16;
    private static final int MR = 4;
    private static final int NR = 3 * LANES;
    private static final ThreadLocal<double[][]> PANEL = ThreadLocal.withInitial(() -> new double[1][0]);

    /** Unchecked {@code C = α·op(A)·op(B) + β·C}; see {@link Gemm#dgemm} for the meaning of every argument. */
    public static void dgemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0.0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        int ars = ta == Transpose.NO ? lda : 1;
        int acs = ta == Transpose.NO ? 1 : lda;
        if (tb == Transpose.NO) {
            block(m, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // op(B)[p][j] = b[bOff + j·ldb + p]: pack kc rows of op(B) at a time into a row-major kc × n panel.
        int kc = Math.max(1, Math.min(k, PACK_CAPACITY / n));
        double[] panel = panel(kc * n);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            pack(b, bOff + p0, ldb, kb, n, panel);
            block(m, n, kb, alpha, a, aOff + p0 * acs, ars, acs, panel, 0, n, p0 == 0 ? beta : 1.0, c, cOff, ldc);
        }
    }

    /**
     * {@code panel[p·n + j] = b[src + j·ldb + p]}: four columns of the panel per pass, so that the writes are
     * contiguous runs and the reads four sequential streams.
     */
    private static void pack(double[] b, int src, int ldb, int kb, int n, double[] panel) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int s0 = src + j * ldb, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
            for (int p = 0, d = j; p < kb; p++, d += n) {
                panel[d] = b[s0 + p];
                panel[d + 1] = b[s1 + p];
                panel[d + 2] = b[s2 + p];
                panel[d + 3] = b[s3 + p];
            }
        }
        for (; j < n; j++) {
            int s0 = src + j * ldb;
            for (int p = 0, d = j; p < kb; p++, d += n) panel[d] = b[s0 + p];
        }
    }

    private static double[] panel(int size) {
        double[][] holder = PANEL.get();
        if (holder[0].length < size) holder[0] = new double[Math.max(size, Math.min(PACK_CAPACITY, 2 * size))];
        return holder[0];
    }

    /**
     * {@code C = α·op(A)·B + β·C} with {@code op(A)[i][p] = a[aOff + i·ars + p·acs]} and B row-major. Each kernel comes
     * in two variants: {@code ...Over} for β = 0 writes C without reading it (no NaN from C leaks in), {@code ...Acc}
     * adds β·C. No vector or mask crosses a method boundary and each method stays small, so C2 keeps every vector in
     * registers and nothing is allocated.
     */
    private static void block(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        boolean over = beta == 0.0;
        int full = SPECIES.loopBound(n);
        int i = 0;
        for (; i + MR <= m; i += MR) {
            int ai = aOff + i * ars, ci = cOff + i * ldc;
            int j = 0;
            for (; j + NR <= n; j += NR) {
                if (over) kernel4x3Over(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc);
                else kernel4x3Acc(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, beta, c, ci + j, ldc);
            }
            for (; j < full; j += LANES) {
                if (over) kernel4x1Over(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc);
                else kernel4x1Acc(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, beta, c, ci + j, ldc);
            }
            if (j < n) {
                if (over) kernel4x1MaskedOver(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc, n - j);
                else kernel4x1MaskedAcc(k, alpha, a, ai, ars, acs, b, bOff + j, ldb, beta, c, ci + j, ldc, n - j);
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * ars, ci = cOff + i * ldc;
            int j = 0;
            for (; j < full; j += LANES) {
                if (over) kernel1x1Over(k, alpha, a, ai, acs, b, bOff + j, ldb, c, ci + j);
                else kernel1x1Acc(k, alpha, a, ai, acs, b, bOff + j, ldb, beta, c, ci + j);
            }
            if (j < n) {
                if (over) kernel1x1MaskedOver(k, alpha, a, ai, acs, b, bOff + j, ldb, c, ci + j, n - j);
                else kernel1x1MaskedAcc(k, alpha, a, ai, acs, b, bOff + j, ldb, beta, c, ci + j, n - j);
            }
        }
    }

    private static void kernel4x3Over(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c00.mul(av).intoArray(c, ci);
        c01.mul(av).intoArray(c, ci + LANES);
        c02.mul(av).intoArray(c, ci + 2 * LANES);
        c10.mul(av).intoArray(c, ci + ldc);
        c11.mul(av).intoArray(c, ci + ldc + LANES);
        c12.mul(av).intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).intoArray(c, ci + 2 * ldc);
        c21.mul(av).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).intoArray(c, ci + 3 * ldc);
        c31.mul(av).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * LANES);
    }

    private static void kernel4x1Over(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci, int ldc) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci);
        c1.mul(av).intoArray(c, ci + ldc);
        c2.mul(av).intoArray(c, ci + 2 * ldc);
        c3.mul(av).intoArray(c, ci + 3 * ldc);
    }

    private static void kernel4x1MaskedOver(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci, int ldc, int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci, mask);
        c1.mul(av).intoArray(c, ci + ldc, mask);
        c2.mul(av).intoArray(c, ci + 2 * ldc, mask);
        c3.mul(av).intoArray(c, ci + 3 * ldc, mask);
    }

    private static void kernel1x1Over(int k, double alpha, double[] a, int ai, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs]).fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci);
    }

    private static void kernel1x1MaskedOver(int k, double alpha, double[] a, int ai, int acs,
                                  double[] b, int bj, int ldb, double[] c, int ci, int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs]).fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha);
        c0.mul(av).intoArray(c, ci, mask);
    }

    private static void kernel4x3Acc(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bp + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bp + 2 * LANES);
            int ap = ai + p * acs;
            DoubleVector a0 = DoubleVector.broadcast(SPECIES, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            DoubleVector a1 = DoubleVector.broadcast(SPECIES, a[ap + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            DoubleVector a2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            DoubleVector a3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c00.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c01.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + LANES).mul(bv)).intoArray(c, ci + LANES);
        c02.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * LANES);
        c10.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c11.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + LANES).mul(bv)).intoArray(c, ci + ldc + LANES);
        c12.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc + 2 * LANES).mul(bv)).intoArray(c, ci + ldc + 2 * LANES);
        c20.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c21.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES).mul(bv)).intoArray(c, ci + 2 * ldc + LANES);
        c22.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc + 2 * LANES).mul(bv)).intoArray(c, ci + 2 * ldc + 2 * LANES);
        c30.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
        c31.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES).mul(bv)).intoArray(c, ci + 3 * ldc + LANES);
        c32.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc + 2 * LANES).mul(bv)).intoArray(c, ci + 3 * ldc + 2 * LANES);
    }

    private static void kernel4x1Acc(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
        c1.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
        c2.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
        c3.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
    }

    private static void kernel4x1MaskedAcc(int k, double alpha, double[] a, int ai, int ars, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci, int ldc, int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask);
            int ap = ai + p * acs;
            c0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(b0, c3);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci, mask).mul(bv)).intoArray(c, ci, mask);
        c1.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + ldc, mask).mul(bv)).intoArray(c, ci + ldc, mask);
        c2.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 2 * ldc, mask).mul(bv)).intoArray(c, ci + 2 * ldc, mask);
        c3.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci + 3 * ldc, mask).mul(bv)).intoArray(c, ci + 3 * ldc, mask);
    }

    private static void kernel1x1Acc(int k, double alpha, double[] a, int ai, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs]).fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci).mul(bv)).intoArray(c, ci);
    }

    private static void kernel1x1MaskedAcc(int k, double alpha, double[] a, int ai, int acs,
                                  double[] b, int bj, int ldb, double beta, double[] c, int ci, int width) {
        VectorMask<Double> mask = SPECIES.indexInRange(0, width);
        DoubleVector c0 = DoubleVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            c0 = DoubleVector.broadcast(SPECIES, a[ai + p * acs]).fma(DoubleVector.fromArray(SPECIES, b, bj + p * ldb, mask), c0);
        }
        DoubleVector av = DoubleVector.broadcast(SPECIES, alpha), bv = DoubleVector.broadcast(SPECIES, beta);
        c0.mul(av).add(DoubleVector.fromArray(SPECIES, c, ci, mask).mul(bv)).intoArray(c, ci, mask);
    }

    /** {@code C = β·C} (the whole product when k = 0 or α = 0); β = 0 writes zeros. */
    static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        if (beta == 1.0) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0.0) {
                java.util.Arrays.fill(c, row, row + n, 0.0);
            } else {
                for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
    }
}
