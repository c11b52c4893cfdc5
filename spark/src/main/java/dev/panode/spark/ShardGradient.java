package dev.panode.spark;

import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.models.Mlp;
import java.util.List;

/**
 * The gradient of one shard's share of the mean squared error (see {@link ShardLoss}): the shard's trajectories in
 * blocks of at most {@code batchRows}, each block one batched {@link Gradients} call (forward solve from the block's
 * first observations, the spec's gradient method backwards), summed in block order. What each Spark partition runs;
 * it is plain Java, so the same code gives the single-JVM reference.
 *
 * <p>With fixed steps every trajectory's solve and gradient are independent of the block it is in, so the shard sums
 * add up (to rounding) to the gradient of the whole data set in one batch. With adaptive steps a block shares one
 * step size (the batch's RMS error norm), so the answer depends on how trajectories are grouped; blocks are then
 * best kept small and fixed.
 */
final class ShardGradient {
    private ShardGradient() {}

    /**
     * @param model        the model at the current parameters
     * @param spec         method, steps or tolerances, gradient method
     * @param times        the K observation times shared by every trajectory
     * @param trajectories each {@code K × dim} observations, row-major
     * @param compared     M, the compared components of the whole data set
     * @param batchRows    trajectories per gradient call
     */
    static GradientSum compute(Mlp model, SolveSpec spec, double[] times, List<double[]> trajectories,
                               double compared, int batchRows) {
        int dim = model.dim(), k = times.length;
        GradientSum sum = GradientSum.zero(model.parameterCount());
        for (int from = 0; from < trajectories.size(); from += batchRows) {
            int n = Math.min(batchRows, trajectories.size() - from);
            double[] y0 = new double[n * dim];
            double[][] targets = new double[k][n * dim];
            for (int b = 0; b < n; b++) {
                double[] traj = trajectories.get(from + b);
                if (traj.length != k * dim) {
                    throw new IllegalArgumentException("trajectory " + (from + b) + " must hold K × dim = " + k + " × "
                            + dim + " values, got " + traj.length);
                }
                System.arraycopy(traj, 0, y0, b * dim, dim);
                for (int i = 0; i < k; i++) System.arraycopy(traj, i * dim, targets[i], b * dim, dim);
            }
            GradientResult r = Gradients.compute(model, y0, n, times, new ShardLoss(targets, compared),
                    spec.rungeKutta(), spec.options(times[0], times[k - 1], true), spec.gradientMethod());
            sum = sum.plus(new GradientSum(r.loss(), r.dLdTheta(), r.stats().forwardNfe(), r.stats().backwardNfe(), n));
        }
        return sum;
    }
}
