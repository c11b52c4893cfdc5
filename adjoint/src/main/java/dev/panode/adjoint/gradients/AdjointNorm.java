package dev.panode.adjoint.gradients;

/**
 * The error norm of the augmented backward solve of a continuous adjoint.
 *
 * <p>Each part of the augmented state is measured as the RMS of its scaled error
 * {@code err / (atol + rtol·max(|old|, |new|))}, and the parts are combined by max, as torchdiffeq does.
 */
public enum AdjointNorm {
    /**
     * torchdiffeq's default, {@code max(|a_t|, rms(y), rms(a_y), max_p rms(a_p))} with one term per parameter tensor
     * (see {@link dev.panode.adjoint.models.DifferentiableField#parameterTensorSizes()}); use it to compare backward NFE with torchdiffeq.
     */
    FULL,
    /**
     * Kidger, Chen &amp; Lyons, "Hey, that's not an ODE" (ICML 2021): {@code max(rms(y), rms(a_y))}. The parameter and
     * time adjoints are quadratures that never feed back into the dynamics, so their local error is not controlled,
     * neither when accepting steps nor when choosing the initial step. Same gradient to about the tolerance, fewer
     * backward evaluations (40% fewer at the median in the paper).
     */
    SEMINORM
}
