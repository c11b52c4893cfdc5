package dev.panode.bench.mlp;

import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.blas.Blas;
import dev.panode.blas.Transpose;
import dev.panode.bench.suite.PairedRounds;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.Gemm;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.Methods;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.VectorField;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The MLP's fused dense kernels ({@link dev.panode.simd.DenseKernel}, what {@link Mlp} runs) against the unfused
 * path they replaced (per layer {@link Gemm#dgemm}, then one bias-and-activation pass), paired in one JVM: each round
 * times a block of evaluations (or of dopri5 solves) with each, the order alternating, so that a slow phase of a
 * shared machine slows both alike (the reasoning of {@code GemmDuetBench}, without JMH), each block timed by the
 * thread's CPU time. Prints per case the median
 * and the minimum per call and the ratio of the medians, and checks that both solves take the same steps.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.mlp.FusedDenseDuet [rounds]}.
 */
public final class FusedDenseDuet {
    private FusedDenseDuet() {}

    static final String[] CASES = {"2x50x1", "2x50x16", "2x64x1024", "32x256x256"};

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 31;
        System.out.println("OpenBLAS: " + (Blas.isAvailable() ? Blas.info().coreName() + ", " + Blas.info().threads()
                + " threads" : "not loaded"));
        System.out.println("| case | what | unfused median µs | fused median µs | unfused/fused | unfused min µs | fused min µs |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (String c : CASES) {
            MlpShape s = MlpShape.parse(c);
            Mlp mlp = s.mlp();
            VectorField old = new Unfused(mlp);
            double[] z = s.states();
            int rows = s.batch();
            double[] f = new double[z.length];
            FieldWorkspace wNew = mlp.newWorkspace(rows), wOld = old.newWorkspace(rows);
            long work = (long) rows * mlp.architecture().forwardMultiplyAddsPerRow();
            int reps = (int) Math.max(1, Math.min(20_000, 20_000_000L / work));
            duet(c, "evaluate", rounds, reps,
                    () -> old.evaluateUnchecked(0.5, z, f, rows, wOld),
                    () -> mlp.evaluateUnchecked(0.5, z, f, rows, wNew));
            OdeMethod dopri5 = Methods.byName("dopri5");
            SolveOptions options = SolveOptions.builder().rtol(1e-6).atol(1e-8).torchdiffeqCompatible(true).build();
            SolverWorkspace sNew = new SolverWorkspace(), sOld = new SolverWorkspace();
            var a = Solver.solve(old, z, rows, 0.0, 1.0, dopri5, options, sOld);
            var b = Solver.solve(mlp, z, rows, 0.0, 1.0, dopri5, options, sNew);
            if (a.stats().nfe() != b.stats().nfe()) {
                throw new IllegalStateException(c + ": NFE " + a.stats().nfe() + " vs " + b.stats().nfe());
            }
            duet(c, "dopri5 solve (NFE " + b.stats().nfe() + ")", rounds, Math.max(1, reps / 30),
                    () -> Solver.solve(old, z, rows, 0.0, 1.0, dopri5, options, sOld),
                    () -> Solver.solve(mlp, z, rows, 0.0, 1.0, dopri5, options, sNew));
        }
    }

    private static void duet(String c, String what, int rounds, int reps, Runnable old, Runnable fused) {
        double[][] t = PairedRounds.run(15, rounds, reps, THREADS::getCurrentThreadCpuTime, old, fused);
        double mo = t[0][rounds / 2], mf = t[1][rounds / 2];
        System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.2f× | %.3f | %.3f |%n", c, what, mo, mf, mo / mf,
                t[0][0], t[1][0]);
    }

    /**
     * This thread's CPU time, which on a loaded machine leaves out the time the thread waited for a core (OpenBLAS's
     * helper thread is not counted: read the OpenBLAS-sized case, 32x256x256, with that in mind).
     */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The MLP evaluated as before the fused kernels: per layer one dispatched GEMM, then bias and activation. */
    private static final class Unfused implements VectorField {
        private final MlpArchitecture arch;
        private final double[] theta;
        private final ActivationKernel[] act;

        Unfused(Mlp mlp) {
            arch = mlp.architecture();
            theta = mlp.parameters();
            act = new ActivationKernel[arch.layerCount()];
            for (int l = 0; l < act.length; l++) act[l] = arch.activations().get(l).kernel();
        }

        @Override
        public int dim() {
            return arch.dim();
        }

        @Override
        public FieldWorkspace newWorkspace(int maxRows) {
            return new Work(maxRows, arch.maxWidth(), arch.layerCount());
        }

        @Override
        public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            Work w = (Work) ws;
            double[] in = y;
            int layers = arch.layerCount();
            for (int l = 0; l < layers; l++) {
                int k = arch.inputs(l), n = arch.outputs(l);
                double[] a = l == layers - 1 ? dyOut : w.out[l];
                Gemm.dgemm(Transpose.NO, Transpose.YES, rows, n, k, 1.0, in, 0, k, theta, arch.weightOffset(l), k,
                        0.0, a, 0, n);
                act[l].biasActivate(a, 0, theta, arch.biasOffset(l), rows, n, a, 0, a, 0);
                in = a;
            }
        }

        private static final class Work implements FieldWorkspace {
            final double[][] out;

            Work(int maxRows, int width, int layers) {
                out = new double[layers][];
                for (int l = 0; l < layers; l++) out[l] = new double[maxRows * width];
            }
        }
    }
}
