package dev.panode.solvers;

/**
 * Per-thread scratch that a {@link VectorField} needs to evaluate itself (for an MLP: the layer activations).
 * A workspace is owned by one solve at a time and is never shared between threads; the field itself stays
 * immutable and shareable.
 */
public interface FieldWorkspace {
    /** The workspace of fields that need no scratch. */
    FieldWorkspace NONE = new FieldWorkspace() {};
}
