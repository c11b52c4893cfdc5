package dev.panode.spark;

import dev.panode.adjoint.models.MlpArchitecture;
import java.util.List;

/**
 * The gradient of one shard's share of the mean squared error (see {@link ShardLoss}): the shard's trajectories in
 * blocks of at most {@code batchRows}, each block one batched gradient (forward solve from the block's first
 * observations, the spec's gradient method backwards) through this thread's {@link ShardSession} for the block's
 * shape, summed in block order. What each Spark partition runs; it is plain Java, so the same code gives the
 * single-JVM reference.
 *
 * <p>With fixed steps every trajectory's solve and gradient are independent of the block it is in, so the shard sums
 * add up (to rounding) to the gradient of the whole data set in one batch. With adaptive steps a block shares one
 * step size (the batch's RMS error norm), so the answer depends on how trajectories are grouped; blocks are then
 * best kept small and fixed.
 *
 * <p>Sessions: one per thread and block shape, kept by {@link ThreadWorkspaces} (a shard of n trajectories has at most
 * two shapes: {@code batchRows} and {@code n mod batchRows}); a block's gradient allocates nothing once its session
 * exists.
 */
final class ShardGradient {
    private ShardGradient() {}

    /**
     * @param architecture the model's shape
     * @param theta        the parameters at which the gradient is taken (not modified)
     * @param spec         method, steps or tolerances, gradient method
     * @param times        the K observation times shared by every trajectory
     * @param trajectories each {@code K × dim} observations, row-major
     * @param compared     M, the compared components of the whole data set
     * @param batchRows    trajectories per gradient call
     */
    static GradientSum compute(MlpArchitecture architecture, double[] theta, SolveSpec spec, double[] times,
                               List<double[]> trajectories, double compared, int batchRows) {
        double[] gradient = new double[theta.length];
        long[] nfe = new long[2];
        double loss = 0;
        int size = trajectories.size();
        ShardSession.Key full = null;
        for (int from = 0; from < size; from += batchRows) {
            int n = Math.min(batchRows, size - from);
            if (n == batchRows && full == null) full = ShardSession.Key.of(architecture, spec, times, n);
            ShardSession.Key key = n == batchRows ? full : ShardSession.Key.of(architecture, spec, times, n);
            ShardSession session = ThreadWorkspaces.get(key, () -> new ShardSession(architecture, theta, spec, times, n));
            loss += session.accumulate(theta, trajectories, from, compared, gradient, nfe);
        }
        return new GradientSum(loss, gradient, nfe[0], nfe[1], size);
    }
}
