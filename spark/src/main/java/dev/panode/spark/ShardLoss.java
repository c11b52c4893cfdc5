package dev.panode.spark;

import dev.panode.adjoint.gradients.Loss;
import java.util.Arrays;

/**
 * One shard's share of the mean squared error over a whole data set of trajectories:
 * {@code L_s = (1/M) Σ_{i≥1} Σ_{b∈s} Σ_j (y_{b,j}(t_i) − target_{i,b,j})²}, with M the number of compared components
 * of the <em>whole</em> data set (every observation after the first, of every trajectory). The shares of disjoint
 * shards add up to the data set's mean squared error and their gradients to its gradient, which is what makes the
 * data-parallel sum exact. The first observation is the initial state and is not compared (as in panode's training
 * losses).
 *
 * <p>The targets live in this loss's own buffers, refilled for every block of trajectories ({@link #targets()},
 * {@link #compareWith}), so that one gradient session serves block after block without allocating.
 */
final class ShardLoss implements Loss {
    private final double[][] targets;
    private double scale;

    /**
     * @param observations K, the observation times
     * @param values       rows × dim, the values per observation time
     */
    ShardLoss(int observations, int values) {
        this.targets = new double[observations][values];
        this.scale = 1.0;
    }

    /** {@code targets()[i]} = the observations at t_i, {@code rows × dim} row-major: fill before each gradient. */
    double[][] targets() {
        return targets;
    }

    /** Sets M, the compared components of the whole data set. */
    void compareWith(double total) {
        this.scale = 1.0 / total;
    }

    @Override
    public double evaluate(double[] times, double[][] states, int rows, int dim, double[][] gradients) {
        int n = rows * dim;
        Arrays.fill(gradients[0], 0, n, 0.0);
        double sum = 0;
        for (int i = 1; i < states.length; i++) {
            double[] y = states[i], target = targets[i], g = gradients[i];
            for (int k = 0; k < n; k++) {
                double d = y[k] - target[k];
                sum += d * d;
                g[k] = 2 * scale * d;
            }
        }
        return scale * sum;
    }
}
