package dev.panode.adjoint.training;

/**
 * Adam (Kingma &amp; Ba, "Adam: a method for stochastic optimization", ICLR 2015, Algorithm 1), with bias correction,
 * computed exactly as {@code torch.optim.Adam} (without weight decay or AMSGrad):
 * <pre>
 * m ← β₁ m + (1 − β₁) g
 * v ← β₂ v + (1 − β₂) g²
 * θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * Cost: O(P) per step, two moment vectors of P doubles per run. The usual choice for neural ODEs
 * (torchdiffeq's examples use lr = 1e-3 … 1e-2). Not the best choice when a full-batch loss is smooth and
 * well-conditioned; then a quasi-Newton method converges faster.
 *
 * @param learningRate lr &gt; 0
 * @param beta1        β₁ in [0, 1), decay of the first moment (0.9)
 * @param beta2        β₂ in [0, 1), decay of the second moment (0.999)
 * @param epsilon      ε &gt; 0, added to the denominator (1e-8)
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {

    /** Validates the hyper-parameters. */
    public Adam {
        if (!(learningRate > 0.0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0.0 && beta1 < 1.0)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0.0 && beta2 < 1.0)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        if (!(epsilon > 0.0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
    }

    /** Adam with torch's defaults β = (0.9, 0.999), ε = 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public State start(int parameterCount) {
        Optimizer.checkCount(parameterCount);
        return new AdamState(this, parameterCount);
    }

    private static final class AdamState implements State {
        private final Adam config;
        private final double[] m;
        private final double[] v;
        private long t;

        AdamState(Adam config, int n) {
            this.config = config;
            this.m = new double[n];
            this.v = new double[n];
        }

        @Override
        public void step(double[] theta, double[] gradient, double learningRateScale) {
            Optimizer.checkStep(m.length, theta, gradient, learningRateScale);
            t++;
            double b1 = config.beta1, b2 = config.beta2;
            double biasCorrection1 = 1.0 - Math.pow(b1, t);
            double sqrtBiasCorrection2 = Math.sqrt(1.0 - Math.pow(b2, t));
            double stepSize = config.learningRate * learningRateScale / biasCorrection1;
            double eps = config.epsilon;
            for (int i = 0; i < m.length; i++) {
                double g = gradient[i];
                double mi = b1 * m[i] + (1.0 - b1) * g;
                double vi = b2 * v[i] + (1.0 - b2) * g * g;
                m[i] = mi;
                v[i] = vi;
                theta[i] -= stepSize * mi / (Math.sqrt(vi) / sqrtBiasCorrection2 + eps);
            }
        }

        @Override
        public long steps() {
            return t;
        }

        @Override
        public int parameterCount() {
            return m.length;
        }
    }
}
