package dev.panode.solvers;

/**
 * The increment of a one-sided (forward) difference in one variable, as the implicit methods use it: for ∂f/∂y when the
 * field has no Jacobian of its own, and for the Rosenbrock methods' ∂f/∂t on non-autonomous fields (their discrete
 * adjoints differentiate the same difference, so they must step to the same point).
 *
 * <p>The increment is Hairer and Wanner's (RADAU5, "Solving Ordinary Differential Equations II", §IV.8):
 * δ = √(u · max(10⁻⁵, |x|)) with u the unit roundoff, which balances the truncation error (∝ δ) against the rounding
 * error (∝ u/δ). The caller divides by (x + δ) − x, the increment as represented, so that the difference quotient
 * has no error from rounding the point. The quotient's relative error is about √u for |x| ≥ 1 and grows to about
 * u/δ ≈ 10⁻⁷ as |x| goes to 0 (the floor 10⁻⁵). Costs one square root. Not for derivatives that need more digits:
 * use the field's exact Jacobian or a VJP there.
 */
public final class ForwardDifference {
    /** The unit roundoff u of double precision, 2⁻⁵³. */
    public static final double UNIT_ROUNDOFF = Math.ulp(1.0) / 2;

    private ForwardDifference() {}

    /**
     * The point x + δ, δ = √(u · max(10⁻⁵, |x|)), at which a forward difference in x evaluates; beyond |x| ≈ 4/u,
     * where that δ is below half an ulp of x and x + δ would round back to x (a quotient 0/0), the next double above x.
     */
    public static double perturbed(double x) {
        double p = x + Math.sqrt(UNIT_ROUNDOFF * Math.max(1e-5, Math.abs(x)));
        return p != x ? p : Math.nextUp(x);
    }
}
