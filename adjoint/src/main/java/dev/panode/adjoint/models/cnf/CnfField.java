package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.FieldChecks;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.solvers.FieldWorkspace;

/**
 * A continuous normalising flow (Chen et al. 2018; FFJORD, Grathwohl et al. 2019): the state of a sample is
 * (z, ℓ) with z ∈ ℝᴰ, and
 * <pre>
 *   dz/dt = f(t, z; θ),      dℓ/dt = −tr(∂f/∂z)
 * </pre>
 * so that, solved from data x at t_0 with ℓ(t_0) = 0, {@code log p(x) = log p_base(z(t_1)) − ℓ(t_1)} (the
 * instantaneous change of variables: {@code d log p(z(t))/dt = −tr(∂f/∂z)}). Rows are samples of D + 1 columns (z, then ℓ).
 *
 * <p>f is a {@link Sequential} of {@link dev.panode.adjoint.models.layers.ConcatSquash},
 * {@link dev.panode.adjoint.models.layers.Dense} and twice-differentiable activation layers mapping D columns to D;
 * θ has that network's layout. The trace is exact ({@link TraceEstimator#EXACT}: D Jacobian–vector products) or
 * Hutchinson's estimate εᵀ(∂f/∂z)ε (one product) with the probes ε held in {@link #noise()}, fixed until
 * {@link #resampleNoise} draws new ones: draw once per solve (per training iteration), never during one, so that the
 * forward and the backward pass see the same field.
 *
 * <p>The VJP is exact for the field as evaluated (estimator and probes included), so every gradient method applies:
 * the divergence's cotangent needs second derivatives, {@code −ℓ̄·∂(εᵀJε)/∂(z, θ, t)}, computed by one reverse pass over
 * the primal and tangent rows together (see {@link CnfNetwork}): one evaluation costs about (1 + M) forward passes of f
 * (M = D probes for the exact trace, 1 for Hutchinson), a VJP about 3(1 + M). Nothing is allocated per call.
 * Not for relu networks (the trace's derivative would vanish almost everywhere).
 */
public final class CnfField implements FlowField {
    private final Sequential network;
    private final CnfNetwork plan;
    private final TraceEstimator estimator;
    private final double[] theta;
    private final double[] noise;
    private final int dim;
    private final int probes;

    /**
     * A flow over {@code network} with the given parameters (copied); {@code noiseRows} is the most rows a
     * Hutchinson evaluation takes (its probes are held for that many; ignored for the exact trace).
     *
     * @throws IllegalArgumentException for a network of other layers, parameters of the wrong length or not finite,
     *                                  or noiseRows below 1
     */
    public CnfField(Sequential network, double[] parameters, TraceEstimator estimator, int noiseRows) {
        this.plan = new CnfNetwork(network);
        if (estimator == null) throw new IllegalArgumentException("estimator must be non-null");
        if (noiseRows < 1) throw new IllegalArgumentException("noiseRows must be >= 1, got " + noiseRows);
        FieldChecks.parameters(parameters, network.parameterCount());
        this.network = network;
        this.estimator = estimator;
        this.theta = parameters.clone();
        this.dim = plan.dim;
        this.probes = estimator.probes(dim);
        this.noise = new double[estimator == TraceEstimator.EXACT ? 0 : noiseRows * dim];
        resampleNoise(new SplitMix64(0));
    }

    /** A flow whose parameters the layers draw by {@code init} from a {@link SplitMix64} seeded with {@code seed}. */
    public static CnfField initialised(Sequential network, Initialisation init, long seed, TraceEstimator estimator,
                                       int noiseRows) {
        if (network == null) throw new IllegalArgumentException("network must be non-null");
        if (init == null) throw new IllegalArgumentException("init must be non-null");
        double[] p = new double[network.parameterCount()];
        network.initialise(init, new SplitMix64(seed), p, 0);
        return new CnfField(network, p, estimator, noiseRows);
    }

    /**
     * FFJORD's dynamics for the toys: ConcatSquash layers D → hidden[0] → … → D with {@code activation} between them.
     *
     * @throws IllegalArgumentException when dim or a width is below 1, or hidden is empty
     */
    public static Sequential concatSquashNetwork(int dim, int[] hidden, Activation activation) {
        if (hidden == null || hidden.length == 0) throw new IllegalArgumentException("hidden must name at least one width");
        Sequential.Builder b = Sequential.builder(dim);
        for (int w : hidden) b.concatSquash(w).activation(activation);
        return b.concatSquash(dim).build();
    }

    /** The same network and estimator with the given parameters (copied) and fresh probes for {@code noiseRows}. */
    public CnfField withParameters(double[] parameters, TraceEstimator estimator, int noiseRows) {
        return new CnfField(network, parameters, estimator, noiseRows);
    }

    /** The dynamics f, D → D. */
    public Sequential network() {
        return network;
    }

    /** The trace estimator. */
    public TraceEstimator estimator() {
        return estimator;
    }

    @Override
    public int dataDim() {
        return dim;
    }

    /**
     * The Hutchinson probes, live: {@code noiseRows × D}, row r's ε at {@code [r·D, (r+1)·D)}; empty for the exact
     * trace. Written by {@link #resampleNoise}; may be written directly, between solves only.
     */
    public double[] noise() {
        return noise;
    }

    /** Draws new probes: Rademacher (±1) or standard normal, by the estimator. Nothing for the exact trace. */
    @Override
    public void resampleNoise(SplitMix64 rng) {
        if (rng == null) throw new IllegalArgumentException("rng must be non-null");
        boolean gaussian = estimator == TraceEstimator.HUTCHINSON_GAUSSIAN;
        for (int i = 0; i < noise.length; i++) {
            noise[i] = gaussian ? rng.gaussian() : (rng.nextLong() < 0 ? -1.0 : 1.0);
        }
    }

    @Override
    public int probeRows() {
        return estimator == TraceEstimator.EXACT ? Integer.MAX_VALUE : noise.length / dim;
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
        return network.parameterTensorSizes();
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        return new Workspace(maxRows, plan.new Work(maxRows * (1 + probes)));
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        check(y, dyOut, rows, ws);
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        CnfNetwork.Work w = ((Workspace) ws).work;
        forward(t, y, rows, w);
        writeOutput(dyOut, rows, w);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
                      boolean wantTime, FieldWorkspace ws) {
        if (estimator != TraceEstimator.EXACT && rows * dim > noise.length) {
            throw new IllegalArgumentException("rows must be at most the probes' " + noise.length / dim + ", got " + rows);
        }
        CnfNetwork.Work w = ((Workspace) ws).work;
        forward(t, y, rows, w);
        if (fOut != null) writeOutput(fOut, rows, w);
        int d1 = dim + 1;
        double[] top = w.barA;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * d1, top, r * dim, dim);
            double omega = -v[r * d1 + dim];
            for (int m = 0; m < probes; m++) {
                int row = (rows * (1 + m) + r) * dim;
                if (estimator == TraceEstimator.EXACT) {
                    java.util.Arrays.fill(top, row, row + dim, 0.0);
                    top[row + m] = omega;
                } else {
                    for (int i = 0; i < dim; i++) top[row + i] = omega * noise[r * dim + i];
                }
            }
        }
        double tBar = plan.backward(t, theta, thetaBar, rows, rows * (1 + probes), w);
        double[] zBar = w.inputBar;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(zBar, r * dim, yBar, r * d1, dim);
            yBar[r * d1 + dim] = 0.0;
        }
        return wantTime ? tBar : 0.0;
    }

    /** Loads z and the probes into the first stage and runs the network forward. */
    private void forward(double t, double[] y, int rows, CnfNetwork.Work w) {
        int d1 = dim + 1;
        double[] x = w.act[0];
        for (int r = 0; r < rows; r++) System.arraycopy(y, r * d1, x, r * dim, dim);
        for (int m = 0; m < probes; m++) {
            int base = rows * (1 + m) * dim;
            if (estimator == TraceEstimator.EXACT) {
                java.util.Arrays.fill(x, base, base + rows * dim, 0.0);
                for (int r = 0; r < rows; r++) x[base + r * dim + m] = 1.0;
            } else {
                System.arraycopy(noise, 0, x, base, rows * dim);
            }
        }
        plan.forward(t, theta, rows, rows * (1 + probes), w);
    }

    /** f into the z columns and −(the trace estimate) into the ℓ column. */
    private void writeOutput(double[] dyOut, int rows, CnfNetwork.Work w) {
        int d1 = dim + 1;
        double[] f = w.act[plan.stages];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(f, r * dim, dyOut, r * d1, dim);
            double trace = 0.0;
            for (int m = 0; m < probes; m++) {
                int row = (rows * (1 + m) + r) * dim;
                if (estimator == TraceEstimator.EXACT) {
                    trace += f[row + m];
                } else {
                    for (int i = 0; i < dim; i++) trace += noise[r * dim + i] * f[row + i];
                }
            }
            dyOut[r * d1 + dim] = -trace;
        }
    }

    private void check(double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        if (!(ws instanceof Workspace w)) throw new IllegalArgumentException("ws must come from this field's newWorkspace");
        if (rows < 1 || rows > w.maxRows) {
            throw new IllegalArgumentException("rows must be in [1, " + w.maxRows + "], got " + rows);
        }
        if (estimator != TraceEstimator.EXACT && rows * dim > noise.length) {
            throw new IllegalArgumentException("rows must be at most the probes' " + noise.length / dim + ", got " + rows);
        }
        int n = rows * (dim + 1);
        if (y == null || y.length < n) throw new IllegalArgumentException("y.length must be >= " + n + ", got "
                + (y == null ? "null" : y.length));
        if (dyOut == null || dyOut.length < n) throw new IllegalArgumentException("dyOut.length must be >= " + n
                + ", got " + (dyOut == null ? "null" : dyOut.length));
    }

    @Override
    public String toString() {
        return "CnfField[" + network + ", " + estimator + "]";
    }

    private record Workspace(int maxRows, CnfNetwork.Work work) implements FieldWorkspace {}
}
