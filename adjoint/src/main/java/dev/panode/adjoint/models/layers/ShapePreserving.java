package dev.panode.adjoint.models.layers;

/**
 * A layer whose output has as many columns as its input ({@code width}): element-wise maps, activations, scalings.
 * Implementing {@link #width()} supplies both widths; a record with a {@code width} component does so by itself.
 */
public interface ShapePreserving extends Layer {

    /** Columns of the input and of the output. */
    int width();

    @Override
    default int inputWidth() {
        return width();
    }

    @Override
    default int outputWidth() {
        return width();
    }
}
