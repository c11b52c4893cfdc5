package dev.panode.adjoint.gradients;

import dev.panode.solvers.Esdirk;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.Interpolant;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.TorchdiffeqConventions;

/**
 * The discrete adjoint of one step of a method, what {@link BackpropPass} reverses a solve with: replay a step from its
 * starting state, and reverse it (∂L/∂y_new → ∂L/∂y, accumulating ∂L/∂θ). {@link RungeKuttaReverse} for the explicit
 * Runge–Kutta methods, {@link EsdirkReverse} and {@link RosenbrockReverse} for the implicit ones. One instance per
 * gradient session; allocation-free after construction.
 */
interface StepReversal {
    /**
     * The discrete adjoint of one step of the problem's method: explicit Runge–Kutta (the forward convention's
     * variant), ESDIRK or Rosenbrock.
     *
     * @throws IllegalArgumentException for any other method
     */
    static StepReversal of(GradientProblem p) {
        return switch (p.method()) {
            case RungeKutta rk -> new RungeKuttaReverse(p.field(), TorchdiffeqConventions.method(rk, p.options()),
                    p.rows(), p.dim());
            case Esdirk e -> new EsdirkReverse(p.field(), e, p.rows(), p.dim(), p.options());
            case Rosenbrock r -> new RosenbrockReverse(p.field(), r, p.rows(), p.dim(), p.options());
            default -> throw new IllegalArgumentException("the gradient needs a RungeKutta, Esdirk or Rosenbrock "
                    + "method, got " + p.method().name());
        };
    }

    /** The stages of a step (the length of {@link #addStageCotangent}'s index range). */
    int stages();

    /** The field workspace this instance evaluates with; others on the same thread may share it between calls. */
    FieldWorkspace workspace();

    /** Field evaluations so far (stage rebuilds and forward replays). */
    long evaluations();

    /** VJPs so far. */
    long vjps();

    /** Clears the counters (a session runs one gradient after another). */
    void resetCounters();

    /** Replays one step: {@code yOut} = the step's result from {@code y}; {@code yOut} may alias {@code y}. */
    void advance(double t, double h, double[] y, double[] yOut);

    /**
     * The stage derivative k_i of the step last replayed (valid until the next call), in the sense of
     * {@link #interpolant()}: y(t + θh) = y + h Σ_i w_i(θ) k_i.
     */
    double[] stage(int i);

    /** The dense output of a replayed step over its {@link #stage} vectors. */
    Interpolant interpolant();

    /** One plain evaluation {@code out = f(t, y)}, counted. */
    void evaluateField(double t, double[] y, double[] out);

    /** Starts the reverse of a step: clears the extra stage cotangents. */
    void beginReverse();

    /**
     * Adds {@code w·v} to the cotangent of stage {@code i} (for interpolated save times inside the step); only for
     * methods whose forward solve may interpolate inside a step ({@link #interpolatesInsideSteps()}).
     */
    void addStageCotangent(int i, double w, double[] v);

    /**
     * Whether observations may fall inside a step (through the method's dense output); false when the forward solve
     * must land on every observation time.
     */
    boolean interpolatesInsideSteps();

    /**
     * Whether a step's last stage is f at the step's end point, the state the step returns ({@code Y_{s−1} = y_new}
     * bit for bit, at {@code t + h}): first same as last, so that the next step's first stage is the same evaluation
     * and a cotangent on the last stage may be given to the next step's first VJP instead (the VJP is linear in it).
     */
    default boolean firstSameAsLast() {
        return false;
    }

    /**
     * Reverses one step from state {@code y} at time t with step h. On entry {@code yBar} = ∂L/∂y_new, on exit
     * ∂L/∂y; {@code thetaBar} accumulates ∂L/∂θ. {@code y} is not modified. Call {@link #beginReverse()} first.
     *
     * @param saved     null to rebuild the stages from y; otherwise stage i's saved evaluation is
     *                  {@code saved[firstSlot + i]} (explicit Runge–Kutta only)
     * @param firstSlot the slot of stage 0 in {@code saved}
     */
    void reverse(double t, double h, double[] y, double[] yBar, double[] thetaBar, double[][] saved,
                 int firstSlot);
}
