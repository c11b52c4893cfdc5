package dev.panode.spark;

import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import java.util.Arrays;
import java.util.List;

/**
 * One thread's gradient machinery for blocks of {@code rows} trajectories of one shape: its own copy of the model
 * (whose parameters are overwritten with the iterate before every block), the {@link ShardLoss} with its target
 * buffers, the initial-state buffer and a {@link GradientSession} (the forward pass's saved states, the backward
 * machinery, off-heap checkpoints). Made once per executor thread and shape ({@link ThreadWorkspaces}); a block's
 * gradient then allocates nothing. Closing it frees the session's off-heap memory.
 */
final class ShardSession implements ThreadWorkspaces.Workspace {
    private final Mlp model;
    private final ShardLoss loss;
    private final GradientSession session;
    private final double[] y0;
    private final int rows, dim, observations;

    /** The shape a session serves: equal keys share one session per thread. */
    record Key(MlpArchitecture architecture, SolveSpec spec, List<Double> times, int rows) {
        static Key of(MlpArchitecture architecture, SolveSpec spec, double[] times, int rows) {
            return new Key(architecture, spec, Arrays.stream(times).boxed().toList(), rows);
        }
    }

    /**
     * @param architecture the model's shape
     * @param theta        initial parameters (any valid values: every block sets its own)
     * @param spec         method, steps or tolerances, gradient method
     * @param times        the K observation times
     * @param rows         trajectories per block
     */
    ShardSession(MlpArchitecture architecture, double[] theta, SolveSpec spec, double[] times, int rows) {
        this.model = new Mlp(architecture, theta);
        this.dim = architecture.dim();
        this.rows = rows;
        this.observations = times.length;
        this.loss = new ShardLoss(observations, rows * dim);
        this.y0 = new double[rows * dim];
        this.session = Gradients.session(model, rows, times, loss, spec.rungeKutta(),
                spec.options(times[0], times[times.length - 1], true), spec.gradientMethod(), false);
    }

    /**
     * Adds the gradient of trajectories {@code from .. from + rows − 1}'s share of the loss at {@code theta} to
     * {@code gradientSum} and their evaluations to {@code nfe} (forward, backward); returns their share of the loss.
     *
     * @param compared M, the compared components of the whole data set
     * @throws IllegalArgumentException when a trajectory does not hold K × dim values
     */
    double accumulate(double[] theta, List<double[]> trajectories, int from, double compared, double[] gradientSum,
                      long[] nfe) {
        double[][] targets = loss.targets();
        for (int b = 0; b < rows; b++) {
            double[] traj = trajectories.get(from + b);
            if (traj.length != observations * dim) {
                throw new IllegalArgumentException("trajectory " + (from + b) + " must hold K × dim = " + observations
                        + " × " + dim + " values, got " + traj.length);
            }
            System.arraycopy(traj, 0, y0, b * dim, dim);
            for (int i = 0; i < observations; i++) System.arraycopy(traj, i * dim, targets[i], b * dim, dim);
        }
        loss.compareWith(compared);
        System.arraycopy(theta, 0, model.parameters(), 0, theta.length);
        double value = session.compute(y0);
        double[] g = session.dLdTheta();
        for (int j = 0; j < g.length; j++) gradientSum[j] += g[j];
        nfe[0] += session.forwardNfe();
        nfe[1] += session.backwardNfe();
        return value;
    }

    @Override
    public void close() {
        session.close();
    }
}
