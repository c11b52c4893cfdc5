package dev.panode.bench.simd;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.bench.suite.PairedRounds;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmF32;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@link GemmF32#sgemm} against {@link Gemm#dgemm} at the MLP forward shapes ({@code X·Wᵀ}), as a paired measurement
 * in one JVM: each round times a block of products in each precision, the order alternating, so that a slow phase of
 * a shared machine slows both alike (the reasoning of {@link GemmDuetBench}, without JMH). Prints, per shape, the
 * median and the minimum time per product over the rounds and the ratio of the medians. {@link GemmF32Bench} is the
 * JMH form, for a quiet machine.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.simd.GemmPrecisionDuet [rounds]}.
 */
public final class GemmPrecisionDuet {
    private GemmPrecisionDuet() {}

    /** The three layers of the d2_h50_b1, d2_h50_b16, d2_h64_b1024 and d32_h256_b256 cases, {@code m×k×n}. */
    static final String[] SHAPES = {"1x2x50", "1x50x50", "1x50x2", "16x2x50", "16x50x50", "16x50x2", "1024x2x64",
            "1024x64x64", "1024x64x2", "256x32x256", "256x256x256", "256x256x32"};

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
        System.out.println("OpenBLAS: " + (Blas.isAvailable() ? Blas.info().coreName() + ", " + Blas.info().threads()
                + " threads" : "not loaded"));
        System.out.println("| m×k×n | f64 median µs | f32 median µs | f64/f32 (medians) | f64 min µs | f32 min µs | f32 backend |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (String shape : SHAPES) {
            int[] d = GemmProblem.dims(shape);
            int m = d[0], k = d[1], n = d[2];
            SplittableRandom rnd = new SplittableRandom(45);
            double[] a = rnd.doubles((long) m * k, -1, 1).toArray(), b = rnd.doubles((long) n * k, -1, 1).toArray();
            double[] c = new double[m * n];
            float[] af = new float[a.length], bf = new float[b.length], cf = new float[c.length];
            for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
            for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
            Runnable f64 = () -> Gemm.dgemm(Transpose.NO, Transpose.YES, m, n, k, 1.0, a, 0, k, b, 0, k, 0.0, c, 0, n);
            Runnable f32 = () -> GemmF32.sgemm(Transpose.NO, Transpose.YES, m, n, k, 1.0f, af, 0, k, bf, 0, k, 0.0f, cf, 0, n);
            int reps = (int) Math.max(1, Math.min(20_000, 2_000_000L / Math.max(1, (long) m * n * k)));
            double[][] t = PairedRounds.run(20, rounds, reps, System::nanoTime, f64, f32);
            double[] t64 = t[0], t32 = t[1];
            double m64 = t64[rounds / 2], m32 = t32[rounds / 2];
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2f× | %.3f | %.3f | %s |%n", shape, m64, m32, m64 / m32,
                    t64[0], t32[0], GemmF32.backendFor(m, n, k));
        }
    }
}
