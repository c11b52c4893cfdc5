package dev.panode.bench.simd;

import dev.panode.blas.Transpose;
import dev.panode.simd.GemmKernel;
import java.util.SplittableRandom;

/**
 * One product of the Java GEMM kernel ({@link GemmKernel#dgemm}) on tight random operands, named
 * {@code OPS:MxNxK:BETA}: OPS two letters, N or T, for op(A) and op(B) ({@code NT}: {@code A·Bᵀ}); m × n ← k; β 0 or 1
 * (then C is read and accumulates). For {@link GemmProductLoop}, and for {@code BuildDuet} (public field
 * {@code product}, {@code setUp()}, {@code run()}), which times two builds of the kernel in one JVM.
 */
public final class GemmProductCase {
    /** The product, {@code OPS:MxNxK:BETA}. */
    public String product;

    private Transpose ta, tb;
    private int m, n, k, lda, ldb;
    private double beta;
    private double[] a, b, c;

    public GemmProductCase() {}

    GemmProductCase(String product) {
        this.product = product;
        setUp();
    }

    /** Parses {@link #product} and fills the operands (the same seed every time). */
    public void setUp() {
        String[] p = product.split(":");
        String[] mnk = p[1].split("x");
        m = Integer.parseInt(mnk[0]);
        n = Integer.parseInt(mnk[1]);
        k = Integer.parseInt(mnk[2]);
        ta = p[0].charAt(0) == 'T' ? Transpose.YES : Transpose.NO;
        tb = p[0].charAt(1) == 'T' ? Transpose.YES : Transpose.NO;
        beta = Double.parseDouble(p[2]);
        lda = ta == Transpose.NO ? k : m;
        ldb = tb == Transpose.NO ? n : k;
        SplittableRandom random = new SplittableRandom(7);
        a = random.doubles((long) m * k, -1, 1).toArray();
        b = random.doubles((long) k * n, -1, 1).toArray();
        c = random.doubles((long) m * n, -1, 1).toArray();
    }

    /** One call of the product. */
    public void run() {
        GemmKernel.dgemm(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, beta, c, 0, n);
    }
}
