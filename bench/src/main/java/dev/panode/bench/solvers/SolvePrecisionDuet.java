package dev.panode.bench.solvers;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.BackpropF32;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.bench.mlp.MlpShape;
import dev.panode.bench.suite.PairedRounds;
import dev.panode.blas.Blas;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.SolverWorkspaceF32;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The float32 dopri5 solve and backprop gradient against the float64 ones on the four bench cases, as a paired
 * measurement in one JVM: each
 * round times a block of solves in each precision, the order alternating, so that a slow phase of a shared machine
 * slows both alike; each block is timed by the thread's CPU time (OpenBLAS runs on the calling thread with one
 * thread). Both run as {@link MlpSolveBenchmark} does with {@code method=dopri5}: torchdiffeq-compatible,
 * float64 at rtol 1e-6 / atol 1e-8, float32 at torchdiffeq's float32 tolerances rtol 1e-4 / atol 1e-6 (20 NFE each
 * on every case, printed). Prints per case the median and minimum time per solve and the ratio of the medians.
 * {@code MlpSolveBenchmark -p method=dopri5 -p dtype=float32,float64} is the JMH form, for a quiet machine.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/runtime.classpath)" dev.panode.bench.solvers.SolvePrecisionDuet [rounds]}.
 */
public final class SolvePrecisionDuet {
    private SolvePrecisionDuet() {}

    /** Each block is timed by the thread's CPU time: on a shared machine wall-clock blocks carry other processes' turns. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static final String[] SHAPES = {"2x50x1", "2x50x16", "2x64x1024", "32x256x256"};

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        System.out.println("OpenBLAS: " + (Blas.isAvailable() ? Blas.info().coreName() + ", " + Blas.info().threads()
                + " threads" : "not loaded"));
        System.out.println("| case | f64 NFE | f32 NFE | f64 median µs | f32 median µs | f64/f32 (medians) | f64 min µs | f32 min µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        SolveOptions o64 = SolveOptions.builder().rtol(1e-6).atol(1e-8).torchdiffeqCompatible(true).build();
        SolveOptions o32 = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
        for (String shape : SHAPES) {
            MlpShape s = MlpShape.parse(shape);
            Mlp mlp = s.mlp();
            MlpF32 mlp32 = MlpF32.of(mlp);
            double[] z0 = s.states();
            float[] z0f = floats(z0);
            int rows = s.batch();
            SolverWorkspace w64 = new SolverWorkspace();
            SolverWorkspaceF32 w32 = new SolverWorkspaceF32();
            Runnable f64 = () -> Solver.solve(mlp, z0, rows, 0.0, 1.0, RungeKutta.dopri5(), o64, w64);
            Runnable f32 = () -> Solver.solve(mlp32, z0f, rows, 0.0, 1.0, RungeKutta.dopri5(), o32, w32);
            int reps = reps(s, 2_000, 20_000_000L);
            double[][] t = PairedRounds.run(10, rounds, reps, THREADS::getCurrentThreadCpuTime, f64, f32);
            double[] t64 = t[0], t32 = t[1];
            double m64 = t64[rounds / 2], m32 = t32[rounds / 2];
            System.out.printf(Locale.ROOT, "| d%d_h%d_b%d | %d | %d | %.1f | %.1f | %.2f× | %.1f | %.1f |%n", s.dim(),
                    s.hidden(), rows, w64.lastNfe(), w32.lastNfe(), m64, m32, m64 / m32, t64[0], t32[0]);
        }
        System.out.println();
        System.out.println("Backprop gradients (final loss, T = 1, dopri5 torchdiffeq-compatible; f64 at rtol 1e-6 / atol 1e-8,"
                + " f32 at rtol 1e-4 / atol 1e-6):");
        System.out.println("| case | f64 NFE fwd+bwd | f32 NFE fwd+bwd | f64 median µs | f32 median µs | f64/f32 (medians) | f64 min µs | f32 min µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        double[] times = {0.0, 1.0};
        for (String shape : SHAPES) {
            MlpShape s = MlpShape.parse(shape);
            Mlp mlp = s.mlp();
            MlpF32 mlp32 = MlpF32.of(mlp);
            double[] z0 = s.states();
            float[] z0f = floats(z0);
            int rows = s.batch();
            float[] dy0 = new float[z0.length], dTheta = new float[mlp32.parameterCount()];
            try (GradientSession g64 = Gradients.session(mlp, rows, times, Loss.sumOfSquaresAtEnd(),
                    RungeKutta.dopri5(), o64, Backprop.storeAll(), false)) {
                BackpropF32 g32 = BackpropF32.session(mlp32, rows, RungeKutta.dopri5(), o32);
                Runnable f64 = () -> g64.compute(z0);
                Runnable f32 = () -> g32.computeInto(z0f, times, Loss.sumOfSquaresAtEnd(), dy0, dTheta);
                int reps = reps(s, 1_000, 10_000_000L);
                double[][] t = PairedRounds.run(10, rounds, reps, THREADS::getCurrentThreadCpuTime, f64, f32);
                double[] t64 = t[0], t32 = t[1];
                double m64 = t64[rounds / 2], m32 = t32[rounds / 2];
                System.out.printf(Locale.ROOT, "| d%d_h%d_b%d | %d+%d | %d+%d | %.1f | %.1f | %.2f× | %.1f | %.1f |%n",
                        s.dim(), s.hidden(), rows, g64.forwardNfe(), g64.backwardNfe(), g32.lastForwardNfe(),
                        g32.lastBackwardNfe(), m64, m32, m64 / m32, t64[0], t32[0]);
            }
        }
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    /** Calls per timed block: about {@code budget} multiply–adds of 20 evaluations, between 2 and {@code most}. */
    private static int reps(MlpShape s, int most, long budget) {
        long work = (long) s.batch() * s.hidden() * (s.hidden() + 2L * s.dim());
        return (int) Math.max(2, Math.min(most, budget / (20 * work)));
    }
}
