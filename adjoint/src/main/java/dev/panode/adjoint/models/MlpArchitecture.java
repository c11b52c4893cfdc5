package dev.panode.adjoint.models;

import dev.panode.blas.Arguments;
import dev.panode.simd.VectorApi;
import java.util.List;

/**
 * The shape of an {@link Mlp}: state dimension, layer widths, per-layer activations, an optional time input and an
 * optional fixed input transform. Immutable and validated.
 *
 * <p>Layer l (0-based, L layers) maps {@code inputs(l)} to {@code outputs(l) = widths.get(l)}; the last width equals
 * {@code dim}. The first layer sees {@code x₀ = [φ(y), t]} (the t column only with {@code timeInput}), so
 * {@code inputs(0) = dim + (timeInput ? 1 : 0)}.
 *
 * <p><b>Flat parameter layout</b>: for l = 0..L−1, {@code W_l} row-major {@code outputs(l) × inputs(l)} (torch's
 * {@code Linear.weight}), then {@code b_l}. {@link #weightOffset}/{@link #biasOffset} give the offsets.
 *
 * @param dim            the state dimension d of one sample
 * @param widths         output width of every layer; the last must be {@code dim}
 * @param activations    one activation per layer (the last is usually {@link Activation#IDENTITY})
 * @param timeInput      whether t is appended to the input as one extra column
 * @param inputTransform fixed element-wise map applied to y before the first layer
 */
public record MlpArchitecture(int dim, List<Integer> widths, List<Activation> activations, boolean timeInput,
                              InputTransform inputTransform) {

    /** Checks the shape: {@code dim ≥ 1}, one activation per layer, widths ≥ 1 with the last equal to {@code dim}. */
    public MlpArchitecture {
        VectorApi.require();
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        widths = Arguments.nonNullCopy(widths, "widths");
        activations = Arguments.nonNullCopy(activations, "activations");
        Arguments.nonNull(inputTransform, "inputTransform");
        if (widths.isEmpty()) throw new IllegalArgumentException("widths must name at least one layer, got an empty list");
        if (activations.size() != widths.size()) {
            throw new IllegalArgumentException("activations must have one entry per layer (" + widths.size()
                    + "), got " + activations.size());
        }
        for (int l = 0; l < widths.size(); l++) {
            if (widths.get(l) < 1) throw new IllegalArgumentException("widths[" + l + "] must be >= 1, got " + widths.get(l));
        }
        if (widths.getLast() != dim) {
            throw new IllegalArgumentException("the last layer width must equal dim " + dim + ", got " + widths.getLast());
        }
        long count = 0;
        int in = dim + (timeInput ? 1 : 0);
        for (int w : widths) {
            count += (long) w * in + w;
            in = w;
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many parameters for one double[]: " + count);
        }
    }

    /**
     * {@code hiddenLayers} hidden layers of width {@code hidden} with activation {@code act}, then a linear output
     * layer back to {@code dim}; no time input, no transform. {@code of(D, H, 2, TANH)} is the reference files'
     * {@code mlp3_tanh}.
     */
    public static MlpArchitecture of(int dim, int hidden, int hiddenLayers, Activation act) {
        VectorApi.require();
        if (hiddenLayers < 0) throw new IllegalArgumentException("hiddenLayers must be >= 0, got " + hiddenLayers);
        Arguments.nonNull(act, "act");
        Integer[] w = new Integer[hiddenLayers + 1];
        Activation[] a = new Activation[hiddenLayers + 1];
        for (int l = 0; l < hiddenLayers; l++) {
            w[l] = hidden;
            a[l] = act;
        }
        w[hiddenLayers] = dim;
        a[hiddenLayers] = Activation.IDENTITY;
        return new MlpArchitecture(dim, List.of(w), List.of(a), false, InputTransform.NONE);
    }

    /** The reference files' {@code mlp3_tanh}: D → H → H → D with tanh, tanh, identity. */
    public static MlpArchitecture mlp3Tanh(int dim, int hidden) {
        VectorApi.require();
        return of(dim, hidden, 2, Activation.TANH);
    }

    /** This architecture with or without the time column. */
    public MlpArchitecture withTimeInput(boolean on) {
        return new MlpArchitecture(dim, widths, activations, on, inputTransform);
    }

    /** This architecture with another input transform. */
    public MlpArchitecture withInputTransform(InputTransform transform) {
        return new MlpArchitecture(dim, widths, activations, timeInput, transform);
    }

    /** The number of layers L. */
    public int layerCount() {
        return widths.size();
    }

    /** Input width of layer l. */
    public int inputs(int l) {
        return l == 0 ? dim + (timeInput ? 1 : 0) : widths.get(l - 1);
    }

    /** Output width of layer l. */
    public int outputs(int l) {
        return widths.get(l);
    }

    /** Offset of {@code W_l} in the flat parameter vector. */
    public int weightOffset(int l) {
        checkLayer(l);
        int off = 0;
        for (int k = 0; k < l; k++) off += outputs(k) * inputs(k) + outputs(k);
        return off;
    }

    /** Offset of {@code b_l} in the flat parameter vector. */
    public int biasOffset(int l) {
        return weightOffset(l) + outputs(l) * inputs(l);
    }

    /** The sizes of the parameter tensors in layout order: W_1 (out × in), b_1, W_2, b_2, … */
    public int[] parameterTensorSizes() {
        int[] sizes = new int[2 * layerCount()];
        for (int l = 0; l < layerCount(); l++) {
            sizes[2 * l] = outputs(l) * inputs(l);
            sizes[2 * l + 1] = outputs(l);
        }
        return sizes;
    }

    /** The total number of parameters P. */
    public int parameterCount() {
        int l = layerCount() - 1;
        return biasOffset(l) + outputs(l);
    }

    /** The widest layer input or output. */
    public int maxWidth() {
        int m = inputs(0);
        for (int w : widths) m = Math.max(m, w);
        return m;
    }

    /** Multiply–adds of one forward pass per sample (the GEMMs only). */
    public long forwardMultiplyAddsPerRow() {
        long s = 0;
        for (int l = 0; l < layerCount(); l++) s += (long) inputs(l) * outputs(l);
        return s;
    }

    private void checkLayer(int l) {
        if (l < 0 || l >= layerCount()) {
            throw new IllegalArgumentException("layer must be in [0, " + layerCount() + "), got " + l);
        }
    }
}
