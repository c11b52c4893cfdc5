package dev.panode.bench.simd;

import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.DenseKernel;
import dev.panode.simd.DenseKernelF32;
import dev.panode.simd.DenseVjpKernel;
import dev.panode.simd.DenseVjpKernelF32;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmF32;
import dev.panode.simd.GemmKernel;
import dev.panode.simd.GemmKernelF32;
import dev.panode.simd.GemmThresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;

/**
 * Every product the MLP benchmark cases make, Java kernel against OpenBLAS, in one JVM: the forward products
 * ({@code X·Wᵀ}, layout NT), the VJP's weight cotangent ({@code Ḡᵀ·X}, TN) and input cotangent ({@code Ḡ·W}, NN) of
 * the d2_h50 (batch 1 and 16), d2_h64_b1024 and d32_h256_b256 nets, plus squares around the dispatch boundary, in
 * float64 and float32. Each round visits every case and times a block of products with each backend, the order
 * alternating from round to round, so that a slow phase of a shared machine slows both backends of a case alike; the
 * rounds go on until the time budget is spent. Per case the median time per product of each backend is written, one
 * JSON object a line, for {@code GemmCalibration --fit}.
 *
 * <p>With {@code layers} as the fourth argument it times each dense layer instead, as an MLP runs it with the
 * dispatcher held on either backend ({@link #layerCases}): the Java side is then the fused, single-row and narrow-block
 * kernels an MLP runs below the thresholds, not the bare {@code GemmKernel}, and the OpenBLAS side includes the bias
 * pass. A VJP block of more than one row also has its two products timed on their own (layouts TN and NN, as the
 * block path calls them, {@code Ḡᵀ·X} accumulating), since the dispatcher decides them one by one; a double output
 * layer of two outputs over up to 64 rows is timed as the MLP runs it, {@link DenseVjpKernel#backwardThroughTanh}
 * (either backend: the pass takes neither), without product rows (docs/BENCHMARKS.md §69).
 *
 * <p>Run (after {@code ./mvnw -B -o -pl bench -am package -DskipTests}), once per JVM flag and OpenBLAS core to
 * compare: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED [-XX:UseAVX=2] -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.simd.GemmDispatchSurvey OUT.jsonl
 * [seconds] [interleaved|hot] [products|layers] [REGEX]} (docs/BENCHMARKS.md §6.1, §44); with a regular expression
 * only the cases whose label ({@code "f32 NT 20x50x2"}: precision, layout, shape) it matches are timed.
 */
public final class GemmDispatchSurvey {
    private GemmDispatchSurvey() {}

    /** One product: precision, layout and {@code m×k×n}. */
    record Case(String dtype, String trans, int m, int k, int n) {
        String shape() {
            return m + "x" + k + "x" + n;
        }

        /** E.g. {@code "f32 NT 20x50x2"}: what the fifth argument's regular expression is matched against. */
        String label() {
            return dtype + " " + trans + " " + shape();
        }
    }

    /** The nets of the benchmark cases: {@code {batch, input, hidden}} (two hidden layers, output = input). */
    private static final int[][] NETS = {{1, 2, 50}, {16, 2, 50}, {1024, 2, 64}, {256, 32, 256}};
    /** Squares around the boundary, forward layout only. */
    private static final int[] SQUARES = {64, 128, 192, 384};
    /**
     * The layers of the spiral's 2 → 50 → 2 net ({@code ode_demo.py}'s field) at the demo's batch of 20 windows and
     * its chunks of 10 ({@code {batch, input, hidden}}, one hidden layer); at batch 1 its layers are d2_h50_b1's.
     */
    private static final int[][] SPIRAL = {{20, 2, 50}, {10, 2, 50}};
    /** Always the Java kernels. */
    private static final GemmThresholds ALWAYS_JAVA = new GemmThresholds(Long.MAX_VALUE, 1);
    /** Always OpenBLAS (when loaded). */
    private static final GemmThresholds ALWAYS_BLAS = new GemmThresholds(0, 0);

    static List<Case> cases() {
        LinkedHashSet<Case> set = new LinkedHashSet<>();
        for (String dtype : new String[] {"f64", "f32"}) {
            for (int[] net : NETS) {
                int rows = net[0], d = net[1], h = net[2];
                int[][] layers = {{d, h}, {h, h}, {h, d}}; // {in, out}
                for (int[] l : layers) {
                    int in = l[0], out = l[1];
                    set.add(new Case(dtype, "NT", rows, in, out)); // u = x·Wᵀ: m = rows, k = in, n = out
                    set.add(new Case(dtype, "TN", out, rows, in)); // W̄ = ḡᵀ·x: m = out, k = rows, n = in
                    set.add(new Case(dtype, "NN", rows, out, in)); // x̄ = ḡ·W: m = rows, k = out, n = in
                }
            }
            for (int s : SQUARES) set.add(new Case(dtype, "NT", s, s, s));
        }
        return new ArrayList<>(set);
    }

    /**
     * The dense layers of the benchmark nets and the spiral's, as the dispatcher sees them, per precision: each
     * layer's forward pass ({@code "NT"}, shape {@code rows×in×out}: its product {@code X·Wᵀ}) and its VJP
     * ({@code "VJP"}, shape {@code rows×out×in}), and for a VJP block its products {@code Ḡᵀ·X} ({@code "TN"},
     * {@code out×rows×in}) and {@code Ḡ·W} ({@code "NN"}, {@code rows×out×in}). A layer that narrows
     * ({@code out < in}: the output layer) has no activation, the others tanh, as in the benchmark MLPs.
     */
    static List<Case> layerCases() {
        LinkedHashSet<Case> set = new LinkedHashSet<>();
        for (String dtype : new String[] {"f64", "f32"}) {
            for (int[][] nets : new int[][][] {NETS, SPIRAL}) {
                for (int[] net : nets) {
                    int rows = net[0], d = net[1], h = net[2];
                    int[][] layers = nets == SPIRAL ? new int[][] {{d, h}, {h, d}} : new int[][] {{d, h}, {h, h}, {h, d}};
                    for (int[] l : layers) {
                        set.add(new Case(dtype, "NT", rows, l[0], l[1]));
                        set.add(new Case(dtype, "VJP", rows, l[1], l[0]));
                        if (rows > 1 && !(dtype.equals("f64") && throughTanh(rows, l[0], l[1]))) {
                            // a block's two products, which the dispatcher decides one by one
                            set.add(new Case(dtype, "TN", l[1], rows, l[0])); // W̄ += Ḡᵀ·X: m = out, k = rows, n = in
                            set.add(new Case(dtype, "NN", rows, l[1], l[0])); // X̄ = Ḡ·W: m = rows, k = out, n = in
                        }
                    }
                }
            }
        }
        return new ArrayList<>(set);
    }

    /**
     * Whether a double layer's VJP over {@code rows} rows runs as {@link DenseVjpKernel#backwardThroughTanh} in an MLP
     * whose layer below is a tanh layer (the output layer of a 2-D ODE over a block of up to 64 rows): one pass that
     * takes neither backend, whatever the dispatcher says of its products.
     */
    static boolean throughTanh(int rows, int in, int out) {
        double[] theta = new double[out * in + out + in], x = new double[rows * in], g = new double[rows * out];
        return DenseVjpKernel.of(in, out).backwardThroughTanh(rows, g, x, 0, theta, 0, new double[theta.length],
                out * in, true, out * in + out, new double[rows * in]);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException(
                    "usage: GemmDispatchSurvey OUT.jsonl [seconds] [interleaved|hot] [products|layers] [REGEX]");
        }
        Path out = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 90;
        boolean hot = args.length > 2 && args[2].equals("hot");
        boolean layers = args.length > 3 && args[3].equals("layers");
        if (args.length > 3 && !layers && !args[3].equals("products")) {
            throw new IllegalArgumentException("the fourth argument must be products or layers, got '" + args[3] + "'");
        }
        if (!Blas.isAvailable()) {
            System.out.println("OpenBLAS is not loaded: nothing to compare.");
            return;
        }
        String env = String.format(Locale.ROOT, "vector %d bits, OpenBLAS core %s, %d threads, OPENBLAS_CORETYPE=%s",
                DoubleVector.SPECIES_PREFERRED.vectorBitSize(), Blas.info().coreName(), Blas.info().threads(),
                System.getenv("OPENBLAS_CORETYPE"));
        System.out.println(env);
        List<Case> cases = layers ? layerCases() : cases();
        if (args.length > 4) {
            java.util.regex.Pattern only = java.util.regex.Pattern.compile(args[4]);
            cases = cases.stream().filter(c -> only.matcher(c.label()).matches()).toList();
            if (cases.isEmpty()) throw new IllegalArgumentException("no case matches '" + args[4] + "'");
        }
        List<Runnable[]> calls = new ArrayList<>();
        int[] reps = new int[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            boolean product = !layers || c.trans().equals("TN") || c.trans().equals("NN");
            calls.add(product ? calls(c, layers && c.trans().equals("TN") ? 1 : 0) : layerCalls(c));
            long work = (long) c.m() * c.n() * c.k();
            reps[i] = (int) Math.max(1, Math.min(2_000, 150_000 / work)); // blocks of ~20–100 µs
        }
        int maxRounds = 100_000;
        double[][][] t = new double[cases.size()][2][maxRounds];
        for (int w = 0; w < 30; w++) round(calls, reps, null, 0, w, 0, calls.size()); // warm-up: C2 compiles both
        long t0 = System.nanoTime();
        int[] done = new int[cases.size()];
        long budget = (long) (seconds * 1e9);
        if (hot) { // each case's rounds back to back (its operands stay in cache), the budget shared evenly
            for (int i = 0; i < cases.size(); i++) {
                long end = t0 + budget * (i + 1) / cases.size();
                while (done[i] < 3 || done[i] < maxRounds && System.nanoTime() < end) {
                    round(calls, reps, t, done[i], done[i], i, i + 1);
                    done[i]++;
                }
            }
        } else { // every case in every round: a slow phase of the machine is spread over all of them
            int r = 0;
            while (r < 3 || r < maxRounds && System.nanoTime() - t0 < budget) {
                round(calls, reps, t, r, r, 0, calls.size());
                r++;
            }
            Arrays.fill(done, r);
        }
        StringBuilder json = new StringBuilder();
        Gemm.resetThresholds();
        GemmF32.resetThresholds();
        System.out.printf(Locale.ROOT, "%s: %d rounds (first case) in %.1f s%n", hot ? "hot" : "interleaved", done[0],
                (System.nanoTime() - t0) / 1e9);
        System.out.println("| dtype | layout | m×k×n | Java µs | OpenBLAS µs | OpenBLAS/Java (median of rounds) | Java p10 | OpenBLAS p10 |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            int rounds = done[i];
            double java = median(t[i][0], rounds), blas = median(t[i][1], rounds);
            double java10 = percentile(t[i][0], rounds, 0.1), blas10 = percentile(t[i][1], rounds, 0.1);
            double[] perRound = new double[rounds];
            for (int r = 0; r < rounds; r++) perRound[r] = t[i][1][r] / t[i][0][r];
            double paired = median(perRound, rounds);
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f |%n", c.dtype(), c.trans(),
                    c.shape(), java, blas, paired, java10, blas10);
            json.append(String.format(Locale.ROOT,
                    "{\"dtype\":\"%s\",\"trans\":\"%s\",\"shape\":\"%s\",\"rounds\":%d,\"java\":%.4f,\"openblas\":%.4f,"
                            + "\"pairedRatio\":%.4f,\"javaP10\":%.4f,\"openblasP10\":%.4f,\"environment\":\"%s\"}%n", c.dtype(), c.trans(),
                    c.shape(), rounds, java, blas, paired, java10, blas10, env));
        }
        Files.writeString(out, json);
    }

    /**
     * One round: cases {@code [from, to)}, both backends, Java first on even rounds. A case's calls are the Java and
     * the OpenBLAS call, and for a layer also what holds the dispatcher on each backend, run before its block.
     */
    private static void round(List<Runnable[]> calls, int[] reps, double[][][] t, int slot, int parity, int from,
                              int to) {
        for (int i = from; i < to; i++) {
            Runnable[] c = calls.get(i);
            int first = parity % 2;
            for (int j = 0; j < 2; j++) {
                int backend = first ^ j;
                if (c.length > 2) c[2 + backend].run();
                long s = System.nanoTime();
                for (int r = 0; r < reps[i]; r++) c[backend].run();
                long e = System.nanoTime();
                if (t != null) t[i][backend][slot] = (e - s) / 1e3 / reps[i];
            }
        }
    }

    /** A bare product on either backend, {@code C = op(A)·op(B) + β·C} (β = 1: a VJP's {@code W̄ += Ḡᵀ·X}). */
    private static Runnable[] calls(Case c, double beta) {
        Transpose ta = Transpose.of(c.trans().charAt(0) == 'T'), tb = Transpose.of(c.trans().charAt(1) == 'T');
        int m = c.m(), n = c.n(), k = c.k();
        int lda = ta == Transpose.NO ? k : m, ldb = tb == Transpose.NO ? n : k;
        SplittableRandom rnd = new SplittableRandom(45);
        double[] a = rnd.doubles((long) m * k, -1, 1).toArray(), b = rnd.doubles((long) k * n, -1, 1).toArray();
        if (c.dtype().equals("f64")) {
            double[] out = new double[m * n];
            return new Runnable[] {
                () -> GemmKernel.dgemm(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, beta, out, 0, n),
                () -> Blas.dgemmUnchecked(ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, beta, out, 0, n)};
        }
        float[] af = new float[a.length], bf = new float[b.length], out = new float[m * n];
        float betaF = (float) beta;
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
        return new Runnable[] {
            () -> GemmKernelF32.sgemm(ta, tb, m, n, k, 1.0f, af, 0, lda, bf, 0, ldb, betaF, out, 0, n),
            () -> Blas.sgemmUnchecked(ta, tb, m, n, k, 1.0f, af, 0, lda, bf, 0, ldb, betaF, out, 0, n)};
    }

    /**
     * A layer as an MLP runs it, with the dispatcher held on the Java kernels and on OpenBLAS (the last two calls set
     * the thresholds for each; the first two are the same call): the forward pass
     * through {@link DenseKernel} (product, bias and activation, the weights held as a solve holds them), the VJP
     * through {@link DenseVjpKernel} (both products and the bias gradient), so the Java side is whichever fused,
     * single-row or block kernel the layer would run, and the OpenBLAS side includes its separate bias pass.
     */
    private static Runnable[] layerCalls(Case c) {
        boolean forward = c.trans().equals("NT");
        int rows = c.m(), in = forward ? c.k() : c.n(), out = forward ? c.n() : c.k();
        ActivationKernel act = out < in ? ActivationKernel.IDENTITY : ActivationKernel.TANH;
        SplittableRandom rnd = new SplittableRandom(45);
        double[] theta = rnd.doubles((long) out * in + out, -0.3, 0.3).toArray();
        double[] x = rnd.doubles((long) rows * in, -1, 1).toArray(), g = rnd.doubles((long) rows * out, -1, 1).toArray();
        int bOff = out * in;
        if (c.dtype().equals("f64")) {
            Runnable call;
            if (forward) {
                DenseKernel k = DenseKernel.of(in, out, act);
                DenseKernel.Workspace ws = k.newWorkspace();
                ws.holdWeights();
                double[] u = new double[rows * out], a = new double[rows * out];
                call = () -> k.forward(rows, x, theta, 0, bOff, u, a, ws);
            } else {
                DenseVjpKernel k = DenseVjpKernel.of(in, out);
                DenseVjpKernel.Workspace ws = k.newWorkspace();
                double[] thetaBar = new double[theta.length + in], xBar = new double[rows * in];
                int belowBias = theta.length; // the tanh layer below's bias gradient, which the fused pass adds to
                call = throughTanh(rows, in, out)
                        ? () -> k.backwardThroughTanh(rows, g, x, 0, theta, 0, thetaBar, bOff, true, belowBias, xBar)
                        : () -> k.backward(rows, g, x, 0, theta, 0, thetaBar, bOff, xBar, ws);
            }
            return new Runnable[] {call, call, () -> Gemm.setThresholds(ALWAYS_JAVA),
                () -> Gemm.setThresholds(ALWAYS_BLAS)};
        }
        float[] thetaF = floats(theta), xF = floats(x), gF = floats(g);
        Runnable call;
        if (forward) {
            DenseKernelF32 k = DenseKernelF32.of(in, out, act);
            DenseKernelF32.Workspace ws = k.newWorkspace();
            ws.holdWeights();
            float[] u = new float[rows * out], a = new float[rows * out];
            call = () -> k.forward(rows, xF, thetaF, 0, bOff, u, a, ws);
        } else {
            DenseVjpKernelF32 k = DenseVjpKernelF32.of(in, out);
            DenseVjpKernelF32.Workspace ws = k.newWorkspace();
            float[] thetaBar = new float[thetaF.length], xBar = new float[rows * in];
            call = () -> k.backward(rows, gF, xF, 0, thetaF, 0, thetaBar, bOff, xBar, ws);
        }
        return new Runnable[] {call, call, () -> GemmF32.setThresholds(ALWAYS_JAVA),
            () -> GemmF32.setThresholds(ALWAYS_BLAS)};
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    private static double percentile(double[] x, int n, double p) {
        double[] s = Arrays.copyOf(x, n);
        Arrays.sort(s);
        return s[(int) Math.floor(p * (n - 1))];
    }

    private static double median(double[] x, int n) {
        double[] s = Arrays.copyOf(x, n);
        return DuetSummary.median(s, n);
    }
}
