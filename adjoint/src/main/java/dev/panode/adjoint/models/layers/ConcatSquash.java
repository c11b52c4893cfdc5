package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;

/**
 * FFJORD's {@code ConcatSquashLinear} (Grathwohl et al. 2019): a dense layer whose output is gated and shifted by
 * the time, {@code y = (x·Wᵀ + b) ⊙ sigmoid(t·g + c) + t·h}, with g, c, h vectors of length {@code out}.
 *
 * <p>Parameter layout, FFJORD's {@code state_dict} order ({@code _layer}, {@code _hyper_bias}, {@code _hyper_gate}):
 * W row-major {@code out × in} ({@code _layer.weight}), b ({@code _layer.bias}), h ({@code _hyper_bias.weight},
 * {@code out × 1}), g ({@code _hyper_gate.weight}, {@code out × 1}), c ({@code _hyper_gate.bias}):
 * {@code out·in + 4·out} values.
 *
 * <p>Backward, with {@code L = x·Wᵀ + b} and {@code s = sigmoid(t·g + c)}: {@code L̄ = ȳ ⊙ s} feeds W̄, b̄ and x̄ as
 * in {@link Dense}; {@code p̄ = ȳ ⊙ L ⊙ s(1 − s)} gives {@code ḡ += Σ t·p̄}, {@code c̄ += Σ p̄}; {@code h̄ += Σ t·ȳ};
 * and {@code ∂/∂t} contributes {@code Σ (p̄·g + ȳ·h)}. Cost: a {@link Dense} plus O(rows·out) for the gating, and
 * {@code out} exponentials for the gate when every row has the same t ({@code rows·out} with per-row times). Saved
 * state for backprop: L ({@code rows·out} doubles); the gate is recomputed from t and θ.
 *
 * @param in  input width, ≥ 1
 * @param out output width, ≥ 1
 */
public record ConcatSquash(int in, int out) implements Layer {

    /** @throws IllegalArgumentException when a width is below 1 */
    public ConcatSquash {
        new Dense(in, out); // the same checks
    }

    @Override
    public int inputWidth() {
        return in;
    }

    @Override
    public int outputWidth() {
        return out;
    }

    @Override
    public int parameterCount() {
        return out * in + 4 * out;
    }

    /** W, b, h, g, c. */
    @Override
    public int[] parameterTensorSizes() {
        return new int[] {out * in, out, out, out, out};
    }

    /**
     * W and b by {@code init} as a layer {@code out × in}; h, g and c by {@code init} as layers {@code out × 1}
     * (for PYTORCH_DEFAULT: U(−1, 1), torch's default for {@code Linear(1, out)}).
     */
    @Override
    public void initialise(Initialisation init, SplitMix64 rng, double[] theta, int offset) {
        init.fill(rng, in, out, 1.0, theta, offset);
        int h = offset + out * in + out;
        double[] hyperBias = new double[2 * out]; // Linear(1, out, bias=False): only the weight is kept
        init.fill(rng, 1, out, 1.0, hyperBias, 0);
        System.arraycopy(hyperBias, 0, theta, h, out);
        init.fill(rng, 1, out, 1.0, theta, h + out);
    }

    @Override
    public LayerWorkspace newWorkspace(int maxRows) {
        return new Work(maxRows, out);
    }

    /** L, the gate (one row when every row has the same t) and L̄. */
    @Override
    public long workspaceDoubles(int maxRows) {
        return Buffers.doubles(3, maxRows, out);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        Dense.affine(x, w.linear, rows, in, out, theta, offset);
        gate(rows, time, theta, offset, w.gate);
        int h = offset + out * in + out;
        int stride = time.isPerRow() ? out : 0;
        for (int r = 0; r < rows; r++) {
            double t = time.at(r);
            for (int j = 0; j < out; j++) {
                int i = r * out + j;
                y[i] = w.linear[i] * w.gate[r * stride + j] + t * theta[h + j];
            }
        }
    }

    /**
     * {@code s = sigmoid(t·g + c)}: one row of {@code out} values when every row has the same t (it depends on t and
     * θ only), else one row per row.
     */
    private void gate(int rows, Times time, double[] theta, int offset, double[] s) {
        int g = offset + out * in + 2 * out;
        int c = g + out;
        int gateRows = time.isPerRow() ? rows : Math.min(rows, 1);
        for (int r = 0; r < gateRows; r++) {
            double t = time.at(r);
            for (int j = 0; j < out; j++) s[r * out + j] = 1.0 / (1.0 + Math.exp(-(t * theta[g + j] + theta[c + j])));
        }
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        Work w = (Work) ws;
        int h = offset + out * in + out;
        int g = h + out;
        int c = g + out;
        int stride = time.isPerRow() ? out : 0;
        double tBar = 0.0;
        for (int r = 0; r < rows; r++) {
            double t = time.at(r);
            for (int j = 0; j < out; j++) {
                int i = r * out + j;
                double s = w.gate[r * stride + j];
                double yb = yBar[i];
                w.linearBar[i] = yb * s;
                double pBar = yb * w.linear[i] * s * (1.0 - s);
                if (thetaBar != null) {
                    thetaBar[h + j] += t * yb;
                    thetaBar[g + j] += t * pBar;
                    thetaBar[c + j] += pBar;
                }
                tBar += pBar * theta[g + j] + yb * theta[h + j];
            }
        }
        Dense.affineBackward(x, w.linearBar, xBar, rows, in, out, theta, offset, thetaBar);
        return wantTime ? tBar : 0.0;
    }

    /** L = x·Wᵀ + b; the gate is recomputed from t and θ on restore ({@code out} exponentials for one t). */
    @Override
    public int savedLength(int rows) {
        return Buffers.clamp((long) rows * out);
    }

    @Override
    public void saveState(LayerWorkspace ws, int rows, double[] saved, int at) {
        Buffers.copy(((Work) ws).linear, rows * out, saved, at, true);
    }

    @Override
    public void restoreState(double[] saved, int at, double[] x, double[] y, int rows, Times time, double[] theta,
                             int offset, LayerWorkspace ws) {
        Work w = (Work) ws;
        Buffers.copy(w.linear, rows * out, saved, at, false);
        gate(rows, time, theta, offset, w.gate);
    }

    /** L = x·Wᵀ + b, the gate s and L̄. */
    private static final class Work implements LayerWorkspace {
        final double[] linear;
        final double[] gate;
        final double[] linearBar;

        Work(int maxRows, int out) {
            linear = Buffers.of(maxRows, out);
            gate = Buffers.of(maxRows, out);
            linearBar = Buffers.of(maxRows, out);
        }
    }
}
