package dev.panode.solvers;

/**
 * The PID step-size controller of diffrax (Söderlind 2002, 2003), with ε_n the scaled error of the current attempt:
 *
 * <pre>
 * c1 = (βI + βP + βD)/q,  c2 = −(βP + 2βD)/q,  c3 = βD/q
 * factor = safety · ε_n^(−c1) · ε_{n−1}^(−c2) · ε_{n−2}^(−c3)
 * </pre>
 *
 * clamped to [1, factorMax] on accept and to [factorMin, safety] on reject; the history shifts only on accept, starts
 * at ε = 1, and a zero or non-finite ε is stored as 1. q = errorOrder + 1 of the method.
 *
 * <p>Presets: {@link #integral()} (βI = 1, the plain I controller) and {@link #gustafsson()} (PI, (βP, βI) = (0.4, 0.3)).
 *
 * @param pcoeff    βP
 * @param icoeff    βI
 * @param dcoeff    βD
 * @param factorMin smallest factor on rejection, in (0, 1)
 * @param factorMax largest factor on accept, &gt; 1
 * @param safety    safety factor, in (0, 1]
 */
public record PidController(double pcoeff, double icoeff, double dcoeff, double factorMin, double factorMax, double safety)
        implements StepSizeController {

    /** Checks the coefficients (finite, positive sum) and the bounds (factorMin in (0, 1), factorMax finite and &gt; 1, safety in (0, 1]). */
    public PidController {
        if (!Double.isFinite(pcoeff) || !Double.isFinite(icoeff) || !Double.isFinite(dcoeff))
            throw new IllegalArgumentException("INVALID_ARGUMENT: PID coefficients must be finite, got (" + pcoeff + ", "
                    + icoeff + ", " + dcoeff + ")");
        if (!(pcoeff + icoeff + dcoeff > 0))
            throw new IllegalArgumentException("INVALID_ARGUMENT: pcoeff + icoeff + dcoeff must be > 0, got "
                    + (pcoeff + icoeff + dcoeff));
        if (!(factorMin > 0 && factorMin < 1)) throw new IllegalArgumentException("INVALID_ARGUMENT: factorMin must be in (0, 1), got " + factorMin);
        if (!(factorMax > 1 && Double.isFinite(factorMax))) throw new IllegalArgumentException("INVALID_ARGUMENT: factorMax must be finite and > 1, got " + factorMax);
        if (!(safety > 0 && safety <= 1)) throw new IllegalArgumentException("INVALID_ARGUMENT: safety must be in (0, 1], got " + safety);
    }

    /** βI = 1, βP = βD = 0: the integral controller, diffrax's default. */
    public static PidController integral() {
        return new PidController(0.0, 1.0, 0.0, 0.2, 10.0, 0.9);
    }

    /** Gustafsson's PI controller, (βP, βI) = (0.4, 0.3): smoother step sequences on mildly stiff problems. */
    public static PidController gustafsson() {
        return new PidController(0.4, 0.3, 0.0, 0.2, 10.0, 0.9);
    }

    /** The same controller with other bounds. */
    public PidController withFactors(double factorMin, double factorMax, double safety) {
        return new PidController(pcoeff, icoeff, dcoeff, factorMin, factorMax, safety);
    }

    @Override
    public boolean isAdaptive() {
        return true;
    }

    @Override
    public double factor(double ratio, boolean accepted, int q, double[] history) {
        double lo = accepted ? 1.0 : factorMin;
        double hi = accepted ? factorMax : safety;
        if (!(ratio < Double.POSITIVE_INFINITY)) return factorMin;
        double e0 = ratio == 0.0 ? 1.0 : ratio; // a zero error would give an infinite factor; the clamp bounds it anyway
        double c1 = (icoeff + pcoeff + dcoeff) / q, c2 = -(pcoeff + 2 * dcoeff) / q, c3 = dcoeff / q;
        double f;
        if (ratio == 0.0) {
            f = hi;
        } else {
            f = safety * Math.pow(e0, -c1);
            if (c2 != 0.0) f *= Math.pow(history[0], -c2);
            if (c3 != 0.0) f *= Math.pow(history[1], -c3);
        }
        f = Math.min(hi, Math.max(lo, f));
        if (accepted) {
            history[1] = history[0];
            history[0] = ratio > 0 && Double.isFinite(ratio) ? ratio : 1.0;
        }
        return f;
    }
}
