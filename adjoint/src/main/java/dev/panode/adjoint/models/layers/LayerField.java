package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.FieldChecks;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.blas.Arguments;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.HeapCheck;
import dev.panode.solvers.RowTimeField;

/**
 * A vector field {@code f(t, y) = network(y, t; θ)} made of {@link Layer}s: a {@link DifferentiableField} that every
 * solver and gradient method accepts, with the VJP assembled from the layers' backward passes. The network maps
 * {@code dim} columns to {@code dim} columns; the field owns the flat parameter vector θ, whose layout is the
 * network's (for a {@link Sequential}: its layers' slices in order, torch's {@code state_dict} order).
 *
 * <pre>{@code
 * LayerField f = LayerField.initialised(
 *         Sequential.builder(2).concatTime().dense(64).tanh().dense(64).tanh().dense(2).build(),
 *         Initialisation.PYTORCH_DEFAULT, 42);
 * }</pre>
 *
 * <p>Cost: the layers' forward passes per evaluation; a VJP is one forward and one backward pass. After
 * {@link #newWorkspace} nothing is allocated. As a {@link RowTimeField} it evaluates blocks whose rows sit at
 * different times (the per-sample solver); layers read each row's t from {@link Times}.
 *
 * <p>Thread safety: immutable apart from the values in {@link #parameters()}, which an optimiser changes between
 * solves; scratch lives in the workspace, one per thread. The one subclass is {@link Mlp}, a composition whose
 * architecture is known.
 */
public sealed class LayerField implements DifferentiableField, RowTimeField permits Mlp {
    private final Layer network;
    /** The network, or the one fused block a {@link Sequential} reduced to (one call level fewer per evaluation). */
    private final Layer runner;
    private final double[] theta;
    private final int dim;

    /**
     * A field over {@code network} with the given parameters (copied).
     *
     * @throws IllegalArgumentException when the network's input and output widths differ, or the parameters have the
     *                                  wrong length or a non-finite value
     */
    public LayerField(Layer network, double[] parameters) {
        this.network = Arguments.nonNull(network, "network");
        Arguments.nonNull(parameters, "parameters");
        if (network.inputWidth() != network.outputWidth() || network.inputWidth() < 1) {
            throw new IllegalArgumentException("network must map dim columns to dim columns, got "
                    + network.inputWidth() + " → " + network.outputWidth());
        }
        int p = network.parameterCount();
        if (parameters.length != p) {
            throw new IllegalArgumentException("parameters.length must be " + p + " for " + network + ", got "
                    + parameters.length);
        }
        for (int i = 0; i < p; i++) {
            if (!Double.isFinite(parameters[i])) {
                throw new IllegalArgumentException("parameters[" + i + "] must be finite, got " + parameters[i]);
            }
        }
        this.theta = parameters.clone();
        this.dim = network.inputWidth();
        this.runner = network instanceof Sequential s ? s.runner() : network;
    }

    /** A field whose parameters each layer draws by {@code init} from one {@link SplitMix64} seeded with {@code seed}. */
    public static LayerField initialised(Layer network, Initialisation init, long seed) {
        Arguments.nonNull(network, "network");
        Arguments.nonNull(init, "init");
        double[] p = new double[network.parameterCount()];
        network.initialise(init, new SplitMix64(seed), p, 0);
        return new LayerField(network, p);
    }

    /** The network. */
    public Layer network() {
        return network;
    }

    /** A new field over the same network with the given parameters (copied). */
    public LayerField withParameters(double[] parameters) {
        return new LayerField(network, parameters);
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

    @Override
    public int[] parameterTensorSizes() {
        int[] sizes = network.parameterTensorSizes();
        return sizes.length == 0 ? new int[] {0} : sizes;
    }

    /**
     * A workspace for up to {@code maxRows} rows: the network's buffers ({@link Layer#workspaceDoubles}) and the
     * field's own two {@code maxRows × dim} buffers, checked against the heap's maximum before any is allocated.
     *
     * @throws IllegalArgumentException when maxRows is below 1, or the buffers cannot fit in the heap (the message
     *                                  names the field, the bytes needed and {@link Runtime#maxMemory()}) or in arrays
     */
    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        long doubles = HeapCheck.sum(runner.workspaceDoubles(maxRows), HeapCheck.doubles(2, maxRows, dim));
        if (!HeapCheck.fits(doubles)) HeapCheck.require("the workspace of " + this + " for maxRows = " + maxRows, doubles);
        return new Work(network, runner, maxRows, dim);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.evaluateArguments(y, dyOut, rows, dim);
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        if (rows == 0) return;
        Work w = (Work) ws;
        w.time.set(t);
        runner.evaluate(y, dyOut, rows, w.time, theta, 0, w.network);
    }

    @Override
    public void evaluateRows(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.evaluateArguments(y, dyOut, rows, dim);
        if (tRows == null || tRows.length < rows) {
            throw new IllegalArgumentException("tRows must have length >= rows = " + rows + ", got "
                    + (tRows == null ? null : tRows.length));
        }
        evaluateRowsUnchecked(tRows, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateRowsUnchecked(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        if (rows == 0) return;
        Work w = (Work) ws;
        w.time.setPerRow(tRows);
        runner.evaluate(y, dyOut, rows, w.time, theta, 0, w.network);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                      int rows, boolean wantTime, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.vjpArguments(y, v, yBar, thetaBar, fOut, rows, dim, theta.length);
        return vjpUnchecked(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
    }

    @Override
    public double vjpUnchecked(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                               int rows, boolean wantTime, FieldWorkspace ws) {
        if (rows == 0) return 0.0;
        Work w = (Work) ws;
        double[] out = fOut != null ? fOut : w.out;
        w.time.set(t);
        runner.forward(y, out, rows, w.time, theta, 0, w.network);
        double tBar = runner.backward(y, out, v, yBar, rows, w.time, theta, 0, thetaBar, wantTime, w.network);
        return wantTime ? tBar : 0.0;
    }

    /**
     * y, f(t, y) and what the layers' backward passes read from their workspaces ({@code 2·rows·dim} plus
     * {@link Layer#savedLength}: for an MLP every hidden layer's output, and the pre-activations that σ' reads); 0 (recompute instead) only when
     * that would not fit one array.
     */
    @Override
    public int savedLength(int rows) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        long n = 2L * rows * dim + runner.savedLength(rows);
        return n > HeapCheck.MAX_ARRAY_LENGTH ? 0 : (int) n;
    }

    /** Evaluates as {@link #evaluate} does (the same arithmetic) and keeps y, f and the layers' state in {@code saved}. */
    @Override
    public void evaluateSaving(double t, double[] y, double[] out, double[] saved, int rows, FieldWorkspace ws) {
        int length = savedLength(rows);
        if (length == 0) {
            evaluate(t, y, out, rows, ws);
            return;
        }
        check(ws, rows);
        FieldChecks.length("y", y, rows, dim);
        FieldChecks.length("out", out, rows, dim);
        FieldChecks.distinct("out", out, "y", y);
        checkSaved(saved, length);
        evaluateSavingUnchecked(t, y, out, saved, rows, ws);
    }

    @Override
    public void evaluateSavingUnchecked(double t, double[] y, double[] out, double[] saved, int rows,
                                        FieldWorkspace ws) {
        if (savedLength(rows) == 0) {
            evaluateUnchecked(t, y, out, rows, ws);
            return;
        }
        if (rows == 0) return;
        Work w = (Work) ws;
        w.time.set(t);
        int n = rows * dim;
        runner.forwardSaving(y, out, rows, w.time, theta, 0, w.network, saved, 2 * n);
        System.arraycopy(y, 0, saved, 0, n);
        System.arraycopy(out, 0, saved, n, n);
    }

    /** The VJP from the saved block: the layers' state is put back and only the backward pass runs. */
    @Override
    public double vjpFromSaved(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar, int rows,
                               boolean wantTime, FieldWorkspace ws) {
        int length = savedLength(rows);
        if (length == 0) return vjp(t, saved, v, yBar, thetaBar, null, rows, wantTime, ws);
        Work w = check(ws, rows);
        checkSaved(saved, length);
        FieldChecks.vjpArguments(w.in, v, yBar, thetaBar, null, rows, dim, theta.length);
        return vjpFromSavedUnchecked(t, saved, v, yBar, thetaBar, rows, wantTime, ws);
    }

    @Override
    public double vjpFromSavedUnchecked(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar,
                                        int rows, boolean wantTime, FieldWorkspace ws) {
        if (savedLength(rows) == 0) return vjpUnchecked(t, saved, v, yBar, thetaBar, null, rows, wantTime, ws);
        if (rows == 0) return 0.0;
        Work w = (Work) ws;
        int n = rows * dim;
        System.arraycopy(saved, 0, w.in, 0, n);
        System.arraycopy(saved, n, w.out, 0, n);
        w.time.set(t);
        double tBar = runner.backwardFromSaved(saved, 2 * n, w.in, w.out, v, yBar, rows, w.time, theta, 0, thetaBar,
                wantTime, w.network);
        return wantTime ? tBar : 0.0;
    }

    private static void checkSaved(double[] saved, int length) {
        if (saved == null || saved.length < length) {
            throw new IllegalArgumentException("saved must hold savedLength(rows) = " + length + " values, got "
                    + (saved == null ? null : saved.length));
        }
    }

    private Work check(FieldWorkspace ws, int rows) {
        if (!(ws instanceof Work w) || (w.owner != network && !w.owner.equals(network))) {
            throw new IllegalArgumentException("ws must come from newWorkspace of a LayerField over " + network
                    + ", got " + ws);
        }
        if (rows < 0 || rows > w.maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + w.maxRows + "] for this workspace, got " + rows);
        }
        return w;
    }

    @Override
    public String toString() {
        return "LayerField[" + network + ", " + theta.length + " parameters]";
    }

    /** The network's workspace, the output buffer of a VJP without fOut, and the time view. */
    private static final class Work implements FieldWorkspace {
        final Layer owner;
        final int maxRows;
        final LayerWorkspace network;
        final double[] out;
        /** y, restored from a saved block. */
        final double[] in;
        final Times time = Times.of(0.0);

        Work(Layer owner, Layer runner, int maxRows, int dim) {
            this.owner = owner;
            this.maxRows = maxRows;
            this.network = runner.newWorkspace(maxRows);
            this.out = Buffers.of(maxRows, dim);
            this.in = Buffers.of(maxRows, dim);
        }

        @Override
        public void holdParameters() {
            network.holdParameters();
        }

        @Override
        public void releaseParameters() {
            network.releaseParameters();
        }
    }
}
