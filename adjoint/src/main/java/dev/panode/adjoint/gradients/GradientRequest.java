package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;

/**
 * A gradient to compute: a problem and a loss over its time grid, with named choices for the forward method, the
 * solve options and the gradient method. Made by {@link Gradients#of}; immutable, every {@code with} method returns a
 * new request, so a configured request can be kept and computed many times.
 *
 * <pre>{@code
 * GradientResult g = Gradients.of(problem, Loss.sumOfSquaresAtEnd())
 *         .method(RungeKutta.tsit5())
 *         .options(SolveOptions.builder().rtol(1e-6).atol(1e-8).build())
 *         .gradientMethod(BacksolveAdjoint.of(AdjointNorm.SEMINORM))
 *         .compute();
 * }</pre>
 *
 * <p>Defaults: dopri5, {@link SolveOptions#defaults()} (rtol 1e-7, atol 1e-9), {@link Backprop#storeAll()}, no time
 * gradients. The loss sees the states at every time of the problem's grid, which must increase strictly; the solve
 * options may not choose their own save policy or ask not to throw, since a gradient needs the whole forward solve
 * at exactly those times (they are refused, never silently overridden).
 */
public final class GradientRequest {
    private final OdeProblem<? extends DifferentiableField> problem;
    private final Loss loss;
    private final OdeMethod method;
    private final SolveOptions options;
    private final GradientMethod gradientMethod;
    private final boolean timeGradients;

    private GradientRequest(OdeProblem<? extends DifferentiableField> problem, Loss loss, OdeMethod method,
                            SolveOptions options, GradientMethod gradientMethod, boolean timeGradients) {
        this.problem = problem;
        this.loss = loss;
        this.method = method;
        this.options = options;
        this.gradientMethod = gradientMethod;
        this.timeGradients = timeGradients;
    }

    static GradientRequest of(OdeProblem<? extends DifferentiableField> problem, Loss loss) {
        if (problem == null) throw new IllegalArgumentException("problem must be non-null");
        if (loss == null) throw new IllegalArgumentException("loss must be non-null");
        return new GradientRequest(problem, loss, RungeKutta.dopri5(), SolveOptions.defaults(), Backprop.storeAll(),
                false);
    }

    /** The forward method (dopri5 by default); backprop and the interpolating adjoint need a Runge–Kutta method. */
    public GradientRequest method(OdeMethod method) {
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        return new GradientRequest(problem, loss, method, options, gradientMethod, timeGradients);
    }

    /**
     * The forward solve's options: controller, tolerances, step bounds, convention, observer.
     *
     * @throws IllegalArgumentException when the options choose a save policy or turn throwing off
     */
    public GradientRequest options(SolveOptions options) {
        if (options == null) throw new IllegalArgumentException("options must be non-null");
        if (options.hasExplicitSaveAt()) {
            throw new IllegalArgumentException("options.saveAt must be left unset: the loss sees the problem's time "
                    + "grid; got " + options.saveAt());
        }
        if (!options.throwOnFailure()) {
            throw new IllegalArgumentException("options.throwOnFailure must be true: a gradient needs the whole "
                    + "forward solve; got false");
        }
        return new GradientRequest(problem, loss, method, options, gradientMethod, timeGradients);
    }

    /** Backprop through the solver (the default), a backsolve adjoint or the interpolating adjoint. */
    public GradientRequest gradientMethod(GradientMethod gradientMethod) {
        if (gradientMethod == null) throw new IllegalArgumentException("gradientMethod must be non-null");
        return new GradientRequest(problem, loss, method, options, gradientMethod, timeGradients);
    }

    /** Also computes dL/dt_i for every time of the grid. */
    public GradientRequest withTimeGradients() {
        return new GradientRequest(problem, loss, method, options, gradientMethod, true);
    }

    /**
     * Runs the forward solve and the gradient method.
     *
     * @throws IllegalArgumentException on an invalid combination (the message names it)
     * @throws CheckpointBudgetExceededException when the checkpoint budget cannot hold even y_0
     * @throws dev.panode.solvers.SolveException when the forward or a backward solve fails
     */
    public GradientResult compute() {
        return Gradients.compute(problem.field(), problem.y0(), problem.rows(), problem.times(), loss, method, options,
                gradientMethod, timeGradients);
    }

    /**
     * A {@link GradientSession} for this request's shape (the problem's field, rows and time grid, this loss, method,
     * options and gradient method): made once, it computes the gradient from one initial state after another, and
     * after parameter updates, without allocating. {@code session().compute(problem.y0())} equals {@link #compute()}
     * bit for bit. Close it to free its off-heap memory.
     *
     * @throws IllegalArgumentException on an invalid combination (the message names it)
     * @throws CheckpointBudgetExceededException when the checkpoint budget cannot hold even y_0
     */
    public GradientSession session() {
        return Gradients.session(problem.field(), problem.rows(), problem.dim(), problem.times(), loss, method,
                options, gradientMethod, timeGradients);
    }
}
