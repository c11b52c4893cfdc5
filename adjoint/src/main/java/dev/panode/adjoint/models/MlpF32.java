package dev.panode.adjoint.models;

import dev.panode.blas.Arguments;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.ActivationKernelF32;
import dev.panode.simd.DenseKernelF32;
import dev.panode.simd.DenseVjpKernelF32;
import dev.panode.solvers.FieldWorkspace;

/**
 * The single-precision evaluation of an {@link Mlp}: the same architecture and flat parameter layout (per layer W
 * row-major {@code out × in}, then b), with {@code float[]} parameters and states, as a float32 model in PyTorch.
 * Each layer is one fused {@link DenseKernelF32} ({@code A_l = σ(X_{l−1}·W_lᵀ + b_l)}, product, bias and activation
 * per L1 block; the Java float kernels for small products, OpenBLAS's {@code cblas_sgemm} for large ones), its form
 * chosen from the layer's shape when the model is built. A row gives the same bits alone as in a batch while the
 * products stay in the Java kernels.
 *
 * <p>It is a {@link dev.panode.solvers.FloatField}: the float solvers ({@code Solver.solve(OdeProblemF32, ...)}) step it
 * (docs/FLOAT32.md). Activations: tanh (the reproducible float tanh), relu and identity; input transforms: none and
 * the cube of torchdiffeq's spiral demo (φ(y) = y³ in float, its VJP through φ'(y) = 3y²). Other choices are refused
 * when the model is built, naming them. Time input is supported (t is rounded to float in
 * the time column).
 *
 * <p>Cost per call for B rows: {@code 2·B·Σ in_l·out_l} float flops, half the memory traffic of the double MLP and
 * twice the lanes per vector. Accuracy: float rounding, a relative error of order {@code in_l·2⁻²⁴} per layer against
 * the double evaluation of the same (float-rounded) parameters. When not to use: where the solution or the gradient
 * needs more than about 6 significant digits. Nothing is allocated after the workspace is made; the model is
 * immutable apart from the values in {@link #parameters()}, and each thread needs its own {@link Workspace}.
 */
public final class MlpF32 implements DifferentiableFloatField {
    private final MlpArchitecture architecture;
    private final float[] theta;
    private final int layers;
    private final int dim;
    private final int in0;
    private final int[] ins;
    private final int[] outs;
    private final int[] wOff;
    private final int[] bOff;
    /** Where layer l's output starts in a saved evaluation, per row: {@code Σ_{k<l} out_k}; the total at [layers]. */
    private final int[] outStart;
    private final ActivationKernel[] act;
    /** Each layer's fused product, bias and activation, its form chosen from the layer's shape. */
    private final DenseKernelF32[] dense;
    /** Each layer's backward kernel (one fused pass for a single row, the GEMMs for a block). */
    private final DenseVjpKernelF32[] vjps;
    private final boolean timeInput;
    private final InputTransform transform;
    /** Whether the first layer reads a built input (time column or transformed state) rather than y itself. */
    private final boolean builtInput;

    /**
     * A float MLP with the given parameters (copied; layout as documented on {@link MlpArchitecture}).
     *
     * @throws IllegalArgumentException when the length is not {@code architecture.parameterCount()}, a value is not
     *                                  finite, or an activation has no float kernel
     */
    public MlpF32(MlpArchitecture architecture, float[] parameters) {
        this.architecture = Arguments.nonNull(architecture, "architecture");
        Arguments.nonNull(parameters, "parameters");
        int p = architecture.parameterCount();
        if (parameters.length != p) {
            throw new IllegalArgumentException("parameters.length must be " + p + " for " + architecture
                    + ", got " + parameters.length);
        }
        for (int i = 0; i < p; i++) {
            if (!Float.isFinite(parameters[i])) {
                throw new IllegalArgumentException("parameters[" + i + "] must be finite, got " + parameters[i]);
            }
        }
        this.theta = parameters.clone();
        this.layers = architecture.layerCount();
        this.dim = architecture.dim();
        this.in0 = architecture.inputs(0);
        this.ins = new int[layers];
        this.outs = new int[layers];
        this.wOff = new int[layers];
        this.bOff = new int[layers];
        this.outStart = new int[layers + 1];
        this.act = new ActivationKernel[layers];
        this.dense = new DenseKernelF32[layers];
        this.vjps = new DenseVjpKernelF32[layers];
        for (int l = 0; l < layers; l++) {
            ins[l] = architecture.inputs(l);
            outs[l] = architecture.outputs(l);
            wOff[l] = architecture.weightOffset(l);
            bOff[l] = architecture.biasOffset(l);
            act[l] = ActivationKernelF32.require(architecture.activations().get(l).kernel());
            dense[l] = DenseKernelF32.of(ins[l], outs[l], act[l]);
            vjps[l] = DenseVjpKernelF32.of(ins[l], outs[l]);
            outStart[l + 1] = outStart[l] + outs[l];
        }
        this.timeInput = architecture.timeInput();
        this.transform = architecture.inputTransform();
        this.builtInput = timeInput || transform != InputTransform.NONE;
    }

    /**
     * The float model of {@code mlp}: each parameter rounded to the nearest float.
     *
     * @throws IllegalArgumentException as {@link #MlpF32(MlpArchitecture, float[])}, and when a parameter overflows
     *                                  float
     */
    public static MlpF32 of(Mlp mlp) {
        double[] p = Arguments.nonNull(mlp, "mlp").parameters();
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) f[i] = (float) p[i];
        return new MlpF32(mlp.architecture(), f);
    }

    /** The architecture (shape, activations, time input). */
    public MlpArchitecture architecture() {
        return architecture;
    }

    /** State dimension D: the input (without the time column) and output width. */
    @Override
    public int dim() {
        return dim;
    }

    /** Number of parameters, as {@link Mlp#parameterCount()}. */
    @Override
    public int parameterCount() {
        return theta.length;
    }

    /** W_1, b_1, W_2, b_2, …: the tensors of {@link Mlp#parameterTensorSizes()}. */
    @Override
    public int[] parameterTensorSizes() {
        return architecture.parameterTensorSizes();
    }

    /** The live parameter array (layout of {@link MlpArchitecture}); changing it changes the model. */
    @Override
    public float[] parameters() {
        return theta;
    }

    /**
     * Scratch for up to {@code maxRows} rows per call: one per thread.
     *
     * @throws IllegalArgumentException when {@code maxRows < 1} or the buffers would not fit an array
     */
    @Override
    public Workspace newWorkspace(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if ((long) maxRows * architecture.maxWidth() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxRows " + maxRows + " is too large for width " + architecture.maxWidth());
        }
        return new Workspace(this, maxRows);
    }

    /**
     * {@code dyOut[r·D + i] = f(t, y_r)_i} for the {@code rows × D} row-major batch {@code y}.
     *
     * @throws IllegalArgumentException  when rows is negative or above the workspace's, or the workspace belongs to
     *                                   another model
     * @throws IndexOutOfBoundsException when y or dyOut is shorter than {@code rows·D}
     */
    public void evaluate(double t, float[] y, float[] dyOut, int rows, Workspace ws) {
        checkWorkspace(ws, rows);
        length("y", y, rows);
        length("dyOut", dyOut, rows);
        if (y == dyOut) throw new IllegalArgumentException("dyOut must not be the same array as y");
        if (rows == 0) return;
        forward(t, y, dyOut, rows, ws);
    }

    /**
     * {@link dev.panode.solvers.FloatField#evaluate}: as {@link #evaluate(double, float[], float[], int, Workspace)}.
     *
     * @throws IllegalArgumentException also when {@code ws} is not a workspace of an {@code MlpF32}
     */
    @Override
    public void evaluate(double t, float[] y, float[] dyOut, int rows, FieldWorkspace ws) {
        if (!(ws instanceof Workspace w)) {
            throw new IllegalArgumentException("ws must be a workspace from MlpF32.newWorkspace, got " + ws);
        }
        evaluate(t, y, dyOut, rows, w);
    }

    /** The evaluation without the argument checks: what the float solvers call inside their loops. */
    @Override
    public void evaluateUnchecked(double t, float[] y, float[] dyOut, int rows, FieldWorkspace ws) {
        forward(t, y, dyOut, rows, (Workspace) ws);
    }

    private void forward(double t, float[] y, float[] dyOut, int rows, Workspace ws) {
        float[] x = y;
        if (builtInput) {
            x = ws.input;
            buildInput(t, y, rows, x);
        }
        for (int l = 0; l < layers; l++) {
            float[] a = l == layers - 1 ? dyOut : ws.out[l];
            dense[l].forward(rows, x, theta, wOff[l], bOff[l], a, a, ws.dense[l]);
            x = a;
        }
    }

    /**
     * The vector–Jacobian product in float, as {@link Mlp#vjp} computes it in double: {@code yBar = vᵀ ∂f/∂y}
     * (overwritten), {@code thetaBar += Σ_rows vᵀ ∂f/∂θ} (layout of {@link MlpArchitecture}; skipped when null),
     * {@code fOut = f(t, y)} when non-null. Per layer, backwards: {@code G ← G ⊙ σ'} ({@link
     * ActivationKernelF32#derivativeTimes} from the saved outputs), {@code W̄ += Gᵀ·X}, {@code b̄ += Σ_rows G},
     * {@code G ← G·W} (the layer's {@link DenseVjpKernelF32}: one fused pass over W for a single row, two GEMMs for a
     * block); the time column's cotangent is dropped. Cost: one forward and
     * about two forward passes' worth of products. Nothing is allocated.
     *
     * @throws IllegalArgumentException  when rows or the workspace is wrong, or an output aliases an input
     * @throws IndexOutOfBoundsException when an array is shorter than {@code rows·D} (thetaBar: than P)
     */
    public void vjp(double t, float[] y, float[] v, float[] yBar, float[] thetaBar, float[] fOut, int rows,
                    Workspace ws) {
        checkWorkspace(ws, rows);
        length("y", y, rows);
        length("v", v, rows);
        length("yBar", yBar, rows);
        if (fOut != null) length("fOut", fOut, rows);
        if (thetaBar != null && thetaBar.length < theta.length) {
            throw new IndexOutOfBoundsException("thetaBar needs " + theta.length + " elements, got length "
                    + thetaBar.length);
        }
        if (yBar == y || yBar == v || fOut == y || fOut == yBar) {
            throw new IllegalArgumentException("yBar and fOut must not alias y, v or each other");
        }
        if (rows == 0) return;
        vjpUnchecked(t, y, v, yBar, thetaBar, fOut, rows, ws);
    }

    @Override
    public void vjpUnchecked(double t, float[] y, float[] v, float[] yBar, float[] thetaBar, float[] fOut, int rows,
                             FieldWorkspace fieldWs) {
        Workspace ws = (Workspace) fieldWs;
        float[] out = fOut != null ? fOut : ws.last;
        forward(t, y, out, rows, ws);
        backward(y, out, null, 0, v, yBar, thetaBar, rows, ws);
    }

    /** Every layer's output, {@code rows·Σ out_l} floats: what {@link #vjpFromSavedUnchecked} needs besides y. */
    @Override
    public int savedLength(int rows) {
        return rows * outStart[layers];
    }

    /**
     * The evaluation (the same bits) with each hidden layer's output written straight into
     * {@code saved[savedOff ..]}, layer by layer (the product formed in the workspace, the saved block written once,
     * by the activation pass), and the last one (f itself) copied there from {@code dyOut}.
     */
    @Override
    public void evaluateSavingUnchecked(double t, float[] y, float[] dyOut, float[] saved, int savedOff, int rows,
                                        FieldWorkspace fieldWs) {
        Workspace ws = (Workspace) fieldWs;
        float[] x = y;
        int xOff = 0;
        if (builtInput) {
            x = ws.input;
            buildInput(t, y, rows, x);
        }
        for (int l = 0; l < layers - 1; l++) {
            int at = savedOff + rows * outStart[l];
            dense[l].forwardThrough(rows, x, xOff, theta, wOff[l], bOff[l], ws.out[l], saved, at, ws.dense[l]);
            x = saved;
            xOff = at;
        }
        int last = layers - 1;
        dense[last].forward(rows, x, xOff, theta, wOff[last], bOff[last], dyOut, 0, dyOut, 0, ws.dense[last]);
        System.arraycopy(dyOut, 0, saved, savedOff + rows * outStart[last], rows * dim);
    }

    /** The backward half of {@link #vjpUnchecked} on the saved layer outputs: the same bits, no forward pass. */
    @Override
    public void vjpFromSavedUnchecked(double t, float[] y, float[] saved, int savedOff, float[] v, float[] yBar,
                                      float[] thetaBar, int rows, FieldWorkspace fieldWs) {
        Workspace ws = (Workspace) fieldWs;
        if (builtInput) buildInput(t, y, rows, ws.input);
        backward(y, null, saved, savedOff, v, yBar, thetaBar, rows, ws);
    }

    /**
     * The backward pass from the layer outputs: those of the workspace (the last one in {@code last}) when
     * {@code saved} is null, else those saved at {@code saved[savedOff ..]}; the time-augmented input, when used, is
     * in the workspace.
     */
    private void backward(float[] y, float[] last, float[] saved, int savedOff, float[] v, float[] yBar,
                          float[] thetaBar, int rows, Workspace ws) {
        float[] g = ws.grad0, gNext = ws.grad1;
        System.arraycopy(v, 0, g, 0, rows * dim);
        for (int l = layers - 1; l >= 0; l--) {
            int in = ins[l], o = outs[l];
            float[] a = saved != null ? saved : l == layers - 1 ? last : ws.out[l];
            int aOff = saved != null ? savedOff + rows * outStart[l] : 0;
            // relu: a > 0 iff u > 0; b̄ summed in the same pass while each block of Ū is in L1
            if (thetaBar != null) {
                ActivationKernelF32.derivativeTimesColumnSums(act[l], a, aOff, a, aOff, g, 0, rows, o, thetaBar, bOff[l]);
            } else {
                ActivationKernelF32.derivativeTimes(act[l], a, aOff, a, aOff, g, 0, rows * o);
            }
            float[] x;
            int xOff = 0;
            if (l == 0) {
                x = builtInput ? ws.input : y;
            } else if (saved != null) {
                x = saved;
                xOff = savedOff + rows * outStart[l - 1];
            } else {
                x = ws.out[l - 1];
            }
            if (l > 0 || builtInput) {
                vjps[l].backward(rows, g, x, xOff, theta, wOff[l], thetaBar, bOff[l], false, gNext, ws.vjp[l]);
                float[] tmp = g;
                g = gNext;
                gNext = tmp;
            } else {
                vjps[l].backward(rows, g, x, xOff, theta, wOff[l], thetaBar, bOff[l], false, yBar, ws.vjp[l]);
            }
        }
        if (builtInput) transform.pullBack(y, g, in0, rows, dim, yBar); // drops the time column's cotangent
    }

    /** {@code x[r] = (φ(y[r]), (float) t)}: the transformed rows, with the time column appended when used. */
    private void buildInput(double t, float[] y, int rows, float[] x) {
        transform.apply(y, rows, dim, x, in0);
        if (timeInput) {
            float tf = (float) t;
            for (int r = 0; r < rows; r++) x[r * in0 + dim] = tf;
        }
    }

    private void checkWorkspace(Workspace ws, int rows) {
        Arguments.nonNull(ws, "ws");
        if (ws.owner != this) throw new IllegalArgumentException("ws was made by another model");
        if (rows < 0 || rows > ws.maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + ws.maxRows + "], got " + rows);
        }
    }

    private void length(String name, float[] x, int rows) {
        Arguments.nonNull(x, name);
        if (x.length < (long) rows * dim) {
            throw new IndexOutOfBoundsException(name + " needs rows*dim = " + rows + "*" + dim + " = "
                    + (long) rows * dim + " elements, got length " + x.length);
        }
    }

    /** Per-thread scratch of {@link MlpF32#evaluate}: the time-augmented input and each hidden layer's output. */
    public static final class Workspace implements FieldWorkspace {
        private final MlpF32 owner;
        private final int maxRows;
        private final float[] input;
        private final float[][] out;
        private final DenseKernelF32.Workspace[] dense;
        private final DenseVjpKernelF32.Workspace[] vjp;
        /** The VJP's scratch: the last layer's output and two cotangent buffers of the widest layer. */
        private final float[] last, grad0, grad1;

        private Workspace(MlpF32 owner, int maxRows) {
            this.owner = owner;
            this.maxRows = maxRows;
            this.input = owner.builtInput ? new float[maxRows * owner.in0] : null;
            this.out = new float[owner.layers][];
            // a vector after the last row: the next layer's dot form (a narrow output) reads its tails in place
            for (int l = 0; l < owner.layers - 1; l++) {
                out[l] = new float[maxRows * owner.outs[l] + DenseKernelF32.INPUT_PADDING];
            }
            this.dense = new DenseKernelF32.Workspace[owner.layers];
            for (int l = 0; l < owner.layers; l++) dense[l] = owner.dense[l].newWorkspace();
            this.vjp = new DenseVjpKernelF32.Workspace[owner.layers];
            for (int l = 0; l < owner.layers; l++) vjp[l] = owner.vjps[l].newWorkspace();
            int width = Math.max(owner.architecture.maxWidth(), owner.in0);
            this.last = new float[maxRows * owner.dim];
            this.grad0 = new float[maxRows * width];
            this.grad1 = new float[maxRows * width];
        }

        /** Each layer compares its weights with its packed copy once until {@link #releaseParameters()}. */
        @Override
        public void holdParameters() {
            for (DenseKernelF32.Workspace k : dense) k.holdWeights();
        }

        @Override
        public void releaseParameters() {
            for (DenseKernelF32.Workspace k : dense) k.releaseWeights();
        }
    }
}
