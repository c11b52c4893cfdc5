package dev.panode.spark;

import dev.panode.adjoint.training.TrajectoryDataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel gradients of the mean squared error of a neural ODE over a data set of trajectories held in an RDD:
 * every partition computes the gradient of its shard's share of the loss ({@link ShardGradient}: batched gradients
 * with the spec's gradient method, through gradient sessions each task thread keeps), and {@code treeAggregate}
 * brings the shares to the driver, which adds them in partition order ({@link PartitionSums}). The model travels as a
 * broadcast {@link ModelSpec} per call.
 *
 * <p>The loss is that of panode's full-trajectory training ({@code BatchGradients.meanSquaredError} on
 * {@code TrajectoryDataset.fullBatch()}): {@code L = (1/M) Σ_{i≥1} Σ_b Σ_j (y_{b,j}(t_i) − target_{i,b,j})²}, M the
 * compared components. With fixed steps the result equals that single-JVM gradient to rounding; with adaptive steps a
 * block of {@code batchRows} trajectories shares its step sizes, so the result is that of the same blocks solved in
 * one JVM.
 *
 * <p>Cost per call: one Spark job (a broadcast of 8·P bytes, one task per partition, P doubles per partition back to
 * the driver) plus the gradients themselves. Persist the RDD ({@code cache()}) when calling repeatedly.
 */
public final class DataParallelGradients {
    private final JavaRDD<double[]> trajectories;
    private final double[] times;
    private final SolveSpec spec;
    private final int batchRows;
    private final long count;
    private final int dim;

    /**
     * @param trajectories the data set, each element {@code K × dim} observations at {@code times}, row-major
     * @param times        the K ≥ 2 strictly increasing observation times
     * @param dim          the state dimension
     * @param spec         method, steps or tolerances, gradient method
     * @param batchRows    trajectories per gradient call inside a partition, ≥ 1
     * @throws IllegalArgumentException naming the argument; counts the RDD once (a Spark job)
     */
    public DataParallelGradients(JavaRDD<double[]> trajectories, double[] times, int dim, SolveSpec spec, int batchRows) {
        if (trajectories == null) throw new IllegalArgumentException("trajectories must be non-null, got null");
        if (times == null || times.length < 2) {
            throw new IllegalArgumentException("times must hold at least 2 observation times, got "
                    + (times == null ? null : times.length));
        }
        for (int i = 1; i < times.length; i++) {
            if (!(times[i] > times[i - 1]) || !Double.isFinite(times[i])) {
                throw new IllegalArgumentException("times must be finite and strictly increasing: times[" + (i - 1)
                        + "] = " + times[i - 1] + ", times[" + i + "] = " + times[i]);
            }
        }
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (spec == null) throw new IllegalArgumentException("spec must be non-null, got null");
        if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        this.trajectories = trajectories;
        this.times = times.clone();
        this.dim = dim;
        this.spec = spec;
        this.batchRows = batchRows;
        this.count = trajectories.count();
        if (count == 0) throw new IllegalArgumentException("trajectories must not be empty");
    }

    /** The number of trajectories n. */
    public long trajectories() {
        return count;
    }

    /** M = (K − 1)·n·dim, the compared components. */
    public double comparedComponents() {
        return (double) (times.length - 1) * count * dim;
    }

    /** The loss and dL/dθ of {@code model} over the whole data set. */
    public GradientSum compute(ModelSpec model) {
        if (model == null) throw new IllegalArgumentException("model must be non-null, got null");
        if (model.dim() != dim) throw new IllegalArgumentException("model.dim must be " + dim + ", got " + model.dim());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(trajectories.context());
        Broadcast<ModelSpec> shared = sc.broadcast(model);
        try {
            double[] t = times;
            double compared = comparedComponents();
            SolveSpec s = spec;
            int rowsPerCall = batchRows;
            JavaRDD<PartitionSums> partials = trajectories.mapPartitionsWithIndex((index, it) -> {
                ExecutorSetup.prepare();
                List<double[]> shard = drain(it);
                ModelSpec m = shared.value();
                GradientSum g = shard.isEmpty() ? GradientSum.zero(m.parameterCount())
                        : ShardGradient.compute(m.architecture(), m.parametersView(), s, t, shard, compared, rowsPerCall);
                return List.of(PartitionSums.of(index, g)).iterator();
            }, true);
            PartitionSums all = partials.treeAggregate(new PartitionSums(), PartitionSums::merge, PartitionSums::merge);
            if (all.partitions() != trajectories.getNumPartitions()) {
                throw new IllegalStateException("expected " + trajectories.getNumPartitions() + " partitions, got "
                        + all.partitions());
            }
            return all.total(model.parameterCount());
        } finally {
            shared.destroy();
        }
    }

    /**
     * The same trajectories as one {@link TrajectoryDataset} in this JVM (for single-JVM training or a reference
     * gradient), each {@code K × dim} observations at {@code times}.
     */
    public static TrajectoryDataset toDataset(List<double[]> trajectories, double[] times, int dim) {
        if (trajectories == null || trajectories.isEmpty()) {
            throw new IllegalArgumentException("trajectories must be non-empty, got " + trajectories);
        }
        int k = times.length;
        double[] values = new double[trajectories.size() * k * dim];
        for (int b = 0; b < trajectories.size(); b++) {
            double[] t = trajectories.get(b);
            if (t.length != k * dim) {
                throw new IllegalArgumentException("trajectory " + b + " must hold K × dim = " + k + " × " + dim
                        + " values, got " + t.length);
            }
            System.arraycopy(t, 0, values, b * k * dim, k * dim);
        }
        return new TrajectoryDataset(times, values, trajectories.size(), dim);
    }

    private static List<double[]> drain(Iterator<double[]> it) {
        List<double[]> list = new ArrayList<>();
        while (it.hasNext()) list.add(it.next());
        return list;
    }
}
