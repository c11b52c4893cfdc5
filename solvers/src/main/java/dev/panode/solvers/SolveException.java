package dev.panode.solvers;

/**
 * Thrown by a solve that failed while stepping (unless {@code throwOnFailure(false)}); it carries the partial
 * solution, whose {@link Solution#result()} names the failure.
 */
public final class SolveException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Solution partial;

    SolveException(Solution partial) {
        super(partial.message());
        this.partial = partial;
    }

    /** The failure. */
    public Result result() {
        return partial.result();
    }

    /** What was solved before the failure. */
    public Solution partialSolution() {
        return partial;
    }
}
