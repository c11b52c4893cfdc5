package dev.panode.solvers;

/**
 * Per-thread scratch that a {@link VectorField} needs to evaluate itself (for an MLP: the layer activations).
 * A workspace is owned by one solve at a time and is never shared between threads; the field itself stays
 * immutable and shareable.
 */
public interface FieldWorkspace {
    /** The workspace of fields that need no scratch. */
    FieldWorkspace NONE = new FieldWorkspace() {};

    /**
     * A promise that the field's parameters stay unchanged until {@link #releaseParameters()}: a field that keeps
     * something derived from them in its workspace (an MLP: each layer's packed Wᵀ, see
     * {@code dev.panode.simd.DenseKernel}) may then check it against the parameters at the first evaluation only,
     * instead of at every evaluation. {@link Solver} holds its field's workspace for the duration of a solve
     * (parameters change between solves, never during one). Breaking the promise gives results computed from the old
     * parameters. The default does nothing: every evaluation checks.
     */
    default void holdParameters() {}

    /** Ends a {@link #holdParameters() hold}: from the next evaluation on, parameters are checked at every call. */
    default void releaseParameters() {}
}
