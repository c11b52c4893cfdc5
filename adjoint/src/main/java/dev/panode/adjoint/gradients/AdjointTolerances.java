package dev.panode.adjoint.gradients;

final class AdjointTolerances {
    private AdjointTolerances() {}

    /** NaN means "inherit from the forward solve"; otherwise finite and non-negative, and not both zero. */
    static void check(double rtol, double atol) {
        if (!Double.isNaN(rtol) && (!(rtol >= 0) || Double.isInfinite(rtol))) {
            throw new IllegalArgumentException("rtol must be finite and >= 0 (or NaN to inherit), got " + rtol);
        }
        if (!Double.isNaN(atol) && (!(atol >= 0) || Double.isInfinite(atol))) {
            throw new IllegalArgumentException("atol must be finite and >= 0 (or NaN to inherit), got " + atol);
        }
        if (rtol == 0.0 && atol == 0.0) throw new IllegalArgumentException("rtol and atol must not both be 0");
    }
}
