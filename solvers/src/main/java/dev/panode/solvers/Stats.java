package dev.panode.solvers;

/**
 * Statistics of a solve.
 *
 * @param nfe            evaluations of the vector field (each over the whole batch), the initial-step heuristic and
 *                       finite-difference Jacobians included
 * @param accepted       accepted steps
 * @param rejected       rejected steps
 * @param jacobians      Jacobian evaluations of an implicit method (CVODE's {@code nje}); 0 for explicit methods
 * @param factorisations LU factorisations of the iteration matrix I − γhJ over the batch (CVODE's {@code nsetups}, one
 *                       per row of the batch counted once); 0 for explicit methods
 */
public record Stats(long nfe, long accepted, long rejected, long jacobians, long factorisations) {
    /** The statistics of a method without linear algebra (explicit methods): no Jacobians, no factorisations. */
    public Stats(long nfe, long accepted, long rejected) {
        this(nfe, accepted, rejected, 0, 0);
    }

    /** Attempted steps: accepted plus rejected. */
    public long steps() {
        return accepted + rejected;
    }
}
