package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.gradients.Loss;
import java.util.Arrays;

/**
 * The mean negative log-likelihood of a {@link CnfField} solved from the data at t_0 to the base at t_N, in nats:
 * <pre>
 *   L = −(1/R) Σ_r [ log N(z_r(t_N); 0, σ²I) − ℓ_r(t_N) ]
 *     = (1/R) Σ_r [ |z_r|²/(2σ²) + (D/2)·log(2πσ²) + ℓ_r ]
 * </pre>
 * with ℓ(t_0) = 0, dℓ/dt = −tr(∂f/∂z): by the instantaneous change of variables
 * {@code log p_base(z(t_N)) − log p(x) = ℓ(t_N)}, so {@code log p(x) = log p_base(z(t_N)) − ℓ(t_N)}.
 * Gradient: {@code ∂L/∂z_r = z_r/(Rσ²)}, {@code ∂L/∂ℓ_r = 1/R} at t_N, zero at earlier times. O(R·D), no allocation.
 *
 * @param baseVariance σ² of the isotropic Gaussian base, &gt; 0 (1 for FFJORD, 0.1 in torchdiffeq's example)
 */
public record FlowLikelihood(double baseVariance) implements Loss {

    /** @throws IllegalArgumentException unless baseVariance is finite and positive */
    public FlowLikelihood {
        if (!(baseVariance > 0.0) || !Double.isFinite(baseVariance)) {
            throw new IllegalArgumentException("baseVariance must be finite and > 0, got " + baseVariance);
        }
    }

    /** The standard normal base. */
    public static FlowLikelihood standardNormal() {
        return new FlowLikelihood(1.0);
    }

    /** {@code log N(z; 0, σ²I)} of the D values {@code z[at .. at + D)}. */
    public double logBase(double[] z, int at, int d) {
        double sq = 0.0;
        for (int i = 0; i < d; i++) sq += z[at + i] * z[at + i];
        return -0.5 * sq / baseVariance - 0.5 * d * Math.log(2.0 * Math.PI * baseVariance);
    }

    /** log p(x) of each row of a final state {@code rows × (D + 1)} (z, ℓ): {@code log N(z) − ℓ}, into out. */
    public void logDensity(double[] state, int rows, int dPlusOne, double[] out) {
        int d = dPlusOne - 1;
        for (int r = 0; r < rows; r++) out[r] = logBase(state, r * dPlusOne, d) - state[r * dPlusOne + d];
    }

    @Override
    public double evaluate(double[] times, double[][] states, int rows, int dim, double[][] gradients) {
        int last = states.length - 1;
        int n = rows * dim;
        for (int i = 0; i < last; i++) Arrays.fill(gradients[i], 0, n, 0.0);
        double[] y = states[last];
        double[] g = gradients[last];
        int d = dim - 1;
        double sum = 0.0;
        double scale = 1.0 / (rows * baseVariance);
        for (int r = 0; r < rows; r++) {
            int at = r * dim;
            sum -= logBase(y, at, d) - y[at + d];
            for (int j = 0; j < d; j++) g[at + j] = y[at + j] * scale;
            g[at + d] = 1.0 / rows;
        }
        return sum / rows;
    }
}
