package dev.panode.adjoint.training;

/**
 * RMSprop (Tieleman &amp; Hinton, "Lecture 6.5 — RMSprop", COURSERA: Neural Networks for Machine Learning, 2012),
 * computed exactly as {@code torch.optim.RMSprop} without momentum, centring or weight decay — the optimiser of
 * torchdiffeq's {@code ode_demo.py} (lr = 1e-3):
 * <pre>
 * v ← α v + (1 − α) g²
 * θ ← θ − lr · g / (√v + ε)
 * </pre>
 * Cost: O(P) per step, one moment vector of P doubles per run. Not bias-corrected: the first steps are large
 * (g/√(1 − α) ≈ 10 g for α = 0.99); prefer {@link Adam} unless reproducing a recipe that uses RMSprop.
 *
 * @param learningRate lr &gt; 0
 * @param alpha        α in [0, 1), decay of the squared-gradient average (0.99)
 * @param epsilon      ε &gt; 0, added to the denominator (1e-8)
 */
public record RmsProp(double learningRate, double alpha, double epsilon) implements Optimizer {

    /** Validates the hyper-parameters. */
    public RmsProp {
        if (!(learningRate > 0.0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(alpha >= 0.0 && alpha < 1.0)) throw new IllegalArgumentException("alpha must be in [0, 1), got " + alpha);
        if (!(epsilon > 0.0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
    }

    /** RMSprop with torch's defaults α = 0.99, ε = 1e-8. */
    public RmsProp(double learningRate) {
        this(learningRate, 0.99, 1e-8);
    }

    @Override
    public State start(int parameterCount) {
        Optimizer.checkCount(parameterCount);
        return new RmsPropState(this, parameterCount);
    }

    private static final class RmsPropState implements State {
        private final RmsProp config;
        private final double[] v;
        private long t;

        RmsPropState(RmsProp config, int n) {
            this.config = config;
            this.v = new double[n];
        }

        @Override
        public void step(double[] theta, double[] gradient, double learningRateScale) {
            Optimizer.checkStep(v.length, theta, gradient, learningRateScale);
            t++;
            double a = config.alpha;
            double lr = config.learningRate * learningRateScale;
            double eps = config.epsilon;
            for (int i = 0; i < v.length; i++) {
                double g = gradient[i];
                double vi = a * v[i] + (1.0 - a) * g * g;
                v[i] = vi;
                theta[i] -= lr * g / (Math.sqrt(vi) + eps);
            }
        }

        @Override
        public long steps() {
            return t;
        }

        @Override
        public int parameterCount() {
            return v.length;
        }
    }
}
