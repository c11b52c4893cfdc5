package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.FieldChecks;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.adjoint.models.layers.LayerWorkspace;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.adjoint.models.layers.Times;
import dev.panode.simd.HyperCnfKernels;
import dev.panode.solvers.FieldWorkspace;
import java.util.Arrays;

/**
 * The continuous normalising flow of Chen et al.'s CNF example (torchdiffeq's {@code examples/cnf.py}, after
 * Ricky Chen's NumPy gist): a hypernetwork {@code 1 → H → H → 3·K·D + K} (tanh between its {@code Linear} layers)
 * maps the time t to the weights of a one-hidden-layer dynamics of K tanh units,
 * <pre>
 *   (W, U, G, B) = hyper(t),   Ũ_k = U_k ⊙ sigmoid(G_k),
 *   dz/dt = (1/K) Σ_k tanh(W_k·z + B_k) Ũ_k,     dℓ/dt = −tr(∂f/∂z) = −(1/K) Σ_k (1 − tanh²(W_k·z + B_k)) Ũ_k·W_k
 * </pre>
 * The trace is exact: for this f the Jacobian is {@code (1/K) Σ_k (1 − h_k²) Ũ_k W_kᵀ}, whose trace needs one
 * multiply-add per unit (cnf.py gets the same number from D reverse-mode passes). Rows are samples of D + 1 columns
 * (z, then ℓ), as {@link CnfField}; everything else (losses, trainers, gradient methods, the seminorm) is shared.
 *
 * <p>θ is the hypernetwork's parameters in torch's {@code state_dict} order (fc1.weight H × 1, fc1.bias, fc2.weight,
 * fc2.bias, fc3.weight, fc3.bias; each weight row-major {@code out × in}, as {@link Sequential} lays out its
 * {@code Dense} layers), and the emitted vector is split as cnf.py does:
 * W at {@code [0, KD)} as {@code K × D}, U at {@code [KD, 2KD)}, G at {@code [2KD, 3KD)}, B at {@code [3KD, 3KD + K)}.
 * For cnf.py's D = 2, H = 32, K = 64 that is 15 904 parameters.
 *
 * <p>Cost of one evaluation over R samples: the hypernetwork once (about H² + H(3KD + K) multiply-adds), then
 * R·K tanh and about 5RK flops ({@link HyperCnfKernels}); a VJP costs about three evaluations and recomputes the
 * forward pass. Nothing is allocated per call. When not to use: for other architectures build a {@link CnfField}
 * from layers.
 */
public final class HypernetworkCnfField implements FlowField {
    private final Sequential hyper;
    private final int dim;
    private final int units;
    private final double[] theta;

    /**
     * A flow of {@code units} hidden units over D = {@code dim}, with a hypernetwork of width {@code hidden}, with
     * the given parameters (copied).
     *
     * @throws IllegalArgumentException when a size is below 1, or the parameters have the wrong length or are not finite
     */
    public HypernetworkCnfField(int dim, int hidden, int units, double[] parameters) {
        this.hyper = hypernetwork(dim, hidden, units);
        FieldChecks.parameters(parameters, hyper.parameterCount());
        this.dim = dim;
        this.units = units;
        this.theta = parameters.clone();
    }

    /** A flow with torch's default {@code nn.Linear} initialisation drawn from a {@link SplitMix64} seeded by seed. */
    public static HypernetworkCnfField initialised(int dim, int hidden, int units, long seed) {
        Sequential h = hypernetwork(dim, hidden, units);
        double[] p = new double[h.parameterCount()];
        h.initialise(Initialisation.PYTORCH_DEFAULT, new SplitMix64(seed), p, 0);
        return new HypernetworkCnfField(dim, hidden, units, p);
    }

    /**
     * The hypernetwork {@code Linear(1, H), tanh, Linear(H, H), tanh, Linear(H, 3·K·D + K)} (cnf.py's
     * {@code HyperNetwork}: fc1, fc2, fc3).
     *
     * @throws IllegalArgumentException when a size is below 1
     */
    public static Sequential hypernetwork(int dim, int hidden, int units) {
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (hidden < 1) throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
        if (units < 1) throw new IllegalArgumentException("units must be >= 1, got " + units);
        return Sequential.builder(1).dense(hidden).tanh().dense(hidden).tanh().dense(3 * units * dim + units).build();
    }

    @Override
    public int dataDim() {
        return dim;
    }

    /** K, the hidden units of the dynamics. */
    public int units() {
        return units;
    }

    /** The hypernetwork t ↦ (W, U, G, B). */
    public Sequential network() {
        return hyper;
    }

    @Override
    public int dim() {
        return dim + 1;
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
        return hyper.parameterTensorSizes();
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        return new Work(maxRows);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.evaluateArguments(y, dyOut, rows, dim + 1);
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        Work w = (Work) ws;
        w.in[0] = t;
        hyper.evaluate(w.in, w.emitted, 1, w.time, theta, 0, w.hyperWork);
        w.weights();
        w.columns(y, w.z, rows, 1.0);
        HyperCnfKernels.forward(rows, dim, units, w.z, w.ld, w.wt, w.b, w.u, w.c, w.out, w.scratch);
        w.rows(w.out, dyOut, rows);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
                      boolean wantTime, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.vjpArguments(y, v, yBar, thetaBar, fOut, rows, dim + 1, theta.length);
        return vjpUnchecked(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
    }

    @Override
    public double vjpUnchecked(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                               int rows, boolean wantTime, FieldWorkspace ws) {
        Work w = (Work) ws;
        w.in[0] = t;
        hyper.forward(w.in, w.emitted, 1, w.time, theta, 0, w.hyperWork);
        w.weights();
        w.columns(y, w.z, rows, 1.0);
        w.columns(v, w.a, rows, -1.0); // the trace enters dℓ/dt with a minus sign
        Arrays.fill(w.emittedBar, 0.0);
        int kd = units * dim;
        HyperCnfKernels.backward(rows, dim, units, w.z, w.a, w.ld, w.wt, w.b, w.u, w.c, w.zBar, w.emittedBar,
                w.bBar, w.uBar, w.cBar, fOut == null ? null : w.out, w.scratch);
        int d1 = dim + 1;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dim; i++) yBar[r * d1 + i] = w.zBar[i * w.ld + r];
            yBar[r * d1 + dim] = 0.0;
        }
        if (fOut != null) w.rows(w.out, fOut, rows);
        if (thetaBar == null && !wantTime) return 0.0;
        // c_k = Σ_i u_ki W_ki, u_ki = U_ki·σ(G_ki)/K: back to (W, U, G, B), the hypernetwork's output.
        double scale = 1.0 / units;
        double[] e = w.emitted, eBar = w.emittedBar;
        for (int k = 0; k < units; k++) {
            double cb = w.cBar[k];
            for (int i = 0; i < dim; i++) {
                int j = k * dim + i;
                double sig = w.sigmoid[j];
                double ub = w.uBar[j] + cb * w.wt[j];
                eBar[j] += cb * w.u[j];
                eBar[kd + j] = ub * sig * scale;
                eBar[2 * kd + j] = ub * e[kd + j] * sig * (1.0 - sig) * scale;
            }
            eBar[3 * kd + k] = w.bBar[k];
        }
        hyper.backward(w.in, w.emitted, eBar, w.inBar, 1, w.time, theta, 0, thetaBar, false, w.hyperWork);
        return wantTime ? w.inBar[0] : 0.0;
    }

    /**
     * The state y only ({@code rows·(D + 1)} doubles): the VJP's kernel recomputes the hidden units as it goes, so
     * saving them would cost more memory traffic than the tanh it spares; what saving does spare is backprop's
     * rebuilding of the stage inputs (s − 1 evaluations per step).
     */
    @Override
    public int savedLength(int rows) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        return rows * (dim + 1);
    }

    @Override
    public void evaluateSaving(double t, double[] y, double[] out, double[] saved, int rows, FieldWorkspace ws) {
        evaluate(t, y, out, rows, ws);
        FieldChecks.length("saved", saved, rows, dim + 1);
        System.arraycopy(y, 0, saved, 0, rows * (dim + 1));
    }

    @Override
    public void evaluateSavingUnchecked(double t, double[] y, double[] out, double[] saved, int rows,
                                        FieldWorkspace ws) {
        evaluateUnchecked(t, y, out, rows, ws);
        System.arraycopy(y, 0, saved, 0, rows * (dim + 1));
    }

    @Override
    public double vjpFromSavedUnchecked(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar,
                                        int rows, boolean wantTime, FieldWorkspace ws) {
        return vjpUnchecked(t, saved, v, yBar, thetaBar, null, rows, wantTime, ws);
    }

    private void check(FieldWorkspace ws, int rows) {
        if (!(ws instanceof Work w)) throw new IllegalArgumentException("ws must come from this field's newWorkspace");
        if (rows < 1 || rows > w.ld) throw new IllegalArgumentException("rows must be in [1, " + w.ld + "], got " + rows);
    }

    @Override
    public String toString() {
        return "HypernetworkCnfField[D=" + dim + ", units=" + units + ", hypernetwork=" + hyper + "]";
    }

    /** The hypernetwork's buffers, the weights of one time, and the samples as columns. */
    private final class Work implements FieldWorkspace {
        final int ld;
        final LayerWorkspace hyperWork = hyper.newWorkspace(1);
        final Times time = Times.of(0.0);
        final double[] in = new double[1], inBar = new double[1];
        final double[] emitted = new double[hyper.outputWidth()], emittedBar = new double[hyper.outputWidth()];
        final double[] wt = new double[units * dim], u = new double[units * dim], sigmoid = new double[units * dim];
        final double[] b = new double[units], c = new double[units];
        final double[] uBar = new double[units * dim], bBar = new double[units], cBar = new double[units];
        final double[] z, a, out, zBar;
        final double[] scratch = new double[HyperCnfKernels.scratchLength(units)];

        Work(int maxRows) {
            ld = maxRows;
            z = new double[dim * maxRows];
            a = new double[(dim + 1) * maxRows];
            out = new double[(dim + 1) * maxRows];
            zBar = new double[dim * maxRows];
        }

        /** W, u = U ⊙ σ(G)/K, B and c_k = u_k·W_k from the emitted vector. */
        void weights() {
            int kd = units * dim;
            double scale = 1.0 / units;
            System.arraycopy(emitted, 0, wt, 0, kd);
            System.arraycopy(emitted, 3 * kd, b, 0, units);
            Activation.SIGMOID.kernel().apply(emitted, 2 * kd, sigmoid, 0, kd);
            for (int k = 0; k < units; k++) {
                double ck = 0.0;
                for (int i = 0; i < dim; i++) {
                    int j = k * dim + i;
                    u[j] = emitted[kd + j] * sigmoid[j] * scale;
                    ck += u[j] * wt[j];
                }
                c[k] = ck;
            }
            Arrays.fill(uBar, 0.0);
            Arrays.fill(bBar, 0.0);
            Arrays.fill(cBar, 0.0);
        }

        /** The state rows (D + 1 columns) into columns; the last column (ℓ) times lastScale, when dest has it. */
        void columns(double[] rowsIn, double[] dest, int rows, double lastScale) {
            int d1 = dim + 1;
            int cols = dest.length / ld;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < dim; i++) dest[i * ld + r] = rowsIn[r * d1 + i];
                if (cols > dim) dest[dim * ld + r] = lastScale * rowsIn[r * d1 + dim];
            }
        }

        /** f and −T from columns into state rows. */
        void rows(double[] cols, double[] dest, int rows) {
            int d1 = dim + 1;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < dim; i++) dest[r * d1 + i] = cols[i * ld + r];
                dest[r * d1 + dim] = -cols[dim * ld + r];
            }
        }
    }
}
