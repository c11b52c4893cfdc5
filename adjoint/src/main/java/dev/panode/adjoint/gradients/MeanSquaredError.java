package dev.panode.adjoint.gradients;

import java.util.Arrays;

/**
 * Mean squared error against per-observation targets (null where there is none), averaged over every compared
 * component: {@code L = (1/M) Σ (y − target)²}, gradient {@code 2(y − target)/M}.
 */
final class MeanSquaredError implements Loss {
    private final double[][] targets;

    MeanSquaredError(double[][] targets) {
        if (targets == null) throw new IllegalArgumentException("targets must be non-null");
        boolean any = false;
        for (double[] t : targets) any |= t != null;
        if (!any) throw new IllegalArgumentException("targets must hold at least one non-null observation");
        this.targets = new double[targets.length][];
        for (int i = 0; i < targets.length; i++) this.targets[i] = targets[i] == null ? null : targets[i].clone();
    }

    @Override
    public double evaluate(double[] times, double[][] states, int rows, int dim, double[][] gradients) {
        int n = rows * dim;
        if (states.length != targets.length) {
            throw new IllegalArgumentException("the loss has targets for " + targets.length
                    + " observation times, the solve has " + states.length);
        }
        long m = 0;
        for (double[] t : targets) {
            if (t == null) continue;
            if (t.length != n) {
                throw new IllegalArgumentException("target of length " + t.length + " for a state of " + n + " values");
            }
            m += n;
        }
        double sum = 0.0;
        double scale = 2.0 / m;
        for (int i = 0; i < states.length; i++) {
            double[] t = targets[i];
            double[] g = gradients[i];
            if (t == null) {
                Arrays.fill(g, 0, n, 0.0);
                continue;
            }
            double[] y = states[i];
            for (int j = 0; j < n; j++) {
                double d = y[j] - t[j];
                sum += d * d;
                g[j] = scale * d;
            }
        }
        return sum / m;
    }
}
