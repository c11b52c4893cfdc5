package dev.panode.solvers;

/**
 * An ESDIRK method (explicit first stage, singly diagonally implicit Runge–Kutta) for stiff problems, with a simplified
 * Newton iteration whose LU of I − γhJ is reused across stages and steps (see {@link EsdirkStepper} for the strategy).
 * Plugs into {@link Solver#solve} like the explicit methods: the same controllers, error norms, saving and dense output
 * (cubic Hermite from y and the method's own stage derivatives at both ends of the step, no extra evaluation; the
 * last stage derivative is also the next step's first, so a step costs its Newton iterations and nothing more). The Jacobian comes from the field when it is a
 * {@link JacobianField}, else from forward differences (dim evaluations per Jacobian, batched over the rows). A batch
 * of rows has a block-diagonal Jacobian: one LU per row, through {@link dev.panode.blas.Lapack}.
 *
 * <p>Statistics: {@link Stats#jacobians()} and {@link Stats#factorisations()} count the Jacobians and the LUs; NFE
 * counts every evaluation (Newton iterations and finite differences).
 *
 * <p>When to use: stiff problems at moderate to tight tolerances (1e-4 .. 1e-10) of small or medium dimension, when the
 * Jacobian is expensive or only available by differences (it is reused across many steps). When not to: non-stiff
 * problems (an explicit method needs no linear algebra), large dimensions (dense LU, O(dim³) per factorisation), or
 * {@link SaveAt#dense()} (not supported; use {@link SaveAt#times}). A failed Newton iteration is reported to the
 * solver as a non-finite attempt, which is rejected and retried with the controller's smallest factor.
 *
 * <p>Reference: A. Kværnø, BIT 44 (2004) 489–502 (the tableau); E. Hairer and G. Wanner, Solving Ordinary Differential
 * Equations II, 2nd ed., §IV.8 (the simplified Newton iteration and its stopping rule).
 */
public final class Esdirk implements OdeMethod {
    private final DirkTableau tableau;
    private final int maxNewtonIterations;
    private final double slowContraction, refactorRatio, newtonTolerance;

    private Esdirk(DirkTableau tableau, int maxNewtonIterations, double slowContraction, double refactorRatio,
                   double newtonTolerance) {
        if (tableau == null) throw new IllegalArgumentException("tableau must be non-null");
        if (maxNewtonIterations < 1)
            throw new IllegalArgumentException("maxNewtonIterations must be >= 1, got " + maxNewtonIterations);
        if (!(slowContraction > 0 && slowContraction < 1))
            throw new IllegalArgumentException("slowContraction must be in (0, 1), got " + slowContraction);
        if (!(refactorRatio >= 0 && refactorRatio < 1))
            throw new IllegalArgumentException("refactorRatio must be in [0, 1), got " + refactorRatio);
        if (!(newtonTolerance > 0 && newtonTolerance < 1))
            throw new IllegalArgumentException("newtonTolerance must be in (0, 1), got " + newtonTolerance);
        this.tableau = tableau;
        this.maxNewtonIterations = maxNewtonIterations;
        this.slowContraction = slowContraction;
        this.refactorRatio = refactorRatio;
        this.newtonTolerance = newtonTolerance;
    }

    /**
     * A method from a stiffly accurate ESDIRK tableau, with the defaults: at most 7 Newton iterations per stage, a new
     * Jacobian after a contraction rate above 0.05, a new LU when γh moved by more than 30% (CVODE's 0.3), the
     * iteration stopped at κ = 0.03 in the solve's error norm.
     */
    public static Esdirk of(DirkTableau tableau) {
        return new Esdirk(tableau, 7, 0.05, 0.3, 0.03);
    }

    /** Kværnø's 5(4) pair, 7 stages, L-stable ({@link DirkTableau#kvaerno5()}). */
    public static Esdirk kvaerno5() {
        return of(DirkTableau.kvaerno5());
    }

    /** The same method with other Newton settings (see the class comment and {@link EsdirkStepper}). */
    public Esdirk withNewton(int maxIterations, double slowContraction, double refactorRatio) {
        return new Esdirk(tableau, maxIterations, slowContraction, refactorRatio, newtonTolerance);
    }

    /**
     * The same method with another stopping threshold κ for the Newton iteration (η‖Δ‖ ≤ κ, ‖·‖ the solve's error norm,
     * so κ is a fraction of the tolerances). With constant steps the solve has no tolerances of its own and the norm
     * is scaled by the defaults (rtol 1e-7, atol 1e-9): a smaller κ then solves the stages more tightly.
     */
    public Esdirk withNewtonTolerance(double kappa) {
        return new Esdirk(tableau, maxNewtonIterations, slowContraction, refactorRatio, kappa);
    }

    /** The tableau. */
    public DirkTableau tableau() {
        return tableau;
    }

    /** At most this many Newton iterations per stage. */
    public int maxNewtonIterations() {
        return maxNewtonIterations;
    }

    /** A contraction rate θ above this makes the next step evaluate a new Jacobian. */
    public double slowContraction() {
        return slowContraction;
    }

    /** The Newton iteration stops when η‖Δ‖ ≤ this, in the solve's error norm. */
    public double newtonTolerance() {
        return newtonTolerance;
    }

    /** The LU is redone when |γh / γh_factorised − 1| exceeds this. */
    public double refactorRatio() {
        return refactorRatio;
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
        return new EsdirkStepper(this, field, maxRows, dim);
    }

    @Override
    public String toString() {
        return name();
    }
}
