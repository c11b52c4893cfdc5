package dev.panode.bench.simd;

import dev.panode.simd.GemmKernel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A plain timing loop over single products of the Java GEMM kernel ({@link GemmKernel#dgemm}), for comparing two
 * builds of the kernel on the shapes a gradient runs, without JMH: every product is warmed up (150 rounds of 20
 * calls, the products interleaved), then timed in rounds of 20 calls, the products interleaved round by round so that
 * a shared machine's slow phases hit all alike. Prints each product's median of the calling thread's CPU time per call
 * (and of the wall clock) over the rounds.
 *
 * <p>A product is {@link GemmProductCase}'s {@code OPS:MxNxK:BETA}. Run:
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.simd.GemmProductLoop ROUNDS PRODUCT...}.
 */
public final class GemmProductLoop {
    private GemmProductLoop() {}

    private static final int CALLS = 20;
    private static final int WARM_UP_ROUNDS = 150;

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        GemmProductCase[] products = new GemmProductCase[args.length - 1];
        for (int i = 0; i < products.length; i++) products[i] = new GemmProductCase(args[i + 1]);
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            for (GemmProductCase p : products) for (int j = 0; j < CALLS; j++) p.run();
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
            System.out.printf(Locale.ROOT, "%-24s cpu median %9.1f µs  wall median %9.1f µs%n", products[i].product,
                    cpu[i][rounds / 2], wall[i][rounds / 2]);
        }
    }
}
