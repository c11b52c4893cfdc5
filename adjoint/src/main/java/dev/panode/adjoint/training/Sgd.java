package dev.panode.adjoint.training;

/**
 * Stochastic gradient descent with optional heavy-ball momentum, computed as {@code torch.optim.SGD}
 * (dampening 0, no Nesterov, no weight decay):
 * <pre>
 * without momentum:  θ ← θ − lr·g
 * with momentum μ:   b ← g (first step), b ← μ b + g (later steps);  θ ← θ − lr·b
 * </pre>
 * Cost: O(P) per step, one buffer of P doubles when μ &gt; 0. Plain SGD needs a carefully tuned learning rate on
 * neural ODEs, whose gradients differ in scale across parameters by orders of magnitude; prefer {@link Adam} there.
 *
 * @param learningRate lr &gt; 0
 * @param momentum     μ in [0, 1)
 */
public record Sgd(double learningRate, double momentum) implements Optimizer {

    /** Validates the hyper-parameters. */
    public Sgd {
        if (!(learningRate > 0.0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0.0 && momentum < 1.0)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    /** Plain SGD, no momentum. */
    public Sgd(double learningRate) {
        this(learningRate, 0.0);
    }

    @Override
    public State start(int parameterCount) {
        Optimizer.checkCount(parameterCount);
        return new SgdState(this, parameterCount);
    }

    private static final class SgdState implements State {
        private final Sgd config;
        private final int n;
        private final double[] buffer;
        private long t;

        SgdState(Sgd config, int n) {
            this.config = config;
            this.n = n;
            this.buffer = config.momentum > 0.0 ? new double[n] : null;
        }

        @Override
        public void step(double[] theta, double[] gradient, double learningRateScale) {
            Optimizer.checkStep(n, theta, gradient, learningRateScale);
            double lr = config.learningRate * learningRateScale;
            if (buffer == null) {
                for (int i = 0; i < n; i++) theta[i] -= lr * gradient[i];
            } else {
                double mu = config.momentum;
                boolean first = t == 0;
                for (int i = 0; i < n; i++) {
                    double b = first ? gradient[i] : mu * buffer[i] + gradient[i];
                    buffer[i] = b;
                    theta[i] -= lr * b;
                }
            }
            t++;
        }

        @Override
        public long steps() {
            return t;
        }

        @Override
        public int parameterCount() {
            return n;
        }
    }
}
