package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;

import dev.panode.simd.VectorApi;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.SolveOptions;

/**
 * The entry point for gradients of a loss over a neural ODE solve.
 *
 * <pre>{@code
 * OdeProblem<Mlp> problem = OdeProblem.of(mlp, y0, 0, 0.5, 1);
 * GradientResult g = Gradients.of(problem, Loss.sumOfSquaresAtEnd()).compute();        // backprop, dopri5
 * GradientResult a = Gradients.of(problem, Loss.sumOfSquaresAtEnd())
 *         .options(SolveOptions.builder().rtol(1e-6).atol(1e-8).build())
 *         .gradientMethod(BacksolveAdjoint.of(AdjointNorm.SEMINORM))
 *         .compute();
 * }</pre>
 *
 * <p>{@link #of} is the problem-centred entry point, with named choices ({@link GradientRequest}); the positional
 * {@code compute} overloads below are what it runs, kept for callers that hold raw arrays.
 *
 * <p>The problem: y(t_0) = y_0 (a batch of {@code rows} samples), dy/dt = f(t, y, θ) solved forward from t_0 to
 * t_N = t_end with {@code method} and {@code options}, saving at the observation times t_1..t_N; the loss sees
 * y(t_0)..y(t_N). The save policy and failure behaviour of {@code options} are set by this method (its observer,
 * if any, still sees every forward step). The result holds the loss, the saved states, dL/dy_0, dL/dθ (in the
 * field's parameter layout), optionally dL/dt_i, and the cost.
 *
 * <p>Which method: {@link Backprop} for the exact gradient of what the solver computed (training with fixed steps,
 * or the reference), {@link InterpolatingAdjoint} for the continuous gradient with bounded memory and no backward
 * integration of y, {@link BacksolveAdjoint} for the least memory on non-dissipative dynamics.
 *
 * <p>Thread-safety: every call uses its own buffers and off-heap store; concurrent calls on different threads are
 * safe as long as nobody changes the field's parameters meanwhile. To compute many gradients of one problem shape
 * without building this state each time (and without allocating), make a {@link #session} once.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * A gradient request for {@code loss} over {@code problem}'s time grid, with the defaults of
     * {@link GradientRequest}; call {@link GradientRequest#compute()} on it.
     */
    public static GradientRequest of(OdeProblem<? extends DifferentiableField> problem, Loss loss) {
        return GradientRequest.of(problem, loss);
    }

    /** {@link #compute(DifferentiableField, double[], int, double[], Loss, OdeMethod, SolveOptions, GradientMethod, boolean)} without time gradients. */
    public static GradientResult compute(DifferentiableField field, double[] y0, int rows, double[] times, Loss loss,
                                         OdeMethod method, SolveOptions options, GradientMethod gradientMethod) {
        return compute(field, y0, rows, times, loss, method, options, gradientMethod, false);
    }

    /**
     * Computes the loss and its gradients.
     *
     * @param field          the differentiable vector field
     * @param y0             the initial states, {@code rows × field.dim()}; not modified
     * @param rows           samples in the batch, ≥ 1
     * @param times          observation times t_0 &lt; t_1 &lt; … &lt; t_N (at least two; t_0 is the initial time)
     * @param loss           the loss over y(t_0)..y(t_N)
     * @param method         the forward method; {@link Backprop} and {@link InterpolatingAdjoint} need a
     *                       {@link dev.panode.solvers.RungeKutta} or one of the implicit methods
     *                       ({@link dev.panode.solvers.Esdirk}, {@link dev.panode.solvers.Rosenbrock}; backprop's
     *                       forward solve then lands on every observation time)
     * @param options        solver options (tolerances, controller, convention)
     * @param gradientMethod backprop, backsolve adjoint or interpolating adjoint
     * @param timeGradients  whether to compute dL/dt_i (for t_0, every observation time and t_end)
     * @throws IllegalArgumentException on an invalid argument (the message names it)
     * @throws CheckpointBudgetExceededException when the checkpoint budget cannot hold even y_0 (for every gradient
     *                                           method, e.g. {@code new Backprop(Checkpointing.budget(16))} for states
     *                                           of more than two doubles)
     * @throws NonFiniteLossException            when the loss overflows (it is NaN or ±∞ although the forward
     *                                           states are finite, e.g. a sum of squares of states of 1e200) or
     *                                           writes NaN or ±∞ into its gradient; the message names the loss and
     *                                           the observation index
     * @throws dev.panode.solvers.SolveException when the forward or a backward solve fails
     */
    public static GradientResult compute(DifferentiableField field, double[] y0, int rows, double[] times, Loss loss,
                                         OdeMethod method, SolveOptions options, GradientMethod gradientMethod,
                                         boolean timeGradients) {
        VectorApi.require();
        GradientProblem p = validate(field, y0, rows, times, loss, method, options, gradientMethod, timeGradients);
        try (GradientSession session = new GradientSession(p, gradientMethod, false)) {
            session.compute(y0);
            return session.result();
        }
    }

    /**
     * A {@link GradientSession} for the problem of {@link #compute} without its initial state: made once, it computes
     * the loss and gradients from one y0 after another (and after parameter updates) without allocating. For a field
     * that does not fix its dimension ({@code dim() = -1}), use
     * {@link #session(DifferentiableField, int, int, double[], Loss, OdeMethod, SolveOptions, GradientMethod, boolean)}.
     *
     * @throws IllegalArgumentException on an invalid argument (the message names it)
     * @throws CheckpointBudgetExceededException when the checkpoint budget cannot hold even y_0
     */
    public static GradientSession session(DifferentiableField field, int rows, double[] times, Loss loss,
                                          OdeMethod method, SolveOptions options, GradientMethod gradientMethod,
                                          boolean timeGradients) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        return session(field, rows, field.dim(), times, loss, method, options, gradientMethod, timeGradients);
    }

    /**
     * {@link #session(DifferentiableField, int, double[], Loss, OdeMethod, SolveOptions, GradientMethod, boolean)}
     * with the state dimension given (it must equal the field's when the field fixes one).
     */
    public static GradientSession session(DifferentiableField field, int rows, int dim, double[] times, Loss loss,
                                          OdeMethod method, SolveOptions options, GradientMethod gradientMethod,
                                          boolean timeGradients) {
        GradientProblem p = validate(field, rows, dim, times, loss, method, options, gradientMethod, timeGradients);
        return new GradientSession(p, gradientMethod, true);
    }

    private static void requireArguments(DifferentiableField field, double[] times, Loss loss, OdeMethod method,
                                         SolveOptions options, GradientMethod gradientMethod) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (times == null) throw new IllegalArgumentException("times must be non-null");
        if (loss == null) throw new IllegalArgumentException("loss must be non-null");
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (options == null) throw new IllegalArgumentException("options must be non-null");
        if (gradientMethod == null) throw new IllegalArgumentException("gradientMethod must be non-null");
    }

    /** The checks of {@link #compute}, y0 included (length rows × dim, finite); the validated problem. */
    static GradientProblem validate(DifferentiableField field, double[] y0, int rows, double[] times, Loss loss,
                                    OdeMethod method, SolveOptions options, GradientMethod gradientMethod,
                                    boolean timeGradients) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (y0 == null) throw new IllegalArgumentException("y0 must be non-null");
        requireArguments(field, times, loss, method, options, gradientMethod);
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        int dim = field.dim() > 0 ? field.dim() : (y0.length % rows == 0 ? y0.length / rows : -1);
        if (dim < 1 || (long) rows * dim != y0.length) {
            throw new IllegalArgumentException("y0 must have length rows × dim = " + rows + " × " + field.dim()
                    + ", got " + y0.length);
        }
        for (int i = 0; i < y0.length; i++) {
            if (!Double.isFinite(y0[i])) throw new IllegalArgumentException("y0[" + i + "] must be finite, got " + y0[i]);
        }
        return validate(field, rows, dim, times, loss, method, options, gradientMethod, timeGradients);
    }

    private static GradientProblem validate(DifferentiableField field, int rows, int dim, double[] times,
                                            Loss loss, OdeMethod method, SolveOptions options,
                                            GradientMethod gradientMethod, boolean timeGradients) {
        requireArguments(field, times, loss, method, options, gradientMethod);
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        if (dim < 1 || (field.dim() > 0 && dim != field.dim())) {
            throw new IllegalArgumentException("dim must be " + (field.dim() > 0 ? "field.dim() = " + field.dim()
                    : ">= 1") + ", got " + dim);
        }
        if ((long) rows * dim > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("rows × dim must fit an array, got " + rows + " × " + dim);
        }
        if (times.length < 2) {
            throw new IllegalArgumentException("times must hold t_0 and at least one observation, got "
                    + times.length + " value(s)");
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i])) {
                throw new IllegalArgumentException("times[" + i + "] must be finite, got " + times[i]);
            }
            if (i > 0 && !(times[i] > times[i - 1])) {
                throw new IllegalArgumentException("times must increase strictly; times[" + (i - 1) + "] = "
                        + times[i - 1] + ", times[" + i + "] = " + times[i]);
            }
        }
        // the saved states, their loss gradients and the solver's save buffer: three copies of (N + 1) × rows × dim
        long buffers = dev.panode.solvers.HeapCheck.doubles(3, times.length, rows, dim);
        if (!dev.panode.solvers.HeapCheck.fits(buffers)) {
            dev.panode.solvers.HeapCheck.require("a gradient over " + times.length + " observation times of rows × dim = "
                    + rows + " × " + dim + " doubles", buffers);
        }
        if (gradientMethod instanceof MultistepBackprop m) {
            if (!m.method().equals(method)) {
                throw new IllegalArgumentException("method must be MultistepBackprop's own method " + m.method().name()
                        + ", got " + method.name());
            }
        } else if (gradientMethod instanceof Backprop || gradientMethod instanceof InterpolatingAdjoint) {
            if (!(method instanceof dev.panode.solvers.RungeKutta) && !(method instanceof dev.panode.solvers.Esdirk)
                    && !(method instanceof dev.panode.solvers.Rosenbrock)) {
                throw new IllegalArgumentException(gradientMethod.getClass().getSimpleName()
                        + " needs a RungeKutta, Esdirk or Rosenbrock forward method, got " + method.name());
            }
        } else if (!(gradientMethod instanceof BacksolveAdjoint) && !(method instanceof dev.panode.solvers.RungeKutta)) {
            throw new IllegalArgumentException(gradientMethod.getClass().getSimpleName()
                    + " needs a RungeKutta forward method, got " + method.name());
        }
        return new GradientProblem(field, new double[rows * dim], rows, dim, times.clone(), loss, method, options,
                timeGradients);
    }
}
