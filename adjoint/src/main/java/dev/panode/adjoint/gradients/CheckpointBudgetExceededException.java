package dev.panode.adjoint.gradients;

/**
 * Thrown when checkpoints would need more off-heap memory than the byte budget allows. The message names the budget
 * and the request; raise the budget, or choose a binomial schedule with fewer slots.
 */
public final class CheckpointBudgetExceededException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming budget and request. */
    public CheckpointBudgetExceededException(String message) {
        super(message);
    }
}
