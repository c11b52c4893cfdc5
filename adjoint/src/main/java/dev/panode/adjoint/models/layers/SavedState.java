package dev.panode.adjoint.models.layers;

/**
 * What a layer's backward pass reads from its workspace, copied out after a forward pass and back before the backward
 * pass, so that a {@link LayerField} can offer {@link dev.panode.adjoint.models.DifferentiableField#vjpFromSaved}
 * (backprop then stores each stage's activations instead of recomputing them). Known for the built-in layers whose
 * state is listed here; any other layer (a user's, {@link ConcatSquash}, {@link Residual}, {@link Branches}) makes
 * the whole field fall back to recomputing, which is always correct.
 */
final class SavedState {
    private SavedState() {}

    /** Doubles of state over {@code rows} rows, or −1 when the layer's state is not known here. */
    static int length(Layer layer, int rows) {
        return switch (layer) {
            case Dense d -> 0;
            case ActivationLayer a -> 0;
            case Gelu g -> 0;
            case ConcatTime c -> 0;
            case FixedTransform f -> 0;
            case DenseStack s -> s.stateLength(rows);
            case Sequential s -> s.stateLength(rows);
            default -> -1;
        };
    }

    /** Copies the state into {@code to} from {@code off}; returns the offset after it. */
    static int save(Layer layer, LayerWorkspace ws, int rows, double[] to, int off) {
        return switch (layer) {
            case DenseStack s -> s.copyState(ws, rows, to, off, true);
            case Sequential s -> s.copyState(ws, rows, to, off, true);
            default -> off;
        };
    }

    /** Copies the state back from {@code from} at {@code off}; returns the offset after it. */
    static int restore(Layer layer, LayerWorkspace ws, int rows, double[] from, int off) {
        return switch (layer) {
            case DenseStack s -> s.copyState(ws, rows, from, off, false);
            case Sequential s -> s.copyState(ws, rows, from, off, false);
            default -> off;
        };
    }

    /** Copies {@code n} doubles between a workspace buffer and the saved block, in the direction asked. */
    static int copy(double[] buffer, int n, double[] saved, int off, boolean save) {
        if (save) System.arraycopy(buffer, 0, saved, off, n);
        else System.arraycopy(saved, off, buffer, 0, n);
        return off + n;
    }
}
