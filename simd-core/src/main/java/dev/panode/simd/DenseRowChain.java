package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import dev.panode.blas.HeapAlignment;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;

/**
 * A single row (batch 1) through a whole chain of dense layers in one call, {@code h_l = tanh(W_l·h_{l−1} + b_l)} for
 * the hidden layers and {@code y = σ(W_L·h_{L−1} + b_L)} for a narrow output layer: the batch-1 evaluation of a small
 * MLP vector field (docs/ALGORITHMS.md §6), with the same bits as the layers' {@link DenseKernel}s run one after the
 * other (and so as the row has after the last group of four of a block). Made once per chain, from the layers' kernels ({@link #of}), when the chain
 * has this shape: every layer but the last in the broadcast form with tanh, the last in the dot form (an output
 * narrower than a vector), each layer's input the previous one's output.
 *
 * <p>What it saves against the layers one by one: every weight, bias and hidden row lives in one array of the
 * workspace, from a cache-line boundary, with the biases and the output layer's rows zero-padded to whole vectors, so
 * that no load or store of the evaluation is masked (a masked store cannot be forwarded to a later load). A first
 * layer of at most {@value #NARROW_INPUT} inputs gets its few FMAs, bias and tanh a vector of outputs at a time, in
 * registers; a wider layer's sums go into its row as whole vectors and get their bias and tanh there in one pass; the
 * last hidden layer's bias and tanh run in one pass with the first two outputs' dot products, each tanh vector feeding
 * them as it is made. One call, one dispatch check, one check of the weights, no row of sums and no pass of its own for
 * the first layer's bias, none for the output layer. About 8% off the held batch-1 evaluation of a 2 → 50 → 50 → 2
 * MLP (docs/BENCHMARKS.md §55).
 *
 * <p>Results: per hidden output the chain {@code fma(h_{in−1}, w, … fma(h_0, w, 0))}, then {@code + b}, then
 * {@link ReproducibleTanh} ({@link DenseKernel}'s single-row kernel); per output of the last layer the dot product of
 * {@link GemmKernel#dot1x1} (whole vectors, then one more vector that is zero past the input), its lanes added in
 * index order, then {@code + b} and σ. The padded lanes of a hidden row are set to +0, as the masked loads of the dot
 * form read them. Bits equal to the layers one by one: {@code DenseRowChainTest}.
 *
 * <p>The packed weights are kept while the parameters' bits stay the same: every call compares the chain's
 * parameters with the copy taken when they were packed ({@link DenseKernel#sameBits}), except while the workspace is
 * {@linkplain Workspace#holdWeights held}, as in {@link DenseKernel}. Cost: {@code Σ in_l·out_l} FMAs and one tanh
 * per hidden output; unheld, one comparison of all the chain's parameters. Nothing is allocated. Not for blocks of
 * rows (the layer kernels' micro-kernels), nor for products the GEMM dispatcher gives to OpenBLAS ({@link #evaluate}
 * then declines).
 */
public final class DenseRowChain {
    private static final int SLACK = HeapAlignment.CACHE_LINE / Double.BYTES;
    private static final int ROW_VECTORS = DenseKernel.ROW_VECTORS;
    /** A first layer with at most this many inputs is computed a vector of outputs at a time, with its bias and tanh. */
    private static final int NARROW_INPUT = 4;

    private final int layers;
    private final int[] ins;
    private final int[] outs;
    /** Each hidden layer's width rounded up to whole vectors: the row stride of its packed Wᵀ. */
    private final int[] ldp;
    /** The output layer's rows: its input rounded down to whole vectors, plus one (the dot form's always-run tail). */
    private final int ldk;
    /** Where, from the workspace's base, each layer's packed W starts (Wᵀ for the hidden layers, rows for the last). */
    private final int[] panelAt;
    /** Where each hidden layer's padded bias starts. */
    private final int[] biasAt;
    /** Where each hidden layer's output row starts. */
    private final int[] rowAt;
    private final int[] wOff;
    private final int[] bOff;
    private final int parameters;
    private final int packedLength;
    private final ActivationKernel outputActivation;

    private DenseRowChain(int[] ins, int[] outs, ActivationKernel outputActivation) {
        this.layers = ins.length;
        this.ins = ins;
        this.outs = outs;
        this.outputActivation = outputActivation;
        this.ldp = new int[layers];
        this.panelAt = new int[layers];
        this.biasAt = new int[layers];
        this.rowAt = new int[layers];
        this.wOff = new int[layers];
        this.bOff = new int[layers];
        int last = layers - 1;
        this.ldk = (ins[last] / LANES + 1) * LANES;
        int off = 0;
        int at = 0;
        for (int l = 0; l < layers; l++) {
            wOff[l] = off;
            bOff[l] = off + outs[l] * ins[l];
            off = bOff[l] + outs[l];
            ldp[l] = (outs[l] + LANES - 1) / LANES * LANES;
            panelAt[l] = at;
            if (l == last) {
                at += lines(Math.max(outs[l], 2) * ldk); // biasTanhDots reads two rows, +0 in the second of one
            } else {
                at += lines(ins[l] * ldp[l]);
                biasAt[l] = at;
                at += lines(ldp[l]);
                rowAt[l] = at;
                // the output layer reads ldk doubles of the last hidden row, +0 past its ldp (never written)
                at += lines(Math.max(ldp[l], ldk));
            }
        }
        this.parameters = off;
        this.packedLength = at + SLACK;
    }

    /** {@code n} doubles rounded up to whole cache lines. */
    private static int lines(int n) {
        return (n + SLACK - 1) / SLACK * SLACK;
    }

    /**
     * The chain of these layer kernels (in order, each layer's input the previous one's output, parameters laid out
     * per layer W row-major {@code out × in} then b, one layer after the other), or null when the chain does not have
     * the shape this kernel computes: at least two layers, every layer but the last in {@link DenseKernel.Form#BROADCAST}
     * with {@link ActivationKernel#TANH}, the last in {@link DenseKernel.Form#DOT}.
     */
    public static DenseRowChain of(DenseKernel... kernels) {
        if (kernels == null || kernels.length < 2) return null;
        int n = kernels.length;
        int[] ins = new int[n];
        int[] outs = new int[n];
        for (int l = 0; l < n; l++) {
            DenseKernel k = kernels[l];
            boolean last = l == n - 1;
            if (k.form() != (last ? DenseKernel.Form.DOT : DenseKernel.Form.BROADCAST)) return null;
            if (!last && k.activation() != ActivationKernel.TANH) return null;
            if (l > 0 && k.inputs() != outs[l - 1]) return null;
            ins[l] = k.inputs();
            outs[l] = k.outputs();
        }
        return new DenseRowChain(ins, outs, kernels[n - 1].activation());
    }

    /** The doubles {@link #newWorkspace} allocates (the packed parameters and rows, their copy, the lane sums). */
    public long workspaceDoubles() {
        return (long) packedLength + parameters + 2 * LANES;
    }

    /** Scratch for one thread. Made once. */
    public Workspace newWorkspace() {
        return new Workspace(packedLength, parameters);
    }

    /**
     * {@code y = σ(W_L·tanh(… tanh(W_1·x + b_1) …) + b_L)} for one row x ({@code ins[0]} values from offset 0) with the
     * parameters at {@code theta[offset ..]}; y gets the output layer's width from offset 0.
     *
     * @return false, having done nothing, when the GEMM dispatcher gives a layer's single-row product to OpenBLAS now
     *         (the caller then runs the layer kernels, which follow the dispatcher)
     */
    public boolean evaluate(double[] x, double[] theta, int offset, double[] y, Workspace ws) {
        for (int l = 0; l < layers; l++) {
            if (Gemm.backendFor(1, outs[l], ins[l]) == Gemm.Backend.OPENBLAS) return false;
        }
        ensurePacked(theta, offset, ws);
        double[] p = ws.data;
        int base = ws.base;
        int last = layers - 1;
        int h = last - 1;
        boolean narrow = ins[0] <= NARROW_INPUT;
        double[] src = x;
        int srcAt = 0;
        for (int l = 0; l < last; l++) {
            int row = base + rowAt[l];
            if (l == 0 && narrow) {
                narrowLayer(x, ins[0], p, base + panelAt[0], ldp[0], base + biasAt[0], outs[0], row);
            } else {
                hiddenSums(src, srcAt, l, p, base, row);
                if (l < h) ReproducibleTanh.applyBiased(p, row, p, base + biasAt[l], p, row, outs[l], ldp[l]);
            }
            src = p;
            srcAt = row;
        }
        int rows = base + panelAt[last];
        int biases = offset + bOff[last];
        int out = outs[last];
        int done = 0;
        if (h > 0 || !narrow) {
            // the last hidden layer's bias and tanh, and the first one or two outputs' dot products, in one pass
            biasTanhDots(p, srcAt, base + biasAt[h], outs[h], ldp[h], rows, ldk, ws.lanes);
            y[0] = GemmKernel.laneSum(ws.lanes, 0) + theta[biases];
            if (out > 1) y[1] = GemmKernel.laneSum(ws.lanes, LANES) + theta[biases + 1];
            done = Math.min(out, 2);
        }
        for (int i = done; i < out; i++) {
            dot(p, rows + i * ldk, srcAt, ldk, ws.lanes);
            y[i] = GemmKernel.laneSum(ws.lanes, 0) + theta[biases + i];
        }
        outputActivation.apply(y, 0, y, 0, out);
        return true;
    }

    /** Hidden layer l's sums {@code W_l·src} into its row, by passes of {@link DenseKernel#rowPass}. */
    private void hiddenSums(double[] src, int srcAt, int l, double[] p, int base, int row) {
        int vectors = ldp[l] / LANES;
        for (int v = 0; v < vectors; v += ROW_VECTORS) {
            DenseKernel.rowPass(src, srcAt, ins[l], p, base + panelAt[l] + v * LANES, ldp[l], p, row + v * LANES,
                    Math.min(ROW_VECTORS, vectors - v));
        }
    }

    /**
     * A first layer of at most {@value #NARROW_INPUT} inputs: per vector the broadcast FMAs of
     * {@link DenseKernel#rowPass} (the same chain) into the row, then the bias and tanh, +0 past {@code width}
     * ({@link ReproducibleTanh#applyBiased}: no vector is passed to a method, which C2 boxes when it does not
     * inline it).
     */
    private static void narrowLayer(double[] x, int in, double[] p, int panel, int ldp, int bias, int width, int at) {
        for (int j = 0; j < ldp; j += LANES) {
            DoubleVector c = DoubleVector.zero(SPECIES);
            for (int q = 0; q < in; q++) {
                c = DoubleVector.broadcast(SPECIES, x[q]).fma(DoubleVector.fromArray(SPECIES, p, panel + q * ldp + j), c);
            }
            c.intoArray(p, at + j);
        }
        ReproducibleTanh.applyBiased(p, at, p, bias, p, at, width, ldp);
    }

    /**
     * {@link ReproducibleTanh#applyBiased} on the last hidden row, then the dot products of the first two rows of the
     * output layer with it ({@link #dot}'s chains, two at once; a one-output layer's second row is +0): their lane
     * sums into {@code lanes} (the second row's from {@code LANES} on). Over {@code ldk}, the dot form's length: past
     * {@code padded} the output rows hold +0. No vector is updated under a condition.
     */
    private static void biasTanhDots(double[] p, int at, int bias, int width, int padded, int rows, int ldk,
                                     double[] lanes) {
        ReproducibleTanh.applyBiased(p, at, p, bias, p, at, width, padded);
        DoubleVector s0 = DoubleVector.zero(SPECIES), s1 = s0;
        for (int j = 0; j < ldk; j += LANES) {
            DoubleVector h = DoubleVector.fromArray(SPECIES, p, at + j);
            s0 = DoubleVector.fromArray(SPECIES, p, rows + j).fma(h, s0);
            s1 = DoubleVector.fromArray(SPECIES, p, rows + ldk + j).fma(h, s1);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, LANES);
    }

    /** The lane sums of {@code w[wAt ..]·h[hAt ..]} over {@code n} (whole vectors) into {@code lanes}. */
    private static void dot(double[] p, int wAt, int hAt, int n, double[] lanes) {
        DoubleVector s = DoubleVector.zero(SPECIES);
        for (int q = 0; q < n; q += LANES) {
            s = DoubleVector.fromArray(SPECIES, p, wAt + q).fma(DoubleVector.fromArray(SPECIES, p, hAt + q), s);
        }
        s.intoArray(lanes, 0);
    }

    /**
     * Every layer's W and b where the kernel reads them, from the workspace's first cache-line boundary, unless they
     * are there already: checked as {@link DenseKernel}'s packed panel is ({@link PackedWeights#repackAt}: all the
     * chain's parameters compared with their copy, once per hold while held).
     */
    private void ensurePacked(double[] theta, int offset, Workspace ws) {
        int at = ws.repackAt(theta, offset, parameters);
        if (at >= 0) pack(theta, offset, ws.data, at);
    }

    private void pack(double[] theta, int offset, double[] p, int base) {
        Arrays.fill(p, 0.0); // every padding zero, wherever the last packing put its values
        int last = layers - 1;
        for (int l = 0; l < last; l++) {
            GemmKernel.packTransposed(theta, offset + wOff[l], ins[l], ins[l], outs[l], p, base + panelAt[l], ldp[l]);
            System.arraycopy(theta, offset + bOff[l], p, base + biasAt[l], outs[l]);
        }
        for (int i = 0; i < outs[last]; i++) {
            System.arraycopy(theta, offset + wOff[last] + i * ins[last], p, base + panelAt[last] + i * ldk, ins[last]);
        }
    }

    /** The per-thread scratch of a {@link DenseRowChain}: the packed parameters and the hidden rows, their copy. */
    public static final class Workspace extends PackedWeights {
        /** The packed parameters and the hidden rows, used from {@link #base}. */
        final double[] data;
        final double[] lanes = new double[2 * LANES];

        private Workspace(int packedLength, int parameters) {
            this(new double[packedLength], parameters);
        }

        private Workspace(double[] data, int parameters) {
            super(data, parameters);
            this.data = data;
        }
    }
}
