package dev.panode.adjoint.models.layers;

/**
 * Per-thread scratch of one {@link Layer}: whatever its forward pass keeps for its backward pass and any temporary
 * buffers, sized once for a maximum number of rows by {@link Layer#newWorkspace}. Owned by one evaluation at a time,
 * never shared between threads.
 */
public interface LayerWorkspace {
    /** The workspace of layers that need no scratch. */
    LayerWorkspace NONE = new LayerWorkspace() {};
}
