package dev.panode.cli;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.BackpropF32;
import dev.panode.adjoint.gradients.BacksolveF32;
import dev.panode.adjoint.gradients.InterpolatingF32;
import dev.panode.adjoint.gradients.GradientResultF32;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.gradients.StageSaving;
import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.adjoint.training.BatchGradient;
import dev.panode.adjoint.training.BatchGradients;
import dev.panode.adjoint.training.SplitEstimate;
import dev.panode.blas.Blas;
import dev.panode.io.Precision;
import dev.panode.solvers.FloatField;
import dev.panode.solvers.Methods;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolutionF32;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.SolverWorkspaceF32;
import dev.panode.solvers.VectorField;
import java.util.Locale;

/** The command line's bridge to the library: method names to methods, options to {@link SolveOptions}. */
public final class Numerics {
    /** The solver that makes the demos' "true" data: dopri5 at rtol 1e-10, atol 1e-12. */
    static final SolverOptions REFERENCE = new SolverOptions("dopri5", null, 1e-10, 1e-12);
    /**
     * The solver of the float32 demo's "true" data: dopri5 at torchdiffeq's default rtol 1e-7, atol 1e-9, with which
     * {@code ode_demo.py} solves its data (a float solve at rtol 1e-10 would ask for more than float's 24 bits).
     */
    static final SolverOptions REFERENCE_F32 = new SolverOptions("dopri5", null, 1e-7, 1e-9);
    /** Steps used by a fixed-step method when none are given. */
    static final int DEFAULT_FIXED_STEPS = 100;

    private Numerics() {}

    /** The Runge–Kutta method of a command-line name, from the method catalogue ({@link Methods}). */
    public static RungeKutta method(String name) {
        try {
            return Methods.rungeKutta(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
    }

    /**
     * Solve options: {@code steps} equal steps over [t0, t_end] when given (or when the method has no error
     * estimate, {@value #DEFAULT_FIXED_STEPS}), otherwise adaptive with rtol/atol and torchdiffeq's I controller.
     */
    static SolveOptions options(SolverOptions s, OdeMethod method) {
        return options(s, method, Precision.FLOAT64);
    }

    /** As {@link #options(SolverOptions, OdeMethod)}, with the default tolerances of {@code precision}. */
    static SolveOptions options(SolverOptions s, OdeMethod method, Precision precision) {
        if (s.maxSteps < 1) throw new IllegalArgumentException("--max-steps must be >= 1, got " + s.maxSteps);
        SolveOptions.Builder b = SolveOptions.builder().maxSteps(s.maxSteps);
        if (s.steps != null) {
            if (s.steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + s.steps);
            b.steps(s.steps);
        } else if (!method.isAdaptive()) {
            b.steps(DEFAULT_FIXED_STEPS);
        } else {
            b.rtol(s.rtol(precision)).atol(s.atol(precision));
        }
        return b.build();
    }

    /** Solves {@code f} from {@code y0} ({@code rows × dim}) and saves at every entry of {@code t} (t[0] included). */
    static Solution solve(VectorField f, double[] y0, int rows, double[] t, SolverOptions s) {
        RungeKutta m = method(s.method);
        SolveOptions o = options(s, m).toBuilder().saveAt(SaveAt.times(t)).build();
        return Solver.solve(f, y0, rows, t[0], t[t.length - 1], m, o);
    }

    /**
     * The same within a step budget, in the caller's workspace, returning instead of throwing when stepping fails:
     * the solution then holds the states saved so far and its result code ({@code MAX_STEPS_REACHED} when the budget
     * ran out).
     */
    static Solution solve(VectorField f, double[] y0, int rows, double[] t, SolverOptions s, long maxSteps,
                          SolverWorkspace workspace) {
        RungeKutta m = method(s.method);
        SolveOptions o = options(s, m).toBuilder().saveAt(SaveAt.times(t)).maxSteps(maxSteps).throwOnFailure(false)
                .build();
        return Solver.solve(f, y0, rows, t[0], t[t.length - 1], m, o, workspace);
    }

    /**
     * The float32 solve of {@code f} (rounded to float, {@link MlpF32#of}) from y0 rounded to float, saving at every
     * entry of {@code t}; a stepping failure throws as {@link #solve(VectorField, double[], int, double[],
     * SolverOptions)} does.
     */
    static SolutionF32 solveF32(Mlp f, double[] y0, int rows, double[] t, SolverOptions s) {
        return solveF32(MlpF32.of(f), y0, rows, t, s);
    }

    /** The float32 solve of {@code f} from y0 rounded to float, saving at every entry of {@code t}. */
    static SolutionF32 solveF32(FloatField f, double[] y0, int rows, double[] t, SolverOptions s) {
        RungeKutta m = method(s.method);
        SolveOptions o = options(s, m, Precision.FLOAT32).toBuilder().saveAt(SaveAt.times(t)).build();
        return Solver.solve(f, floats(y0), rows, t[0], t[t.length - 1], m, o, new SolverWorkspaceF32());
    }

    /**
     * Loss and gradients of the float32 solve of {@code f}: backprop ({@code BackpropF32}), the backsolve adjoint
     * ({@code BacksolveF32}) or the interpolating adjoint ({@code InterpolatingF32}), each adjoint with either norm;
     * backprop and the interpolating adjoint keep their forward record as {@code checkpointing} says (a budget:
     * binomial checkpointing, or every k-th state with replayed segments, beyond it).
     */
    static GradientResultF32 gradientF32(Mlp f, double[] y0, int rows, double[] t, Loss loss, SolverOptions s,
                                         GradientChoice g, long maxSteps, Checkpointing checkpointing) {
        RungeKutta m = method(s.method);
        MlpF32 f32 = MlpF32.of(f);
        SolveOptions o = options(s, m, Precision.FLOAT32).toBuilder().maxSteps(maxSteps).build();
        return switch (g) {
            case BACKPROP -> BackpropF32.session(f32, rows, m, o, StageSaving.AUTO, checkpointing)
                    .compute(floats(y0), t, loss);
            case ADJOINT -> BacksolveF32.session(f32, rows, m, o, AdjointNorm.FULL).compute(floats(y0), t, loss);
            case ADJOINT_SEMINORM -> BacksolveF32.session(f32, rows, m, o, AdjointNorm.SEMINORM)
                    .compute(floats(y0), t, loss);
            case INTERPOLATING -> InterpolatingF32.session(f32, rows, m, o, AdjointNorm.FULL, checkpointing)
                    .compute(floats(y0), t, loss);
            case INTERPOLATING_SEMINORM -> InterpolatingF32.session(f32, rows, m, o, AdjointNorm.SEMINORM, checkpointing)
                    .compute(floats(y0), t, loss);
        };
    }

    /** Each value rounded to the nearest float. */
    static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    /** The gradient method of a {@link GradientChoice}. */
    static GradientMethod gradientMethod(GradientChoice g) {
        return gradientMethod(g, Checkpointing.all());
    }

    /** The gradient method of a {@link GradientChoice}, keeping forward states as {@code checkpointing} says. */
    static GradientMethod gradientMethod(GradientChoice g, Checkpointing checkpointing) {
        return switch (g) {
            case BACKPROP -> new Backprop(checkpointing);
            case ADJOINT -> BacksolveAdjoint.of(AdjointNorm.FULL);
            case ADJOINT_SEMINORM -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            case INTERPOLATING -> InterpolatingAdjoint.of(AdjointNorm.FULL).withCheckpointing(checkpointing);
            case INTERPOLATING_SEMINORM -> InterpolatingAdjoint.of(AdjointNorm.SEMINORM).withCheckpointing(checkpointing);
        };
    }

    /**
     * The demo's objective on windows: mean absolute ({@code mae}) or mean squared ({@code mse}) error, through
     * gradient sessions, on {@code threads} threads: in at most {@code parts} chunks balanced by their windows'
     * estimated steps ({@link BatchGradients#meanAbsoluteErrorBalanced}) when {@code parts > 0}, else in chunks of
     * {@code chunkRows} windows ({@code chunkRows} 0: the whole batch in one solve on the calling thread).
     */
    static BatchGradient windowLoss(DifferentiableField f, SolverOptions s, GradientChoice g, String loss,
                                    int chunkRows, int parts, int threads, SplitEstimate estimate) {
        RungeKutta m = method(s.method);
        boolean absolute = absolute(loss);
        SolveOptions o = options(s, m);
        GradientMethod gm = gradientMethod(g);
        if (parts > 0) {
            return absolute ? BatchGradients.meanAbsoluteErrorBalanced(f, m, o, gm, parts, threads, estimate)
                    : BatchGradients.meanSquaredErrorBalanced(f, m, o, gm, parts, threads, estimate);
        }
        if (chunkRows == 0) {
            return absolute ? BatchGradients.meanAbsoluteError(f, m, o, gm) : BatchGradients.meanSquaredError(f, m, o, gm);
        }
        return absolute ? BatchGradients.meanAbsoluteError(f, m, o, gm, chunkRows, threads)
                : BatchGradients.meanSquaredError(f, m, o, gm, chunkRows, threads);
    }

    private static boolean absolute(String loss) {
        return switch (loss.toLowerCase(Locale.ROOT)) {
            case "mae" -> true;
            case "mse" -> false;
            default -> throw new IllegalArgumentException("--loss must be mae or mse, got " + loss);
        };
    }

    /**
     * The demo's objective in float32 ({@link BatchGradients#meanAbsoluteErrorF32}): the whole batch in one float
     * solve, backprop through the float steps, the tolerances' float32 defaults unless given.
     */
    static BatchGradient windowLossF32(Mlp f, SolverOptions s, String loss) {
        RungeKutta m = method(s.method);
        SolveOptions o = options(s, m, Precision.FLOAT32);
        return switch (loss.toLowerCase(Locale.ROOT)) {
            case "mae" -> BatchGradients.meanAbsoluteErrorF32(f, m, o);
            case "mse" -> BatchGradients.meanSquaredErrorF32(f, m, o);
            default -> throw new IllegalArgumentException("--loss must be mae or mse, got " + loss);
        };
    }

    /** Loss and gradients of a problem file's model. */
    static GradientResult gradient(DifferentiableField f, double[] y0, int rows, double[] t, Loss loss, SolverOptions s,
                                   GradientChoice g, long maxSteps, Checkpointing checkpointing) {
        RungeKutta m = method(s.method);
        return Gradients.compute(f, y0, rows, t, loss, m, options(s, m).toBuilder().maxSteps(maxSteps).build(),
                gradientMethod(g, checkpointing));
    }

    /** One line naming the GEMM backend that ran. */
    static String backend() {
        return Blas.isAvailable() ? "OpenBLAS through FFM for large matrix products, Vector API kernels otherwise"
                : "pure-Java Vector API kernels (OpenBLAS not loaded)";
    }
}
