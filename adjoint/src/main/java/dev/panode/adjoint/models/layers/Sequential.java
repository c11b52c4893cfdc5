package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.blas.Arguments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layers applied one after the other, {@code torch.nn.Sequential}: {@code y = g_K(… g_2(g_1(x)))}.
 *
 * <p>Parameter layout: the layers' slices in order, each as its layer documents. For dense layers and activations
 * this is the layout of a {@code torch.nn.Sequential} {@code state_dict}: {@code 0.weight} (W_1 row-major
 * {@code out × in}), {@code 0.bias}, then the next Linear's weight and bias, …; activations hold nothing.
 * {@link #parameterOffset(int)} gives each layer's offset.
 *
 * <p><b>Fusion.</b> Every maximal run of {@link Dense} layers, each optionally followed by an {@link ActivationLayer},
 * executes as one fused block: the MLP's kernels ({@link DenseStack}), per layer the product, bias and activation
 * by a {@link dev.panode.simd.DenseKernel} chosen for the layer's shape, with the activation's derivative applied in place on the cotangent. The result is the same as running the
 * layers one by one, and so is the parameter layout. So an MLP written as layers runs at the speed of the
 * hand-fused MLP.
 *
 * <p>Backward runs the layers in reverse order, passing each one's input cotangent to the one before, and sums the
 * layers' direct time derivatives. Workspace: each layer's output (the last is the caller's), the layers' own
 * workspaces and two cotangent buffers of the widest inner width.
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    private final int[] layerOffsets;
    private final Layer[] stages;
    private final int[] stageOffsets;
    private final int parameters;
    private final int widestInner;

    private Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
        if (this.layers.isEmpty()) throw new IllegalArgumentException("layers must hold at least one layer, got none");
        this.layerOffsets = new int[this.layers.size()];
        long off = 0;
        for (int k = 0; k < this.layers.size(); k++) {
            Layer l = this.layers.get(k);
            if (l.inputWidth() < 1 || l.outputWidth() < 1 || l.parameterCount() < 0) {
                throw new IllegalArgumentException("layers[" + k + "] must have widths >= 1 and parameterCount >= 0, got "
                        + l.inputWidth() + " → " + l.outputWidth() + " with " + l.parameterCount() + " parameters");
            }
            if (k > 0 && l.inputWidth() != this.layers.get(k - 1).outputWidth()) {
                throw new IllegalArgumentException("layers[" + k + "].inputWidth() must equal layers[" + (k - 1)
                        + "].outputWidth() = " + this.layers.get(k - 1).outputWidth() + ", got " + l.inputWidth()
                        + " (" + l + ")");
            }
            layerOffsets[k] = (int) off;
            off += l.parameterCount();
            if (off > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("too many parameters for one array: " + off);
        }
        this.parameters = (int) off;
        List<Layer> fused = new ArrayList<>();
        List<Integer> fusedOffsets = new ArrayList<>();
        int k = 0;
        while (k < this.layers.size()) {
            if (!(this.layers.get(k) instanceof Dense)) {
                fused.add(this.layers.get(k));
                fusedOffsets.add(layerOffsets[k]);
                k++;
                continue;
            }
            int start = k;
            List<int[]> shapes = new ArrayList<>();
            List<Activation> acts = new ArrayList<>();
            while (k < this.layers.size() && this.layers.get(k) instanceof Dense d) {
                shapes.add(new int[] {d.in(), d.out()});
                k++;
                if (k < this.layers.size() && this.layers.get(k) instanceof ActivationLayer a) {
                    acts.add(a.activation());
                    k++;
                } else {
                    acts.add(Activation.IDENTITY);
                }
            }
            int[] ins = new int[shapes.size()];
            int[] outs = new int[shapes.size()];
            for (int i = 0; i < ins.length; i++) {
                ins[i] = shapes.get(i)[0];
                outs[i] = shapes.get(i)[1];
            }
            fused.add(new DenseStack(ins, outs, acts.toArray(new Activation[0])));
            fusedOffsets.add(layerOffsets[start]);
        }
        this.stages = fused.toArray(new Layer[0]);
        this.stageOffsets = fusedOffsets.stream().mapToInt(Integer::intValue).toArray();
        int widest = 1;
        for (Layer s : stages) widest = Math.max(widest, Math.max(s.inputWidth(), s.outputWidth()));
        this.widestInner = widest;
    }

    /** The layers in order. @throws IllegalArgumentException when there are none or adjacent widths differ */
    public static Sequential of(Layer... layers) {
        Arguments.nonNull(layers, "layers");
        for (int k = 0; k < layers.length; k++) {
            if (layers[k] == null) throw new IllegalArgumentException("layers[" + k + "] must be non-null");
        }
        return new Sequential(Arrays.asList(layers));
    }

    /** The layers in order. @throws IllegalArgumentException when there are none or adjacent widths differ */
    public static Sequential of(List<? extends Layer> layers) {
        Arguments.nonNull(layers, "layers");
        return of(layers.toArray(new Layer[0]));
    }

    /** A builder that tracks the current width: {@code Sequential.builder(2).dense(50).tanh().dense(2).build()}. */
    public static Builder builder(int inputWidth) {
        return new Builder(inputWidth);
    }

    /**
     * What runs this container: its only stage when fusion left one (an MLP: the fused block), so that a field over
     * it calls the block directly, else the container itself. Same parameter layout either way.
     */
    Layer runner() {
        return stages.length == 1 && stageOffsets[0] == 0 ? stages[0] : this;
    }

    /** The layers as given (before fusion). */
    public List<Layer> layers() {
        return layers;
    }

    /** The offset of layer {@code k}'s slice in this container's parameters. */
    public int parameterOffset(int k) {
        if (k < 0 || k >= layers.size()) {
            throw new IllegalArgumentException("k must be in [0, " + layers.size() + "), got " + k);
        }
        return layerOffsets[k];
    }

    @Override
    public int inputWidth() {
        return layers.getFirst().inputWidth();
    }

    @Override
    public int outputWidth() {
        return layers.getLast().outputWidth();
    }

    @Override
    public int parameterCount() {
        return parameters;
    }

    @Override
    public int[] parameterTensorSizes() {
        return Arrays.stream(stages).flatMapToInt(s -> Arrays.stream(s.parameterTensorSizes())).toArray();
    }

    /** Each layer initialises its own slice, in order, from the same {@code rng}. */
    @Override
    public void initialise(Initialisation init, SplitMix64 rng, double[] theta, int offset) {
        for (int k = 0; k < layers.size(); k++) layers.get(k).initialise(init, rng, theta, offset + layerOffsets[k]);
    }

    @Override
    public LayerWorkspace newWorkspace(int maxRows) {
        return new Work(this, maxRows);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        double[] in = x;
        int last = stages.length - 1;
        for (int s = 0; s <= last; s++) {
            double[] out = s == last ? y : w.outputs[s];
            stages[s].forward(in, out, rows, time, theta, offset + stageOffsets[s], w.stageWork[s]);
            in = out;
        }
    }

    @Override
    public void evaluate(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        double[] in = x;
        int last = stages.length - 1;
        for (int s = 0; s <= last; s++) {
            double[] out = s == last ? y : w.outputs[s];
            stages[s].evaluate(in, out, rows, time, theta, offset + stageOffsets[s], w.stageWork[s]);
            in = out;
        }
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        Work w = (Work) ws;
        double tBar = 0.0;
        double[] g = yBar;
        int last = stages.length - 1;
        for (int s = last; s >= 0; s--) {
            double[] in = s == 0 ? x : w.outputs[s - 1];
            double[] out = s == last ? y : w.outputs[s];
            double[] dest = s == 0 ? xBar : (g == w.gradA ? w.gradB : w.gradA);
            tBar += stages[s].backward(in, out, g, dest, rows, time, theta, offset + stageOffsets[s], thetaBar,
                    wantTime, w.stageWork[s]);
            g = dest;
        }
        return wantTime ? tBar : 0.0;
    }

    /** The stages' outputs but the last, and each stage's own state, stage by stage. */
    @Override
    public int savedLength(int rows) {
        long n = 0;
        for (int s = 0; s < stages.length; s++) {
            n += stages[s].savedLength(rows) + (s < stages.length - 1 ? (long) rows * stages[s].outputWidth() : 0);
        }
        return Buffers.clamp(n);
    }

    @Override
    public void saveState(LayerWorkspace ws, int rows, double[] saved, int at) {
        Work w = (Work) ws;
        for (int s = 0; s < stages.length; s++) {
            if (s < stages.length - 1) {
                int n = rows * stages[s].outputWidth();
                Buffers.copy(w.outputs[s], n, saved, at, true);
                at += n;
            }
            stages[s].saveState(w.stageWork[s], rows, saved, at);
            at += stages[s].savedLength(rows);
        }
    }

    /** Stage by stage in forward order, so that each stage's input is back before its own state is restored. */
    @Override
    public void restoreState(double[] saved, int at, double[] x, double[] y, int rows, Times time, double[] theta,
                             int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        int last = stages.length - 1;
        for (int s = 0; s <= last; s++) {
            double[] out = s == last ? y : w.outputs[s];
            if (s < last) {
                int n = rows * stages[s].outputWidth();
                Buffers.copy(out, n, saved, at, false);
                at += n;
            }
            stages[s].restoreState(saved, at, s == 0 ? x : w.outputs[s - 1], out, rows, time, theta,
                    offset + stageOffsets[s], w.stageWork[s]);
            at += stages[s].savedLength(rows);
        }
    }

    /**
     * Each stage's own {@link Layer#forwardSaving} into its place in {@link #saveState}'s layout, so that a fused block
     * writes its activations there directly instead of into its workspace and then a copy; each stage's output but the
     * last is copied as {@link #saveState} copies it. The bits of {@link #forward}.
     */
    @Override
    public void forwardSaving(double[] x, double[] y, int rows, Times time, double[] theta, int offset,
                              LayerWorkspace ws, double[] saved, int at) {
        Work w = (Work) ws;
        double[] in = x;
        int last = stages.length - 1;
        for (int s = 0; s <= last; s++) {
            double[] out = s == last ? y : w.outputs[s];
            int n = s < last ? rows * stages[s].outputWidth() : 0;
            stages[s].forwardSaving(in, out, rows, time, theta, offset + stageOffsets[s], w.stageWork[s], saved,
                    at + n);
            if (n > 0) Buffers.copy(out, n, saved, at, true);
            at += n + stages[s].savedLength(rows);
            in = out;
        }
    }

    /**
     * The stages' outputs back from {@code saved}, then each stage's own {@link Layer#backwardFromSaved} in reverse
     * order, reading its state where {@link #forwardSaving} put it (a fused block in place, with no copy back into its
     * workspace). The bits of {@link #backward} right after {@link #forward}.
     */
    @Override
    public double backwardFromSaved(double[] saved, int at, double[] x, double[] y, double[] yBar, double[] xBar,
                                    int rows, Times time, double[] theta, int offset, double[] thetaBar,
                                    boolean wantTime, LayerWorkspace ws) {
        Work w = (Work) ws;
        int last = stages.length - 1;
        for (int s = 0; s <= last; s++) {
            if (s < last) {
                int n = rows * stages[s].outputWidth();
                Buffers.copy(w.outputs[s], n, saved, at, false);
                at += n;
            }
            w.stateAt[s] = at;
            at += stages[s].savedLength(rows);
        }
        double tBar = 0.0;
        double[] g = yBar;
        for (int s = last; s >= 0; s--) {
            double[] in = s == 0 ? x : w.outputs[s - 1];
            double[] out = s == last ? y : w.outputs[s];
            double[] dest = s == 0 ? xBar : (g == w.gradA ? w.gradB : w.gradA);
            tBar += stages[s].backwardFromSaved(saved, w.stateAt[s], in, out, g, dest, rows, time, theta,
                    offset + stageOffsets[s], thetaBar, wantTime, w.stageWork[s]);
            g = dest;
        }
        return wantTime ? tBar : 0.0;
    }

    /** The stages' workspaces, their outputs but the last, and two cotangent buffers of the widest inner width. */
    @Override
    public long workspaceDoubles(int maxRows) {
        long n = stages.length > 1 ? Buffers.doubles(2, maxRows, widestInner) : 0;
        for (int s = 0; s < stages.length; s++) {
            n = Buffers.sum(n, stages[s].workspaceDoubles(maxRows));
            if (s < stages.length - 1) n = Buffers.sum(n, Buffers.doubles(1, maxRows, stages[s].outputWidth()));
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sequential s && layers.equals(s.layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    @Override
    public String toString() {
        return "Sequential" + layers;
    }

    /** The stages' outputs but the last, their workspaces and the two cotangent buffers. */
    private static final class Work implements LayerWorkspace {
        final double[][] outputs;
        final LayerWorkspace[] stageWork;
        final double[] gradA;
        final double[] gradB;
        /** Where each stage's state starts in the saved block of the current {@link #backwardFromSaved}. */
        final int[] stateAt;

        Work(Sequential seq, int maxRows) {
            int n = seq.stages.length;
            stateAt = new int[n];
            outputs = new double[n][];
            stageWork = new LayerWorkspace[n];
            for (int s = 0; s < n; s++) {
                outputs[s] = s == n - 1 ? new double[0] : Buffers.of(maxRows, seq.stages[s].outputWidth());
                stageWork[s] = seq.stages[s].newWorkspace(maxRows);
            }
            gradA = n > 1 ? Buffers.of(maxRows, seq.widestInner) : new double[0];
            gradB = n > 1 ? Buffers.of(maxRows, seq.widestInner) : new double[0];
        }

        @Override
        public void holdParameters() {
            for (LayerWorkspace w : stageWork) w.holdParameters();
        }

        @Override
        public void releaseParameters() {
            for (LayerWorkspace w : stageWork) w.releaseParameters();
        }
    }

    /** Builds a {@link Sequential} layer by layer, each new layer taking the previous one's output width. */
    public static final class Builder {
        private final List<Layer> layers = new ArrayList<>();
        private int width;

        private Builder(int inputWidth) {
            if (inputWidth < 1) throw new IllegalArgumentException("inputWidth must be >= 1, got " + inputWidth);
            this.width = inputWidth;
        }

        /** Appends a layer whose input width must be the current width. */
        public Builder add(Layer layer) {
            if (layer == null) throw new IllegalArgumentException("layer must be non-null");
            if (layer.inputWidth() != width) {
                throw new IllegalArgumentException("layer.inputWidth() must be the current width " + width + ", got "
                        + layer.inputWidth() + " (" + layer + ")");
            }
            layers.add(layer);
            width = layer.outputWidth();
            return this;
        }

        /** A {@link Dense} layer to {@code out} columns. */
        public Builder dense(int out) {
            return add(new Dense(width, out));
        }

        /** An {@link ActivationLayer}. */
        public Builder activation(Activation activation) {
            return add(new ActivationLayer(activation, width));
        }

        /** tanh. */
        public Builder tanh() {
            return activation(Activation.TANH);
        }

        /** softplus. */
        public Builder softplus() {
            return activation(Activation.SOFTPLUS);
        }

        /** relu. */
        public Builder relu() {
            return activation(Activation.RELU);
        }

        /** sigmoid. */
        public Builder sigmoid() {
            return activation(Activation.SIGMOID);
        }

        /** sin. */
        public Builder sin() {
            return activation(Activation.SIN);
        }

        /** The exact GELU. */
        public Builder gelu() {
            return add(new Gelu(width));
        }

        /** Appends t as one more column ({@link ConcatTime}). */
        public Builder concatTime() {
            return add(new ConcatTime(width));
        }

        /** FFJORD's {@link ConcatSquash} to {@code out} columns. */
        public Builder concatSquash(int out) {
            return add(new ConcatSquash(width, out));
        }

        /** A fixed element-wise map ({@link FixedTransform}). */
        public Builder transform(InputTransform transform) {
            return add(new FixedTransform(transform, width));
        }

        /** The spiral's cube, x³. */
        public Builder cube() {
            return transform(InputTransform.CUBE);
        }

        /** The current output width. */
        public int width() {
            return width;
        }

        /** The container. @throws IllegalArgumentException when no layer was added */
        public Sequential build() {
            return new Sequential(layers);
        }
    }
}
