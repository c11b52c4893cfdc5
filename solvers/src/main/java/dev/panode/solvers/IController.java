package dev.panode.solvers;

/**
 * The integral controller of torchdiffeq ({@code _optimal_step_size}), reproduced exactly so that NFE counts match:
 *
 * <pre>
 * ratio = 0:  h_new = h · ifactor
 * otherwise:  h_new = h · min(ifactor, max(safety / ratio^(1/q), ratio &lt; 1 ? 1 : dfactor))
 * </pre>
 *
 * with q = errorOrder + 1 of the method (5 for dopri5). An accepted step never shrinks h (except at ratio exactly 1,
 * as in torchdiffeq). A non-finite ratio (NaN/Inf in the attempt) cuts h by {@code dfactor}.
 *
 * @param safety  safety factor, in (0, 1]; torchdiffeq 0.9
 * @param ifactor largest growth per step, &gt; 1; torchdiffeq 10
 * @param dfactor smallest factor on rejection, in (0, 1); torchdiffeq 0.2
 */
public record IController(double safety, double ifactor, double dfactor) implements StepSizeController {

    /** Checks the factors: safety in (0, 1], ifactor finite and &gt; 1, dfactor in (0, 1). */
    public IController {
        if (!(safety > 0 && safety <= 1)) throw new IllegalArgumentException("INVALID_ARGUMENT: safety must be in (0, 1], got " + safety);
        if (!(ifactor > 1 && Double.isFinite(ifactor))) throw new IllegalArgumentException("INVALID_ARGUMENT: ifactor must be finite and > 1, got " + ifactor);
        if (!(dfactor > 0 && dfactor < 1)) throw new IllegalArgumentException("INVALID_ARGUMENT: dfactor must be in (0, 1), got " + dfactor);
    }

    /** torchdiffeq's defaults: safety 0.9, ifactor 10, dfactor 0.2. */
    public static IController torchdiffeq() {
        return new IController(0.9, 10.0, 0.2);
    }

    @Override
    public boolean isAdaptive() {
        return true;
    }

    @Override
    public double factor(double ratio, boolean accepted, int q, double[] history) {
        if (ratio == 0.0) return ifactor;
        if (!(ratio < Double.POSITIVE_INFINITY)) return dfactor;
        double lower = ratio < 1.0 ? 1.0 : dfactor;
        return Math.min(ifactor, Math.max(safety / Math.pow(ratio, 1.0 / q), lower));
    }
}
