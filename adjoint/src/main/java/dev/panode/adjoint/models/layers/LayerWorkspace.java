package dev.panode.adjoint.models.layers;

/**
 * Per-thread scratch of one {@link Layer}: whatever its forward pass keeps for its backward pass and any temporary
 * buffers, sized once for a maximum number of rows by {@link Layer#newWorkspace}. Owned by one evaluation at a time,
 * never shared between threads.
 */
public interface LayerWorkspace {
    /** The workspace of layers that need no scratch. */
    LayerWorkspace NONE = new LayerWorkspace() {};

    /**
     * The parameters will not change until {@link #releaseParameters()} (see
     * {@link dev.panode.solvers.FieldWorkspace#holdParameters()}): what the layer derives from them may be checked
     * once. A container passes it on to its layers' workspaces. The default does nothing.
     */
    default void holdParameters() {}

    /** Ends a {@link #holdParameters() hold}. */
    default void releaseParameters() {}
}
