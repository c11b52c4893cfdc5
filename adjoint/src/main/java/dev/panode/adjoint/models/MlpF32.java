package dev.panode.adjoint.models;

import dev.panode.blas.Arguments;
import dev.panode.blas.Transpose;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.ActivationKernelF32;
import dev.panode.simd.GemmF32;

/**
 * The single-precision evaluation of an {@link Mlp}: the same architecture and flat parameter layout (per layer W
 * row-major {@code out × in}, then b), with {@code float[]} parameters and states, as a float32 model in PyTorch.
 * Each layer is one {@link GemmF32#sgemm} ({@code U_l = X_{l−1}·W_lᵀ}; the Java float kernel for small products,
 * OpenBLAS's {@code cblas_sgemm} for large ones) and one pass of {@link ActivationKernelF32#biasActivate}.
 *
 * <p>What exists so far is evaluation only: no vector–Jacobian product, and no float solver calls it yet
 * (docs/FLOAT32.md). Activations: tanh (the reproducible float tanh), relu and identity; input transforms: none.
 * Other choices are refused when the model is built, naming them. Time input is supported (t is rounded to float in
 * the time column).
 *
 * <p>Cost per call for B rows: {@code 2·B·Σ in_l·out_l} float flops, half the memory traffic of the double MLP and
 * twice the lanes per vector. Accuracy: float rounding, a relative error of order {@code in_l·2⁻²⁴} per layer against
 * the double evaluation of the same (float-rounded) parameters. When not to use: where the solution or the gradient
 * needs more than about 6 significant digits. Nothing is allocated after the workspace is made; the model is
 * immutable apart from the values in {@link #parameters()}, and each thread needs its own {@link Workspace}.
 */
public final class MlpF32 {
    private final MlpArchitecture architecture;
    private final float[] theta;
    private final int layers;
    private final int dim;
    private final int in0;
    private final int[] ins;
    private final int[] outs;
    private final int[] wOff;
    private final int[] bOff;
    private final ActivationKernel[] act;
    private final boolean timeInput;

    /**
     * A float MLP with the given parameters (copied; layout as documented on {@link MlpArchitecture}).
     *
     * @throws IllegalArgumentException when the length is not {@code architecture.parameterCount()}, a value is not
     *                                  finite, an activation has no float kernel, or the architecture has an input
     *                                  transform
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
        if (architecture.inputTransform() != InputTransform.NONE) {
            throw new IllegalArgumentException("inputTransform must be NONE in float32, got "
                    + architecture.inputTransform());
        }
        this.theta = parameters.clone();
        this.layers = architecture.layerCount();
        this.dim = architecture.dim();
        this.in0 = architecture.inputs(0);
        this.ins = new int[layers];
        this.outs = new int[layers];
        this.wOff = new int[layers];
        this.bOff = new int[layers];
        this.act = new ActivationKernel[layers];
        for (int l = 0; l < layers; l++) {
            ins[l] = architecture.inputs(l);
            outs[l] = architecture.outputs(l);
            wOff[l] = architecture.weightOffset(l);
            bOff[l] = architecture.biasOffset(l);
            act[l] = ActivationKernelF32.require(architecture.activations().get(l).kernel());
        }
        this.timeInput = architecture.timeInput();
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
    public int dim() {
        return dim;
    }

    /** Number of parameters, as {@link Mlp#parameterCount()}. */
    public int parameterCount() {
        return theta.length;
    }

    /** The live parameter array (layout of {@link MlpArchitecture}); changing it changes the model. */
    public float[] parameters() {
        return theta;
    }

    /**
     * Scratch for up to {@code maxRows} rows per call: one per thread.
     *
     * @throws IllegalArgumentException when {@code maxRows < 1} or the buffers would not fit an array
     */
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
        Arguments.nonNull(ws, "ws");
        if (ws.owner != this) throw new IllegalArgumentException("ws was made by another model");
        if (rows < 0 || rows > ws.maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + ws.maxRows + "], got " + rows);
        }
        length("y", y, rows);
        length("dyOut", dyOut, rows);
        if (y == dyOut) throw new IllegalArgumentException("dyOut must not be the same array as y");
        if (rows == 0) return;
        float[] x = y;
        if (timeInput) {
            x = ws.input;
            float tf = (float) t;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(y, r * dim, x, r * in0, dim);
                x[r * in0 + dim] = tf;
            }
        }
        for (int l = 0; l < layers; l++) {
            int in = ins[l], out = outs[l];
            float[] a = l == layers - 1 ? dyOut : ws.out[l];
            GemmF32.sgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0f, x, 0, in, theta, wOff[l], in, 0.0f, a, 0, out);
            ActivationKernelF32.biasActivate(act[l], a, 0, theta, bOff[l], rows, out, a, 0, a, 0);
            x = a;
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
    public static final class Workspace {
        private final MlpF32 owner;
        private final int maxRows;
        private final float[] input;
        private final float[][] out;

        private Workspace(MlpF32 owner, int maxRows) {
            this.owner = owner;
            this.maxRows = maxRows;
            this.input = owner.timeInput ? new float[maxRows * owner.in0] : null;
            this.out = new float[owner.layers][];
            for (int l = 0; l < owner.layers - 1; l++) out[l] = new float[maxRows * owner.outs[l]];
        }
    }
}
