package dev.panode.solvers;

/**
 * A Rosenbrock (linearly implicit Runge–Kutta) method for stiff problems: no Newton iteration, one Jacobian and one
 * LU of I − γhJ per step, s linear solves. Plugs into {@link Solver#solve} like the explicit methods (controllers,
 * norms, saving; dense output from the stages, Steinebach's order-4 interpolant for Rodas5P). The Jacobian comes from the field when it is a {@link JacobianField},
 * else from forward differences (dim evaluations, batched over the rows); ∂f/∂t costs one more evaluation per step
 * unless the field declares itself autonomous. A batch of rows: one LU per row ({@link dev.panode.blas.Lapack}).
 *
 * <p>When to use: stiff problems at loose to moderate tolerances (1e-3 .. 1e-8), small dimension, a cheap and exact
 * Jacobian (ideally analytic). When not to: an inexact Jacobian (the order drops: differences are usually fine, a
 * stale one is not), large dimensions, non-stiff problems, {@link SaveAt#dense()} (not supported).
 *
 * <p>References: G. Steinebach, BIT 63 (2023) 27 (Rodas5P); E. Hairer and G. Wanner, Solving Ordinary Differential
 * Equations II, 2nd ed., §IV.7 (Rosenbrock methods, the transformed form used here).
 */
public final class Rosenbrock implements OdeMethod {
    private final RosenbrockTableau tableau;

    private Rosenbrock(RosenbrockTableau tableau) {
        if (tableau == null) throw new IllegalArgumentException("tableau must be non-null");
        this.tableau = tableau;
    }

    /** A method from its tableau. */
    public static Rosenbrock of(RosenbrockTableau tableau) {
        return new Rosenbrock(tableau);
    }

    /** Steinebach's Rodas5P, 8 stages, order 5 (4), stiffly accurate, L-stable ({@link RosenbrockTableau#rodas5p()}). */
    public static Rosenbrock rodas5p() {
        return of(RosenbrockTableau.rodas5p());
    }

    /** The tableau. */
    public RosenbrockTableau tableau() {
        return tableau;
    }

    @Override
    public String name() {
        return tableau.name();
    }

    @Override
    public int order() {
        return tableau.order();
    }

    @Override
    public int errorOrder() {
        return tableau.errorOrder();
    }

    @Override
    public Stepper newStepper(VectorField field, int maxRows, int dim) {
        return new RosenbrockStepper(this, field, maxRows, dim);
    }

    @Override
    public String toString() {
        return name();
    }
}
