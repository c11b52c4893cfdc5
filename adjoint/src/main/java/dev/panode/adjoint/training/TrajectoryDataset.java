package dev.panode.adjoint.training;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Observed trajectories of an autonomous system: {@code n} trajectories of dimension {@code dim}, each observed at the
 * same {@code K} times {@code t₀ < t₁ < … < t_{K−1}}. Values are one row-major array of {@code n × K × dim}
 * ({@code values[(traj·K + k)·dim + i]}).
 *
 * <p>Training draws <em>windows</em>: a batch of sub-trajectories of {@code k} consecutive observations, each starting at
 * a random (trajectory, index) pair, drawn without replacement — the {@code get_batch} of torchdiffeq's
 * {@code ode_demo.py}. Every window of a batch is integrated over the same relative times {@code t₀ … t_{k−1}}, so
 * windows need a uniform time grid and a field that does not depend on t (as in the demo); {@link #sampleWindows}
 * checks the grid. For a non-uniform grid, train on {@link #fullBatch} instead.
 *
 * <p>The dataset is immutable. Sampling writes into a caller-owned {@link Batch} and allocates nothing; given the same
 * {@link SplittableRandom} seed it draws the same windows.
 */
public final class TrajectoryDataset {
    private final double[] times;
    private final double[] values;
    private final int trajectories;
    private final int dim;
    private final boolean uniformGrid;

    /**
     * A dataset of trajectories observed at common times.
     *
     * @param times        K ≥ 2 strictly increasing finite observation times, shared by every trajectory
     * @param values       {@code trajectories × K × dim} finite observations, row-major; copied
     * @param trajectories the number of trajectories n ≥ 1
     * @param dim          the state dimension ≥ 1
     * @throws IllegalArgumentException naming the argument on a wrong shape, order or a non-finite value
     */
    public TrajectoryDataset(double[] times, double[] values, int trajectories, int dim) {
        if (times == null || times.length < 2) {
            throw new IllegalArgumentException("times must hold at least 2 observation times, got "
                    + (times == null ? "null" : times.length));
        }
        if (trajectories < 1) throw new IllegalArgumentException("trajectories must be >= 1, got " + trajectories);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        int k = times.length;
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(times[i])) throw new IllegalArgumentException("times[" + i + "] is " + times[i]);
            if (i > 0 && !(times[i] > times[i - 1])) {
                throw new IllegalArgumentException("times must be strictly increasing: times[" + (i - 1) + "] = "
                        + times[i - 1] + ", times[" + i + "] = " + times[i]);
            }
        }
        long expected = (long) trajectories * k * dim;
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException("values.length must be trajectories·K·dim = " + trajectories + "·" + k
                    + "·" + dim + " = " + expected + ", got " + (values == null ? "null" : values.length));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) throw new IllegalArgumentException("values[" + i + "] is " + values[i]);
        }
        this.times = times.clone();
        this.values = values.clone();
        this.trajectories = trajectories;
        this.dim = dim;
        double h = (times[k - 1] - times[0]) / (k - 1);
        boolean uniform = true;
        for (int i = 1; i < k && uniform; i++) {
            uniform = Math.abs((times[i] - times[0]) - i * h) <= 1e-9 * Math.max(1.0, Math.abs(times[k - 1] - times[0]));
        }
        this.uniformGrid = uniform;
    }

    /** One trajectory of {@code K × dim} observations. */
    public static TrajectoryDataset single(double[] times, double[] values, int dim) {
        return new TrajectoryDataset(times, values, 1, dim);
    }

    /** The number of trajectories. */
    public int trajectories() {
        return trajectories;
    }

    /** The number of observation times K. */
    public int observations() {
        return times.length;
    }

    /** The state dimension. */
    public int dim() {
        return dim;
    }

    /** The observation times (a copy). */
    public double[] times() {
        return times.clone();
    }

    /** Observation {@code k} of trajectory {@code traj}, component {@code i}. */
    public double value(int traj, int k, int i) {
        return values[(traj * times.length + k) * dim + i];
    }

    /** The observations of trajectory {@code traj} as a new {@code K × dim} array. */
    public double[] trajectory(int traj) {
        if (traj < 0 || traj >= trajectories) {
            throw new IllegalArgumentException("traj must be in [0, " + trajectories + "), got " + traj);
        }
        int len = times.length * dim;
        return Arrays.copyOfRange(values, traj * len, (traj + 1) * len);
    }

    /** True when the times are equally spaced (to 1e-9 relative), which windows require. */
    public boolean hasUniformGrid() {
        return uniformGrid;
    }

    /** The number of distinct windows of length {@code windowLength}: {@code n·(K − k + 1)}. */
    public int windowCount(int windowLength) {
        return trajectories * (times.length - windowLength + 1);
    }

    /**
     * Allocates a batch buffer for {@code batchSize} windows of {@code windowLength} observations, with the relative
     * times {@code t_j − t₀}, j &lt; k, already filled in.
     *
     * @throws IllegalArgumentException if the sizes do not fit this dataset
     */
    public Batch newBatch(int batchSize, int windowLength) {
        if (windowLength < 2 || windowLength > times.length) {
            throw new IllegalArgumentException("windowLength must be in [2, " + times.length + "], got " + windowLength);
        }
        if (batchSize < 1 || batchSize > windowCount(windowLength)) {
            throw new IllegalArgumentException("batchSize must be in [1, " + windowCount(windowLength)
                    + "] (the number of distinct windows of length " + windowLength + "), got " + batchSize);
        }
        double[] t = new double[windowLength];
        for (int j = 0; j < windowLength; j++) t[j] = times[j] - times[0];
        return new Batch(t, batchSize, dim, windowCount(windowLength));
    }

    /**
     * Fills {@code batch} with {@code batch.size()} distinct random windows (no replacement within a batch): the
     * initial states {@code y0} ({@code size × dim}) and the targets ({@code k × size × dim}, time-major like a
     * solver's saved states, entry 0 equal to y0). Allocates nothing.
     *
     * @throws IllegalArgumentException if the grid is not uniform or the batch was made by another dataset shape
     */
    public void sampleWindows(SplittableRandom random, Batch batch) {
        if (!uniformGrid) {
            throw new IllegalArgumentException("windows need equally spaced observation times; "
                    + "this dataset's grid is not uniform: train on fullBatch() instead");
        }
        checkBatch(batch);
        int k = batch.times.length;
        int count = windowCount(k);
        if (batch.pool.length != count) {
            throw new IllegalArgumentException("batch was made for " + batch.pool.length + " windows, this dataset has "
                    + count);
        }
        int[] pool = batch.pool;
        for (int i = 0; i < count; i++) pool[i] = i;
        int starts = times.length - k + 1;
        for (int b = 0; b < batch.size; b++) {
            int j = b + random.nextInt(count - b);
            int w = pool[j];
            pool[j] = pool[b];
            pool[b] = w;
            int traj = w / starts;
            int start = w % starts;
            batch.trajectory[b] = traj;
            batch.start[b] = start;
            for (int s = 0; s < k; s++) {
                System.arraycopy(values, (traj * times.length + start + s) * dim,
                        batch.targets, (s * batch.size + b) * dim, dim);
            }
            System.arraycopy(batch.targets, b * dim, batch.y0, b * dim, dim);
        }
    }

    /**
     * A batch holding every trajectory over all K times (one window per trajectory starting at index 0), for
     * full-trajectory training and evaluation. Works on any grid.
     */
    public Batch fullBatch() {
        int k = times.length;
        double[] t = times.clone();
        Batch batch = new Batch(t, trajectories, dim, 0);
        for (int b = 0; b < trajectories; b++) {
            batch.trajectory[b] = b;
            for (int s = 0; s < k; s++) {
                System.arraycopy(values, (b * k + s) * dim, batch.targets, (s * trajectories + b) * dim, dim);
            }
            System.arraycopy(values, b * k * dim, batch.y0, b * dim, dim);
        }
        return batch;
    }

    private void checkBatch(Batch batch) {
        if (batch == null) throw new IllegalArgumentException("batch must be non-null");
        if (batch.dim != dim) throw new IllegalArgumentException("batch.dim must be " + dim + ", got " + batch.dim);
    }

    /**
     * A mutable buffer of windows, reused across iterations: the save times (relative, starting at the first
     * observation), the initial states and the observed targets. Owned by one thread.
     */
    public static final class Batch {
        private final double[] times;
        private final int size;
        private final int dim;
        private final double[] y0;
        private final double[] targets;
        private final int[] trajectory;
        private final int[] start;
        private final int[] pool;

        Batch(double[] times, int size, int dim, int windows) {
            this.times = times;
            this.size = size;
            this.dim = dim;
            this.y0 = new double[size * dim];
            this.targets = new double[times.length * size * dim];
            this.trajectory = new int[size];
            this.start = new int[size];
            this.pool = new int[windows];
        }

        /** The save times of every window (length k); the live array, do not modify. */
        public double[] times() {
            return times;
        }

        /** The number of windows in the batch. */
        public int size() {
            return size;
        }

        /** The state dimension. */
        public int dim() {
            return dim;
        }

        /** The observations per window, k. */
        public int windowLength() {
            return times.length;
        }

        /** Initial states, {@code size × dim} row-major; the live array. */
        public double[] y0() {
            return y0;
        }

        /** Observed states, {@code k × size × dim} (time-major); the live array. */
        public double[] targets() {
            return targets;
        }

        /** The trajectory that window {@code b} was cut from. */
        public int trajectoryOf(int b) {
            return trajectory[b];
        }

        /** The index of the first observation of window {@code b} in its trajectory. */
        public int startOf(int b) {
            return start[b];
        }
    }
}
