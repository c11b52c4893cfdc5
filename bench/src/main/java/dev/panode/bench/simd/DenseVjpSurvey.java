package dev.panode.bench.simd;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.simd.DenseVjpKernel;
import dev.panode.simd.DenseVjpKernelF32;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmF32;
import dev.panode.simd.GemmPlatform;
import dev.panode.simd.GemmThresholds;
import dev.panode.solvers.FieldWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A dense layer's whole VJP ({@link DenseVjpKernel#backward}: {@code W̄ += Ūᵀ·X}, {@code b̄ += Σ Ū},
 * {@code X̄ = Ū·W}), on the Java kernels against through OpenBLAS, in one JVM: the layers of the benchmark nets
 * (d2_h50, the SciML spiral's 2 → 50 → 2, d2_h64, d32_h256) over row counts from a single row to the benchmark
 * batches, float64 and float32, and the whole MLP VJPs of the benchmark cases (float64). "Java" runs every product on the Java kernels (the fused one-row pass, the narrow
 * block pass, the Java GEMM); "OpenBLAS" the platform rule with the row rule off ({@code minBlasVjpRows = 1}), so that
 * its product rules decide (on OpenBLAS's 512-bit kernels: every product to OpenBLAS). Unlike {@link GemmDispatchSurvey}, which times the bare products, this
 * times what a layer runs, so a single row's fused pass is judged against the two OpenBLAS calls it replaces.
 * "Java" keeps the rule's row minimum, so rows below it run as the rule runs them and rows from it on the Java GEMM
 * (or a narrow input's block pass).
 *
 * <p>Each round visits every case and times a block of VJPs with each side, the order alternating from round to round;
 * per case the median time of each side and the median of the per-round ratio OpenBLAS / Java are written, one JSON
 * object a line. Run (after {@code ./mvnw -B -o -pl bench -am package -DskipTests}): {@code OPENBLAS_NUM_THREADS=1
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.simd.DenseVjpSurvey OUT.jsonl
 * [seconds]} (docs/BENCHMARKS.md §48).
 */
public final class DenseVjpSurvey {
    private DenseVjpSurvey() {}

    /**
     * One layer VJP (precision, {@code in → out} and rows), or with {@code net} set a whole MLP's VJP ({@link Mlp#vjp},
     * dtype "net": "spiral" for the SciML spiral's 2 → 50 → 2 on u³, "mlp" for {@code in → out → out → in} with tanh).
     */
    record Case(String dtype, int in, int out, int rows, String net) {
        Case(String dtype, int in, int out, int rows) {
            this(dtype, in, out, rows, null);
        }

        String label() {
            return net == null ? in + "->" + out : net + " " + in + "x" + out;
        }
    }

    /** The benchmark cases' whole VJPs (f64), and d2_h50 at two and three rows (below the row rule on every platform). */
    private static final Case[] NET_CASES = {new Case("net", 2, 50, 1, "spiral"), new Case("net", 2, 50, 1, "mlp"),
        new Case("net", 2, 50, 2, "mlp"), new Case("net", 2, 50, 3, "mlp"), new Case("net", 2, 50, 16, "mlp"),
        new Case("net", 2, 64, 1024, "mlp"), new Case("net", 32, 256, 256, "mlp")};

    /** The nets: {@code {input, hidden, benchmark batch}} (two hidden layers, output = input). */
    private static final int[][] NETS = {{2, 50, 16}, {2, 64, 1024}, {32, 256, 256}};
    /** Small row counts every layer is timed at. */
    private static final int[] SMALL_ROWS = {1, 2, 3, 4, 8, 16};

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(NET_CASES));
        for (String dtype : new String[] {"f64", "f32"}) {
            for (int[] net : NETS) {
                int d = net[0], h = net[1];
                for (int[] l : new int[][] {{d, h}, {h, h}, {h, d}}) {
                    for (int rows : SMALL_ROWS) cases.add(new Case(dtype, l[0], l[1], rows));
                    if (net[2] > SMALL_ROWS[SMALL_ROWS.length - 1]) cases.add(new Case(dtype, l[0], l[1], net[2]));
                }
            }
        }
        return cases;
    }

    /** A case's data and its call. */
    private static final class Runner {
        final Runnable call;

        Runner(Case c, SplittableRandom rnd) {
            int rows = c.rows(), in = c.in(), out = c.out();
            if (c.net() != null) {
                MlpArchitecture a = c.net().equals("spiral")
                        ? MlpArchitecture.of(in, out, 1, Activation.TANH).withInputTransform(InputTransform.CUBE)
                        : MlpArchitecture.mlp3Tanh(in, out);
                Mlp mlp = Mlp.initialised(a, Initialisation.PYTORCH_DEFAULT, 7);
                FieldWorkspace ws = mlp.newWorkspace(rows);
                double[] y = doubles(rnd, rows * in), v = doubles(rnd, rows * in), yBar = new double[rows * in];
                double[] thetaBar = new double[mlp.parameterCount()], f = new double[rows * in];
                call = () -> mlp.vjp(0.0, y, v, yBar, thetaBar, f, rows, false, ws);
            } else if (c.dtype().equals("f64")) {
                DenseVjpKernel k = DenseVjpKernel.of(in, out);
                DenseVjpKernel.Workspace ws = k.newWorkspace();
                double[] ub = doubles(rnd, rows * out), x = doubles(rnd, rows * in);
                double[] theta = doubles(rnd, out * in + out), thetaBar = new double[out * in + out];
                double[] xb = new double[rows * in];
                call = () -> k.backward(rows, ub, x, 0, theta, 0, thetaBar, out * in, xb, ws);
            } else {
                DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
                DenseVjpKernelF32.Workspace ws = k.newWorkspace();
                float[] ub = floats(rnd, rows * out), x = floats(rnd, rows * in);
                float[] theta = floats(rnd, out * in + out), thetaBar = new float[out * in + out];
                float[] xb = new float[rows * in];
                call = () -> k.backward(rows, ub, x, 0, theta, 0, thetaBar, out * in, xb, ws);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) throw new IllegalArgumentException("usage: DenseVjpSurvey OUT.jsonl [seconds]");
        Path outFile = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 60;
        GemmPlatform platform = GemmPlatform.current();
        GemmThresholds[] rule = {GemmThresholds.rule(platform, false), GemmThresholds.rule(platform, true)};
        List<Case> cases = cases();
        SplittableRandom rnd = new SplittableRandom(41);
        Runner[] runners = new Runner[cases.size()];
        int[] reps = new int[cases.size()];
        for (int i = 0; i < runners.length; i++) {
            runners[i] = new Runner(cases.get(i), rnd);
            for (int side = 0; side < 2; side++) {
                set(rule, side);
                for (int w = 0; w < 3000; w++) runners[i].call.run();
            }
            long t0 = System.nanoTime();
            for (int w = 0; w < 200; w++) runners[i].call.run();
            double each = (System.nanoTime() - t0) / 200.0;
            reps[i] = (int) Math.max(3, Math.min(20_000, 300_000 / Math.max(1.0, each))); // ~0.3 ms a block
        }
        List<double[][]> times = new ArrayList<>(); // per round: [case][side]
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int r = 0; System.nanoTime() < end || r < 5; r++) {
            double[][] t = new double[cases.size()][2];
            for (int i = 0; i < cases.size(); i++) {
                for (int s = 0; s < 2; s++) {
                    int side = (r + s) % 2;
                    set(rule, side);
                    long t0 = System.nanoTime();
                    for (int j = 0; j < reps[i]; j++) runners[i].call.run();
                    t[i][side] = (System.nanoTime() - t0) / 1e3 / reps[i];
                }
            }
            times.add(t);
        }
        Gemm.resetThresholds();
        GemmF32.resetThresholds();
        StringBuilder lines = new StringBuilder();
        System.out.printf(Locale.ROOT, "%-6s %-14s %6s %10s %12s %10s%n", "dtype", "layer", "rows", "java µs",
                "openblas µs", "blas/java");
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            int n = times.size();
            double[] java = new double[n], blas = new double[n], ratio = new double[n];
            for (int r = 0; r < n; r++) {
                java[r] = times.get(r)[i][0];
                blas[r] = times.get(r)[i][1];
                ratio[r] = blas[r] / java[r];
            }
            double mj = median(java), mb = median(blas), mr = median(ratio);
            System.out.printf(Locale.ROOT, "%-6s %-14s %6d %10.3f %12.3f %10.3f%n", c.dtype(), c.label(),
                    c.rows(), mj, mb, mr);
            lines.append(String.format(Locale.ROOT, "{\"dtype\":\"%s\",%s\"in\":%d,\"out\":%d,\"rows\":%d,\"rounds\":%d,"
                            + "\"java\":%.4f,\"openblas\":%.4f,\"pairedRatio\":%.4f,\"environment\":\"vector %d bits, "
                            + "OpenBLAS core %s, %s threads\"}%n", c.dtype(), c.net() == null ? "" : "\"net\":\"" + c.net() + "\",", c.in(), c.out(), c.rows(), n, mj, mb, mr,
                    platform.javaVectorBits(), platform.openblasCore().isEmpty() ? "none" : platform.openblasCore(),
                    System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "default")));
        }
        Files.writeString(outFile, lines);
    }

    /**
     * Side 0, Java: every product on the Java kernel, the rule's row minimum kept (its small blocks run as the rule
     * runs them); side 1, OpenBLAS: the rule's products with the row rule off.
     */
    private static void set(GemmThresholds[] rule, int side) {
        for (int f32 = 0; f32 < 2; f32++) {
            GemmThresholds t = rule[f32];
            GemmThresholds s = side == 0 ? new GemmThresholds(Long.MAX_VALUE, 1, Integer.MAX_VALUE, Long.MAX_VALUE,
                    t.minBlasVjpRows())
                    : t.withMinBlasVjpRows(1);
            if (f32 == 0) Gemm.setThresholds(s);
            else GemmF32.setThresholds(s);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double[] doubles(SplittableRandom rnd, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextDouble(-1, 1);
        return a;
    }

    private static float[] floats(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        return a;
    }
}
