package dev.panode.adjoint.models;

import dev.panode.simd.ActivationKernel;

import dev.panode.blas.Transpose;
import dev.panode.simd.ColumnSums;
import dev.panode.simd.Gemm;
import dev.panode.solvers.FieldWorkspace;

/**
 * A multilayer perceptron vector field {@code f(t, y) = σ_L(… σ_1([φ(y), t]·W_1ᵀ + b_1) …·W_Lᵀ + b_L)} over a batch,
 * with a hand-written vector–Jacobian product (docs/ALGORITHMS.md §6).
 *
 * <p>Each layer is {@code torch.nn.Linear} followed by its activation: {@code U_l = X_{l−1}·W_lᵀ + 1·b_lᵀ},
 * {@code X_l = σ_l(U_l)}, one GEMM through {@link Gemm#dgemm} (OpenBLAS for large products) and one fused
 * bias-and-activation pass ({@link ActivationKernel#biasActivate}). The flat parameter layout is
 * {@link MlpArchitecture}'s: per layer W row-major {@code out × in}, then b.
 *
 * <p>Cost per call for B rows: forward {@code 2·B·Σ in_l·out_l} flops; a VJP adds two GEMMs per layer (W̄ and X̄)
 * plus the bias column sums ({@link ColumnSums}), about three times the forward. Nothing is allocated after the workspace is made.
 *
 * <p>Thread safety: the object is immutable apart from the values in {@link #parameters()}, which an optimiser
 * changes between solves; all scratch lives in the workspace from {@link #newWorkspace}, one per thread.
 * Not for fields whose Jacobian is needed in full (use B VJPs or a dedicated Jacobian).
 *
 * <p>As a {@link dev.panode.solvers.RowTimeField} it evaluates a block whose rows sit at different times (the
 * per-sample solver's packed rows): with time input each row's t goes into its own time column, without it the
 * call is the plain {@link #evaluate}. Either way one GEMM per layer covers the whole block.
 */
public final class Mlp implements DifferentiableField, dev.panode.solvers.RowTimeField {
    private final MlpArchitecture architecture;
    private final double[] theta;
    private final int layers;
    private final int dim;
    private final int in0;
    private final int[] ins;
    private final int[] outs;
    private final int[] wOff;
    private final int[] bOff;
    private final ActivationKernel[] act;
    private final InputTransform transform;
    private final boolean timeInput;
    /** True when x₀ is y itself (no transform, no time column): the first GEMM reads y directly. */
    private final boolean readsStateDirectly;

    /**
     * An MLP with the given parameters (copied; layout as documented on {@link MlpArchitecture}).
     *
     * @throws IllegalArgumentException when the length is not {@code architecture.parameterCount()} or a value is
     *                                  not finite
     */
    public Mlp(MlpArchitecture architecture, double[] parameters) {
        if (architecture == null) throw new IllegalArgumentException("architecture must be non-null");
        this.architecture = architecture;
        if (parameters == null) throw new IllegalArgumentException("parameters must be non-null");
        int p = architecture.parameterCount();
        if (parameters.length != p) {
            throw new IllegalArgumentException("parameters.length must be " + p + " for " + architecture
                    + ", got " + parameters.length);
        }
        for (int i = 0; i < p; i++) {
            if (!Double.isFinite(parameters[i])) {
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
        this.act = new ActivationKernel[layers];
        for (int l = 0; l < layers; l++) {
            ins[l] = architecture.inputs(l);
            outs[l] = architecture.outputs(l);
            wOff[l] = architecture.weightOffset(l);
            bOff[l] = architecture.biasOffset(l);
            act[l] = architecture.activations().get(l).kernel();
        }
        this.transform = architecture.inputTransform();
        this.timeInput = architecture.timeInput();
        this.readsStateDirectly = !timeInput && transform == InputTransform.NONE;
    }

    /** An MLP initialised by {@code init} from a {@link SplitMix64} seeded with {@code seed} (scale 1). */
    public static Mlp initialised(MlpArchitecture architecture, Initialisation init, long seed) {
        return initialised(architecture, init, seed, 1.0);
    }

    /**
     * An MLP initialised layer by layer (W then b) by {@code init} from one {@link SplitMix64} seeded with
     * {@code seed}, every bound or deviation multiplied by {@code scale}. With {@link Initialisation#PYTORCH_DEFAULT}
     * this is the reference files' generator: {@code initialised(mlp3Tanh(D, H), PYTORCH_DEFAULT, weight_seed, scale)}
     * reproduces their weights bit for bit.
     */
    public static Mlp initialised(MlpArchitecture architecture, Initialisation init, long seed, double scale) {
        if (architecture == null) throw new IllegalArgumentException("architecture must be non-null");
        if (init == null) throw new IllegalArgumentException("init must be non-null");
        if (!(scale > 0.0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        double[] p = new double[architecture.parameterCount()];
        SplitMix64 rng = new SplitMix64(seed);
        for (int l = 0; l < architecture.layerCount(); l++) {
            init.fill(rng, architecture.inputs(l), architecture.outputs(l), scale, p, architecture.weightOffset(l));
        }
        return new Mlp(architecture, p);
    }

    /** The architecture (shape, activations, time input, transform). */
    public MlpArchitecture architecture() {
        return architecture;
    }

    /** A new MLP of the same architecture with the given parameters (copied). */
    public Mlp withParameters(double[] parameters) {
        return new Mlp(architecture, parameters);
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int parameterCount() {
        return theta.length;
    }

    @Override
    public double[] parameters() {
        return theta;
    }

    /** W_1, b_1, W_2, b_2, …: one tensor per weight matrix and per bias, as torch sees them. */
    @Override
    public int[] parameterTensorSizes() {
        int layers = architecture.layerCount();
        int[] sizes = new int[2 * layers];
        for (int l = 0; l < layers; l++) {
            sizes[2 * l] = architecture.outputs(l) * architecture.inputs(l);
            sizes[2 * l + 1] = architecture.outputs(l);
        }
        return sizes;
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if ((long) maxRows * architecture.maxWidth() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxRows " + maxRows + " is too large for width " + architecture.maxWidth());
        }
        return new MlpWorkspace(architecture, maxRows, !readsStateDirectly);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.evaluateArguments(y, dyOut, rows, dim);
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        if (rows > 0) forward(t, null, y, dyOut, rows, (MlpWorkspace) ws, false);
    }

    @Override
    public void evaluateRows(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.evaluateArguments(y, dyOut, rows, dim);
        if (tRows == null || tRows.length < rows)
            throw new IllegalArgumentException("tRows.length must be >= rows = " + rows + ", got "
                    + (tRows == null ? "tRows = null" : tRows.length));
        evaluateRowsUnchecked(tRows, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateRowsUnchecked(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        if (rows > 0) forward(0.0, tRows, y, dyOut, rows, (MlpWorkspace) ws, false);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                      int rows, boolean wantTime, FieldWorkspace ws) {
        MlpWorkspace w = check(ws, rows);
        FieldChecks.vjpArguments(y, v, yBar, thetaBar, fOut, rows, dim, theta.length);
        if (rows == 0) return 0.0;
        double[] result = fOut != null ? fOut : w.out[layers - 1];
        forward(t, null, y, result, rows, w, true);
        w.xSrc[0] = readsStateDirectly ? y : w.input;
        w.xOff[0] = 0;
        for (int l = 0; l < layers; l++) {
            w.xSrc[l + 1] = l == layers - 1 ? result : w.out[l];
            w.xOff[l + 1] = 0;
            w.uSrc[l] = w.pre[l];
            w.uOff[l] = 0;
        }
        return backward(y, v, yBar, thetaBar, rows, wantTime, w);
    }

    /**
     * Saved per evaluation, in this order: y ({@code rows·dim}); the network input x₀ when it is not y itself
     * ({@code rows·inputs(0)}); per layer its output X_l and, when the activation's derivative reads it, its
     * pre-activation U_l ({@code rows·outputs(l)} each).
     */
    @Override
    public int savedLength(int rows) {
        long perRow = dim + (readsStateDirectly ? 0 : in0);
        for (int l = 0; l < layers; l++) perRow += (long) outs[l] * (act[l].derivativeNeedsPreActivation() ? 2 : 1);
        long total = perRow * rows;
        if (rows < 0 || total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("rows must be in [0, " + (Integer.MAX_VALUE - 16) / perRow + "], got "
                    + rows);
        }
        return (int) total;
    }

    /** Evaluates as {@link #evaluate} does (the same arithmetic) and copies y, x₀ and every X_l, U_l into {@code saved}. */
    @Override
    public void evaluateSaving(double t, double[] y, double[] out, double[] saved, int rows, FieldWorkspace ws) {
        MlpWorkspace w = check(ws, rows);
        FieldChecks.length("y", y, rows, dim);
        FieldChecks.length("out", out, rows, dim);
        FieldChecks.distinct("out", out, "y", y);
        checkSaved(saved, rows);
        if (rows == 0) return;
        forward(t, null, y, out, rows, w, true);
        int off = 0;
        System.arraycopy(y, 0, saved, off, rows * dim);
        off += rows * dim;
        if (!readsStateDirectly) {
            System.arraycopy(w.input, 0, saved, off, rows * in0);
            off += rows * in0;
        }
        for (int l = 0; l < layers; l++) {
            int len = rows * outs[l];
            System.arraycopy(l == layers - 1 ? out : w.out[l], 0, saved, off, len);
            off += len;
            if (act[l].derivativeNeedsPreActivation()) {
                System.arraycopy(w.pre[l], 0, saved, off, len);
                off += len;
            }
        }
    }

    /** The reverse sweep straight from the saved block: two GEMMs per layer, no forward pass. */
    @Override
    public double vjpFromSaved(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar, int rows,
                               boolean wantTime, FieldWorkspace ws) {
        MlpWorkspace w = check(ws, rows);
        checkSaved(saved, rows);
        FieldChecks.vjpArguments(saved, v, yBar, thetaBar, null, rows, dim, theta.length);
        if (rows == 0) return 0.0;
        int off = rows * dim;
        w.xSrc[0] = saved;
        w.xOff[0] = readsStateDirectly ? 0 : off;
        if (!readsStateDirectly) off += rows * in0;
        for (int l = 0; l < layers; l++) {
            w.xSrc[l + 1] = saved;
            w.xOff[l + 1] = off;
            w.uSrc[l] = saved;
            off += rows * outs[l];
            w.uOff[l] = act[l].derivativeNeedsPreActivation() ? off : w.xOff[l + 1];
            if (act[l].derivativeNeedsPreActivation()) off += rows * outs[l];
        }
        return backward(saved, v, yBar, thetaBar, rows, wantTime, w);
    }

    private void checkSaved(double[] saved, int rows) {
        int need = savedLength(rows);
        if (saved == null || saved.length < need) {
            throw new IllegalArgumentException("saved must have length >= savedLength(" + rows + ") = " + need
                    + ", got " + (saved == null ? null : saved.length));
        }
    }

    /**
     * U_l = X_{l−1}·W_lᵀ + 1·b_lᵀ, X_l = σ_l(U_l); the last X goes to {@code result}. Without {@code keepPre} the
     * activation is applied in place (U is not needed after a plain evaluation).
     */
    private void forward(double t, double[] tRows, double[] y, double[] result, int rows, MlpWorkspace w,
                         boolean keepPre) {
        double[] x = y;
        if (!readsStateDirectly) {
            x = w.input;
            transform.apply(y, rows, dim, x, in0);
            if (timeInput) {
                for (int r = 0; r < rows; r++) x[r * in0 + dim] = tRows == null ? t : tRows[r];
            }
        }
        for (int l = 0; l < layers; l++) {
            int in = ins[l];
            int out = outs[l];
            double[] a = l == layers - 1 ? result : w.out[l];
            double[] u = keepPre ? w.pre[l] : a;
            Gemm.dgemm(Transpose.NO, Transpose.YES, rows, out, in, 1.0, x, 0, in, theta, wOff[l], in,
                    0.0, u, 0, out);
            act[l].biasActivate(u, 0, theta, bOff[l], rows, out, u, 0, a, 0);
            x = a;
        }
    }

    /**
     * Reverse sweep: Ū_l = X̄_l ⊙ σ_l'(U_l); W̄_l += Ū_lᵀ X_{l−1}; b̄_l += column sums of Ū_l; X̄_{l−1} = Ū_l W_l. X_l and
     * U_l are read where the workspace's {@code xSrc}/{@code uSrc} point (a forward pass just run on the same rows,
     * or a saved block).
     */
    private double backward(double[] y, double[] v, double[] yBar, double[] thetaBar, int rows,
                            boolean wantTime, MlpWorkspace w) {
        double[] ub;
        int last = layers - 1;
        if (act[last] == ActivationKernel.IDENTITY) {
            ub = v;
        } else {
            ub = w.gradA;
            System.arraycopy(v, 0, ub, 0, rows * dim);
            act[last].derivativeTimes(w.uSrc[last], w.uOff[last], w.xSrc[layers], w.xOff[layers], ub, 0, rows * dim);
        }
        for (int l = last; l >= 0; l--) {
            int in = ins[l];
            int out = outs[l];
            if (thetaBar != null) {
                Gemm.dgemm(Transpose.YES, Transpose.NO, out, in, rows, 1.0, ub, 0, out, w.xSrc[l], w.xOff[l], in,
                        1.0, thetaBar, wOff[l], in);
                ColumnSums.accumulate(ub, 0, rows, out, thetaBar, bOff[l]);
            }
            double[] next;
            if (l == 0 && readsStateDirectly) {
                next = yBar;
            } else {
                next = ub == w.gradA ? w.gradB : w.gradA;
            }
            Gemm.dgemm(Transpose.NO, Transpose.NO, rows, in, out, 1.0, ub, 0, out, theta, wOff[l], in,
                    0.0, next, 0, in);
            if (l > 0) {
                act[l - 1].derivativeTimes(w.uSrc[l - 1], w.uOff[l - 1], w.xSrc[l], w.xOff[l], next, 0, rows * in);
            }
            ub = next;
        }
        if (readsStateDirectly) return 0.0;
        transform.pullBack(y, ub, in0, rows, dim, yBar);
        if (!(wantTime && timeInput)) return 0.0;
        double tBar = 0.0;
        for (int r = 0; r < rows; r++) tBar += ub[r * in0 + dim];
        return tBar;
    }

    private MlpWorkspace check(FieldWorkspace ws, int rows) {
        if (!(ws instanceof MlpWorkspace w)
                || (w.architecture != architecture && !w.architecture.equals(architecture))) {
            throw new IllegalArgumentException("ws must come from newWorkspace of an Mlp with architecture "
                    + architecture + ", got " + ws);
        }
        if (rows < 0 || rows > w.maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + w.maxRows + "] for this workspace, got " + rows);
        }
        return w;
    }
}
