package dev.panode.solvers;

/**
 * Statistics of a solve.
 *
 * @param nfe      evaluations of the vector field (each over the whole batch), the initial-step heuristic included
 * @param accepted accepted steps
 * @param rejected rejected steps
 */
public record Stats(long nfe, long accepted, long rejected) {
    /** Attempted steps: accepted plus rejected. */
    public long steps() {
        return accepted + rejected;
    }
}
