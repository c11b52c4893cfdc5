package dev.panode.spark;

import dev.panode.adjoint.models.Mlp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Ensembles on Spark: a Dataset of rows (initial state, optional per-row parameters, time grid) in, a Dataset of
 * solutions out, one row per input row. Each partition is solved in batches by an {@link EnsembleSolver}; a row that
 * fails is a result code in its own row, so the job never fails for a row's sake and no row is lost.
 *
 * <pre>{@code
 * Dataset<Row> solutions = Ensembles.solve(rows, mlp, SolveSpec.adaptive("dopri5", 1e-6, 1e-8), 256);
 * solutions.write().parquet("out/");    // opens in pandas, polars, DuckDB
 * }</pre>
 *
 * <p>The model travels once per executor as a broadcast {@link ModelSpec} (its weights), the solver choices as a
 * {@link SolveSpec}; nothing of the core is Java-serialised.
 */
public final class Ensembles {
    private Ensembles() {}

    private static final org.apache.spark.sql.types.DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, false);

    /**
     * The input schema: {@code id long}, {@code y0 array<double>}, {@code parameters array<double>} (nullable: null
     * takes the ensemble's model) and {@code times array<double>} (the grid; solved from its first to its last time).
     */
    public static final StructType ROWS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("y0", DOUBLES, false)
            .add("parameters", DOUBLES, true)
            .add("times", DOUBLES, false);

    /**
     * The output schema: {@code id}, {@code times} (reached), {@code states array<array<double>>} (one state per
     * time), {@code nfe}, {@code accepted}, {@code rejected}, {@code result} ({@code SUCCESSFUL} or the failure
     * code, see {@link EnsembleResult}) and {@code message}.
     */
    public static final StructType SOLUTIONS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("times", DOUBLES, false)
            .add("states", DataTypes.createArrayType(DOUBLES, false), false)
            .add("nfe", DataTypes.LongType, false)
            .add("accepted", DataTypes.LongType, false)
            .add("rejected", DataTypes.LongType, false)
            .add("result", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, false);

    /**
     * Solves every row of {@code rows} (schema {@link #ROWS}; columns are read by name, extra columns ignored).
     *
     * @param rows      the ensemble
     * @param model     the model shared by rows without their own parameters
     * @param spec      method, tolerances or fixed steps, step budget
     * @param batchRows rows per batched solve within a partition, ≥ 1
     * @return a lazy Dataset of {@link #SOLUTIONS}, one row per input row, in the partitions' order
     */
    public static Dataset<Row> solve(Dataset<Row> rows, Mlp model, SolveSpec spec, int batchRows) {
        if (rows == null) throw new IllegalArgumentException("rows must be non-null, got null");
        if (spec == null) throw new IllegalArgumentException("spec must be non-null, got null");
        if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        int[] columns = columns(rows);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<ModelSpec> shared = sc.broadcast(ModelSpec.of(model));
        MapPartitionsFunction<Row, Row> task = it -> {
            ExecutorSetup.prepare();
            return new SolvingIterator(it, new EnsembleSolver(shared.value().model(), spec, batchRows), batchRows,
                    columns);
        };
        return rows.mapPartitions(task, Encoders.row(SOLUTIONS));
    }

    /**
     * The same job with the solving left out: every row decoded, answered with its initial state at every time and
     * encoded, as {@link #solve} does. A benchmark baseline for Spark's per-row machinery; not for results.
     */
    public static Dataset<Row> passThrough(Dataset<Row> rows) {
        int[] columns = columns(rows);
        MapPartitionsFunction<Row, Row> task = it -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Row next() {
                EnsembleRow r = toEnsembleRow(it.next(), columns);
                double[][] states = new double[r.times().length][];
                java.util.Arrays.fill(states, r.y0());
                return toRow(new EnsembleResult(r.id(), r.times(), states, 0, 0, 0, "SUCCESSFUL", ""));
            }
        };
        return rows.mapPartitions(task, Encoders.row(SOLUTIONS));
    }

    private static int[] columns(Dataset<Row> rows) {
        for (String c : new String[]{"id", "y0", "times"}) {
            if (!List.of(rows.columns()).contains(c)) {
                throw new IllegalArgumentException("rows must have a column \"" + c + "\" (see Ensembles.ROWS), got "
                        + List.of(rows.columns()));
            }
        }
        StructType schema = rows.schema();
        return new int[]{schema.fieldIndex("id"), schema.fieldIndex("y0"),
                List.of(rows.columns()).contains("parameters") ? schema.fieldIndex("parameters") : -1,
                schema.fieldIndex("times")};
    }

    /** Reads an input row; {@code columns} holds the indexes of id, y0, parameters (−1: none) and times. */
    static EnsembleRow toEnsembleRow(Row r, int[] columns) {
        double[] p = columns[2] >= 0 ? doubles(r.get(columns[2])) : null;
        return new EnsembleRow(r.getLong(columns[0]), doubles(r.get(columns[1])), p, doubles(r.get(columns[3])));
    }

    /** Writes an output row. */
    static Row toRow(EnsembleResult s) {
        return RowFactory.create(s.id(), s.times(), s.states(), s.nfe(), s.accepted(), s.rejected(), s.result(),
                s.message());
    }

    /** An input row of {@link #ROWS}. */
    public static Row row(long id, double[] y0, double[] parameters, double[] times) {
        return RowFactory.create(id, y0, parameters, times);
    }

    /**
     * An array column's value as Spark hands it over: a Scala Seq after decoding, or the {@code double[]} a Row was
     * made with when Spark elides the encoding between two object operators; null stays null.
     */
    @SuppressWarnings("unchecked")
    private static double[] doubles(Object value) {
        if (value == null) return null;
        if (value instanceof double[] a) return a.clone();
        List<Object> list = value instanceof List<?> l ? (List<Object>) l
                : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Object>) value);
        double[] a = new double[list.size()];
        for (int i = 0; i < a.length; i++) {
            Object v = list.get(i);
            a[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
        }
        return a;
    }

    /** Pulls up to {@code chunk} rows, solves them, hands their solutions out, and repeats: memory O(chunk). */
    private static final class SolvingIterator implements Iterator<Row> {
        private final Iterator<Row> in;
        private final EnsembleSolver solver;
        private final int chunk;
        private final int[] columns;
        private List<EnsembleResult> pending = List.of();
        private int next;

        SolvingIterator(Iterator<Row> in, EnsembleSolver solver, int chunk, int[] columns) {
            this.in = in;
            this.solver = solver;
            this.chunk = chunk;
            this.columns = columns;
        }

        @Override
        public boolean hasNext() {
            if (next < pending.size()) return true;
            if (!in.hasNext()) return false;
            List<EnsembleRow> rows = new ArrayList<>(chunk);
            while (rows.size() < chunk && in.hasNext()) rows.add(toEnsembleRow(in.next(), columns));
            pending = solver.solve(rows);
            next = 0;
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            return toRow(pending.get(next++));
        }
    }
}
