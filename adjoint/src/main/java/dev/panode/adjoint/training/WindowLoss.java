package dev.panode.adjoint.training;

import dev.panode.adjoint.gradients.Loss;
import java.util.Arrays;

/**
 * The error of a solve against a {@link TrajectoryDataset.Batch}'s targets, read in place from the batch (which the
 * trainer refills every iteration), so that nothing is copied or allocated per iteration, over every observation after
 * the first (the first is the initial state itself), M the number of compared components:
 * <ul>
 *   <li>squared: {@code L = (1/M) Σ_{i≥1} Σ_b Σ_j (y_{b,j}(t_i) − target_{i,b,j})²};</li>
 *   <li>absolute: {@code L = (1/M) Σ |y − target|} (torchdiffeq's {@code ode_demo.py}), gradient sign(y − target)/M
 *       (0 where equal).</li>
 * </ul>
 */
final class WindowLoss implements Loss {
    private final boolean absolute;
    private TrajectoryDataset.Batch batch;
    private int firstRow;
    private int rowCount;
    private int[] windows;

    WindowLoss(boolean absolute) {
        this.absolute = absolute;
    }

    /** Compares with all of {@code batch}'s windows. */
    void bind(TrajectoryDataset.Batch batch) {
        bind(batch, 0, batch.size());
    }

    /** Compares with windows {@code firstRow .. firstRow + rowCount − 1} of {@code batch} (the solve's rows). */
    void bind(TrajectoryDataset.Batch batch, int firstRow, int rowCount) {
        this.batch = batch;
        this.firstRow = firstRow;
        this.rowCount = rowCount;
        this.windows = null;
    }

    /**
     * Compares the solve's row r with window {@code windows[r]} of {@code batch}, r &lt; {@code rowCount} (a gathered
     * chunk; the array is read at every evaluation, not copied). Consecutive windows give the bits of the
     * contiguous {@link #bind(TrajectoryDataset.Batch, int, int)}.
     */
    void bind(TrajectoryDataset.Batch batch, int[] windows, int rowCount) {
        this.batch = batch;
        this.firstRow = 0;
        this.rowCount = rowCount;
        this.windows = windows;
    }

    @Override
    public double evaluate(double[] times, double[][] states, int rows, int dim, double[][] gradients) {
        int n = rows * dim;
        double[] targets = batch.targets();
        if (states.length != batch.windowLength() || n != rowCount * batch.dim()) {
            throw new IllegalArgumentException("the solve has " + states.length + " states of " + n
                    + " values, the batch " + batch.windowLength() + " of " + rowCount * batch.dim());
        }
        int stride = batch.size() * batch.dim();
        double m = (double) (states.length - 1) * n;
        double scale = absolute ? 1.0 / m : 2.0 / m;
        double sum = 0.0;
        Arrays.fill(gradients[0], 0, n, 0.0);
        for (int i = 1; i < states.length; i++) {
            double[] y = states[i];
            double[] g = gradients[i];
            for (int r = 0; r < rows; r++) {
                int off = i * stride + (windows == null ? firstRow + r : windows[r]) * dim - r * dim;
                for (int j = r * dim; j < (r + 1) * dim; j++) {
                    double d = y[j] - targets[off + j];
                    if (absolute) {
                        sum += Math.abs(d);
                        g[j] = scale * Math.signum(d);
                    } else {
                        sum += d * d;
                        g[j] = scale * d;
                    }
                }
            }
        }
        return sum / m;
    }
}
