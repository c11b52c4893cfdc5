package dev.panode.bench.simd;

import dev.panode.blas.Transpose;
import dev.panode.simd.GemmKernel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A plain timing loop over single products of the Java GEMM kernel ({@link GemmKernel#dgemm}), for comparing two
 * builds of the kernel on the shapes a gradient runs, without JMH: every product is warmed up (150 rounds of 20
 * calls, the products interleaved), then timed in rounds of 20 calls, the products interleaved round by round so that
 * a shared machine's slow phases hit all alike. Prints each product's median of the calling thread's CPU time per call
 * (and of the wall clock) over the rounds.
 *
 * <p>A product is {@code OPS:MxNxK:BETA}: OPS two letters, N or T, for op(A) and op(B) ({@code NT}: {@code A·Bᵀ});
 * m × n ← k; β 0 or 1 (then C is read). The operands are tight (lda, ldb, ldc their widths) and random. Run:
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.simd.GemmProductLoop ROUNDS PRODUCT...}.
 */
public final class GemmProductLoop {
    private GemmProductLoop() {}

    private static final int CALLS = 20;
    private static final int WARM_UP_ROUNDS = 150;

    /** One product and its operands. */
    private record Product(String spec, Transpose ta, Transpose tb, int m, int n, int k, double beta, double[] a,
                           double[] b, double[] c) {
        static Product parse(String spec, SplittableRandom random) {
            String[] p = spec.split(":");
            String[] mnk = p[1].split("x");
            int m = Integer.parseInt(mnk[0]), n = Integer.parseInt(mnk[1]), k = Integer.parseInt(mnk[2]);
            return new Product(spec, p[0].charAt(0) == 'T' ? Transpose.YES : Transpose.NO,
                    p[0].charAt(1) == 'T' ? Transpose.YES : Transpose.NO, m, n, k, Double.parseDouble(p[2]),
                    random.doubles(m * k, -1, 1).toArray(), random.doubles(k * n, -1, 1).toArray(),
                    random.doubles(m * n, -1, 1).toArray());
        }

        void run() {
            int lda = ta == Transpose.NO ? k : m, ldb = tb == Transpose.NO ? n : k;
            GemmKernel.dgemm(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        }
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        SplittableRandom random = new SplittableRandom(7);
        Product[] products = new Product[args.length - 1];
        for (int i = 0; i < products.length; i++) products[i] = Product.parse(args[i + 1], random);
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            for (Product p : products) for (int j = 0; j < CALLS; j++) p.run();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] cpu = new double[products.length][rounds];
        double[][] wall = new double[products.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < products.length; i++) {
                int q = (i + r) % products.length;
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int j = 0; j < CALLS; j++) products[q].run();
                wall[q][r] = (System.nanoTime() - t0) / 1e3 / CALLS;
                cpu[q][r] = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / CALLS;
            }
        }
        for (int i = 0; i < products.length; i++) {
            Arrays.sort(cpu[i]);
            Arrays.sort(wall[i]);
            System.out.printf(Locale.ROOT, "%-24s cpu median %9.1f µs  wall median %9.1f µs%n", products[i].spec(),
                    cpu[i][rounds / 2], wall[i][rounds / 2]);
        }
    }
}
