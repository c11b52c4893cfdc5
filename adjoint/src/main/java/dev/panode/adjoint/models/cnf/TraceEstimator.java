package dev.panode.adjoint.models.cnf;

/**
 * How a {@link CnfField} computes the divergence tr(∂f/∂z) of its dynamics.
 */
public enum TraceEstimator {
    /**
     * The exact trace Σ_i e_iᵀ(∂f/∂z)e_i: D Jacobian–vector products per evaluation (one GEMM over D + 1 stacked row
     * blocks per layer). The choice for small D (the 2-D toys); its cost grows with D.
     */
    EXACT,
    /**
     * Hutchinson's estimator εᵀ(∂f/∂z)ε with Rademacher ε (entries ±1), unbiased with the smallest variance among
     * estimators of this form (Hutchinson 1990); FFJORD's default (Grathwohl et al. 2019). One Jacobian–vector
     * product per evaluation whatever D.
     */
    HUTCHINSON_RADEMACHER,
    /** Hutchinson's estimator with standard normal ε: unbiased, with a larger variance than Rademacher's. */
    HUTCHINSON_GAUSSIAN;

    /** The number of probe vectors per row: D for {@link #EXACT}, 1 otherwise. */
    int probes(int dim) {
        return this == EXACT ? dim : 1;
    }
}
