package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.layers.ActivationLayer;
import dev.panode.adjoint.models.layers.ConcatSquash;
import dev.panode.adjoint.models.layers.Dense;
import dev.panode.adjoint.models.layers.Layer;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.simd.Gemm;
import dev.panode.blas.Transpose;
import java.util.List;

/**
 * A {@link Sequential} of {@link ConcatSquash}, {@link Dense} and {@link ActivationLayer} layers run in forward mode
 * (the primal h and tangents v = (∂h/∂z)·ε) and then in reverse over both: the second-order pass a CNF's divergence
 * term needs.
 *
 * <p>Rows are stacked: the block {@code [0, R)} holds the primal rows, the block {@code [R(1+m), R(2+m))} the tangent
 * of probe m. An affine layer is one GEMM over all stacked rows (tangents take no bias, no gate bias {@code t·h}); an
 * activation maps primal rows to {@code a(u)} and tangent rows to {@code a'(u) ⊙ ν}.
 *
 * <p>Reverse, with ȳ on every stacked row: an activation gives {@code ū = a'(u) ⊙ ȳ_p + a''(u) ⊙ Σ_m ν_m ⊙ ȳ_m} on
 * the primal rows and {@code ν̄_m = a'(u) ⊙ ȳ_m} on the tangent rows; an affine layer {@code y = (x·Wᵀ + b) ⊙ s + t·h}
 * gives {@code L̄ = ȳ ⊙ s}, {@code W̄ += L̄ᵀx}, {@code x̄ = L̄·W} over all stacked rows, {@code b̄} and {@code h̄} from the
 * primal rows only, and the gate's {@code ḡ, c̄} from {@code Σ ȳ ⊙ L} over all rows.
 */
final class CnfNetwork {
    private static final int AFFINE = 0;
    private static final int ACTIVATION = 1;

    final int dim;
    final int stages;
    final int maxWidth;
    private final int[] kind;
    private final int[] in;
    private final int[] out;
    private final int[] offset;
    private final boolean[] gated;
    private final Activation[] activation;

    CnfNetwork(Sequential network) {
        if (network == null) throw new IllegalArgumentException("network must be non-null");
        if (network.inputWidth() != network.outputWidth()) {
            throw new IllegalArgumentException("network must map dim columns to dim columns, got "
                    + network.inputWidth() + " → " + network.outputWidth());
        }
        List<Layer> layers = network.layers();
        stages = layers.size();
        dim = network.inputWidth();
        kind = new int[stages];
        in = new int[stages];
        out = new int[stages];
        offset = new int[stages];
        gated = new boolean[stages];
        activation = new Activation[stages];
        int widest = dim;
        for (int k = 0; k < stages; k++) {
            Layer l = layers.get(k);
            in[k] = l.inputWidth();
            out[k] = l.outputWidth();
            offset[k] = network.parameterOffset(k);
            widest = Math.max(widest, out[k]);
            switch (l) {
                case ConcatSquash c -> {
                    kind[k] = AFFINE;
                    gated[k] = true;
                }
                case Dense d -> kind[k] = AFFINE;
                case ActivationLayer a -> {
                    if (a.activation() == Activation.RELU) {
                        throw new IllegalArgumentException("network layer " + k + " must have a twice-differentiable "
                                + "activation (tanh, softplus, sigmoid, sin, identity), got relu");
                    }
                    kind[k] = ACTIVATION;
                    activation[k] = a.activation();
                }
                default -> throw new IllegalArgumentException("network layer " + k + " must be a ConcatSquash, Dense "
                        + "or ActivationLayer for a CNF, got " + l);
            }
        }
        maxWidth = widest;
    }

    /** Stage k's input width (stage 0: dim). */
    int width(int k) {
        return k == stages ? out[stages - 1] : in[k];
    }

    /**
     * The forward pass over {@code stacked} rows of which the first {@code rows} are primal; {@code act[0]} holds the
     * input (z and the probes), the other buffers are filled. Sets the gates for time t.
     */
    void forward(double t, double[] theta, int rows, int stacked, Work w) {
        for (int k = 0; k < stages; k++) {
            double[] x = w.act[k];
            double[] y = w.act[k + 1];
            int ni = in[k], no = out[k];
            if (kind[k] == ACTIVATION) {
                ActivationForward.apply(activation[k], x, y, rows, stacked, ni);
                continue;
            }
            int off = offset[k];
            double[] lin = w.lin[k];
            Gemm.dgemm(Transpose.NO, Transpose.YES, stacked, no, ni, 1.0, x, 0, ni, theta, off, ni, 0.0, lin, 0, no);
            int b = off + no * ni;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < no; j++) lin[r * no + j] += theta[b + j];
            }
            if (!gated[k]) {
                System.arraycopy(lin, 0, y, 0, stacked * no);
                continue;
            }
            int h = b + no, g = h + no, c = g + no;
            double[] s = w.gate[k];
            for (int j = 0; j < no; j++) s[j] = 1.0 / (1.0 + Math.exp(-(t * theta[g + j] + theta[c + j])));
            for (int r = 0; r < stacked; r++) {
                for (int j = 0; j < no; j++) y[r * no + j] = lin[r * no + j] * s[j];
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < no; j++) y[r * no + j] += t * theta[h + j];
            }
        }
    }

    /**
     * The reverse pass after {@link #forward} at the same point: {@code bar} holds ȳ on all stacked rows of the last
     * stage's output (overwritten as scratch); on return {@code w.inputBar} holds x̄ of the primal rows
     * ({@code rows × dim}). Accumulates θ̄ when thetaBar is non-null; returns ∂/∂t of the cotangent's product.
     */
    double backward(double t, double[] theta, double[] thetaBar, int rows, int stacked, Work w) {
        double[] yBar = w.barA;
        double[] xBar = w.barB;
        double tBar = 0.0;
        for (int k = stages - 1; k >= 0; k--) {
            int ni = in[k], no = out[k];
            double[] x = w.act[k];
            int m = k == 0 ? rows : stacked; // only the primal rows of the input's cotangent are wanted
            if (kind[k] == ACTIVATION) {
                ActivationForward.reverse(activation[k], x, w.act[k + 1], yBar, xBar, rows, stacked, ni);
            } else {
                int off = offset[k], b = off + no * ni;
                double[] lin = w.lin[k];
                double[] linBar = yBar;
                if (gated[k]) {
                    int h = b + no, g = h + no, c = g + no;
                    double[] s = w.gate[k];
                    double[] gateSum = w.columnA;
                    double[] primalSum = w.columnB;
                    java.util.Arrays.fill(gateSum, 0, no, 0.0);
                    java.util.Arrays.fill(primalSum, 0, no, 0.0);
                    for (int r = 0; r < stacked; r++) {
                        for (int j = 0; j < no; j++) gateSum[j] += yBar[r * no + j] * lin[r * no + j];
                    }
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < no; j++) primalSum[j] += yBar[r * no + j];
                    }
                    for (int j = 0; j < no; j++) {
                        double pBar = gateSum[j] * s[j] * (1.0 - s[j]);
                        if (thetaBar != null) {
                            thetaBar[h + j] += t * primalSum[j];
                            thetaBar[g + j] += t * pBar;
                            thetaBar[c + j] += pBar;
                        }
                        tBar += pBar * theta[g + j] + primalSum[j] * theta[h + j];
                    }
                    linBar = w.linBar;
                    for (int r = 0; r < stacked; r++) {
                        for (int j = 0; j < no; j++) linBar[r * no + j] = yBar[r * no + j] * s[j];
                    }
                }
                if (thetaBar != null) {
                    Gemm.dgemm(Transpose.YES, Transpose.NO, no, ni, stacked, 1.0, linBar, 0, no, x, 0, ni,
                            1.0, thetaBar, off, ni);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < no; j++) thetaBar[b + j] += linBar[r * no + j];
                    }
                }
                Gemm.dgemm(Transpose.NO, Transpose.NO, m, ni, no, 1.0, linBar, 0, no, theta, off, ni, 0.0, xBar, 0, ni);
            }
            double[] swap = yBar;
            yBar = xBar;
            xBar = swap;
        }
        w.inputBar = yBar;
        return tBar;
    }

    /** The buffers of one forward and reverse pass over up to {@code capacity} stacked rows. */
    final class Work {
        final double[][] act = new double[stages + 1][];
        final double[][] lin = new double[stages][];
        final double[][] gate = new double[stages][];
        final double[] barA;
        final double[] barB;
        final double[] linBar;
        final double[] columnA = new double[maxWidth];
        final double[] columnB = new double[maxWidth];
        double[] inputBar;

        Work(int capacity) {
            for (int k = 0; k <= stages; k++) act[k] = new double[capacity * width(k)];
            for (int k = 0; k < stages; k++) {
                if (kind[k] == AFFINE) {
                    lin[k] = new double[capacity * out[k]];
                    gate[k] = new double[out[k]];
                }
            }
            barA = new double[capacity * maxWidth];
            barB = new double[capacity * maxWidth];
            linBar = new double[capacity * maxWidth];
        }
    }
}
