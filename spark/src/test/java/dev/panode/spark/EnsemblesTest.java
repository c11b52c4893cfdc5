package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Solver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ensembles on local[2], written to Parquet, read back with Spark and checked row by row against single-JVM solves. */
class EnsemblesTest {
    private static final Mlp MODEL = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16), Initialisation.PYTORCH_DEFAULT, 7);
    private static final double[] GRID_A = {0.0, 0.25, 0.5, 1.0};
    private static final double[] GRID_B = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 2.0};

    private static List<EnsembleRow> ensemble() {
        SplittableRandom random = new SplittableRandom(11);
        List<EnsembleRow> rows = new ArrayList<>();
        double[] other = MODEL.parameters().clone();
        for (int i = 0; i < other.length; i++) other[i] *= 1.3;
        for (int i = 0; i < 150; i++) {
            double[] y0 = {random.nextDouble(-2, 2), random.nextDouble(-2, 2)};
            rows.add(new EnsembleRow(i, y0, i % 5 == 0 ? other : null, i % 3 == 0 ? GRID_B : GRID_A));
        }
        rows.add(new EnsembleRow(1000, new double[]{1, 2, 3}, null, GRID_A));                 // wrong dim
        rows.add(new EnsembleRow(1001, new double[]{0.5, 0.5}, null, new double[]{0, 1, 0.5})); // not monotone
        double[] wild = MODEL.parameters().clone();
        for (int i = 0; i < wild.length; i++) wild[i] *= 1000;
        rows.add(new EnsembleRow(1002, new double[]{0.5, -0.5}, wild, new double[]{0, 0.01, 100})); // beyond the step budget
        return rows;
    }

    private static final SolveSpec SPEC = new SolveSpec("dopri5", 0, 1e-7, 1e-9, 2_000, "backprop");

    @Test
    void parquetRoundTripMatchesSingleJvmSolvesRowByRow(@TempDir Path dir) {
        SparkSession spark = SparkTestSession.get();
        List<EnsembleRow> rows = ensemble();
        List<Row> input = new ArrayList<>();
        for (EnsembleRow r : rows) input.add(Ensembles.row(r.id(), r.y0(), r.parameters(), r.times()));
        Dataset<Row> ds = spark.createDataFrame(SparkTestSession.context().parallelize(input, 3), Ensembles.ROWS);
        Path out = dir.resolve("solutions");
        Ensembles.solve(ds, MODEL, SPEC, 32).write().parquet(out.toString());
        assertTrue(Files.isDirectory(out));

        Map<Long, Row> byId = new HashMap<>();
        for (Row r : spark.read().parquet(out.toString()).collectAsList()) byId.put(r.getLong(r.fieldIndex("id")), r);
        assertEquals(rows.size(), byId.size(), "one solution per row, none lost");

        for (EnsembleRow r : rows.subList(0, 150)) {
            Mlp field = r.parameters() == null ? MODEL : MODEL.withParameters(r.parameters());
            Solution expected = Solver.solve(OdeProblem.of(field, r.y0(), r.times()), SPEC.rungeKutta(),
                    SPEC.options(r.times()[0], r.times()[r.times().length - 1], true));
            Row got = byId.get(r.id());
            assertEquals("SUCCESSFUL", got.getString(got.fieldIndex("result")), "row " + r.id());
            assertEquals(expected.stats().nfe(), got.getLong(got.fieldIndex("nfe")), "nfe of row " + r.id());
            List<Object> states = got.getList(got.fieldIndex("states"));
            assertEquals(r.times().length, states.size());
            for (int i = 0; i < states.size(); i++) {
                List<Double> state = doubles(states.get(i));
                double[] want = expected.state(i);
                for (int j = 0; j < 2; j++) {
                    assertEquals(want[j], state.get(j), 1e-12 * Math.max(1, Math.abs(want[j])),
                            "row " + r.id() + " time " + i + " component " + j);
                }
            }
        }
        Row wrongDim = byId.get(1000L), notMonotone = byId.get(1001L), budget = byId.get(1002L);
        assertEquals("INVALID_ARGUMENT", wrongDim.getString(wrongDim.fieldIndex("result")));
        assertTrue(wrongDim.getString(wrongDim.fieldIndex("message")).contains("y0 must have length dim = 2, got 3"));
        assertEquals("INVALID_ARGUMENT", notMonotone.getString(notMonotone.fieldIndex("result")));
        assertEquals("MAX_STEPS_REACHED", budget.getString(budget.fieldIndex("result")));
        assertTrue(budget.getList(budget.fieldIndex("times")).size() >= 1, "the reached prefix is kept");
    }

    /** A nested array column's element: a Scala Seq (or a Java List). */
    @SuppressWarnings("unchecked")
    private static List<Double> doubles(Object o) {
        if (o instanceof List<?> l) return (List<Double>) l;
        return scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Double>) o);
    }

    @Test
    void partitioningDoesNotChangeTheAnswer() {
        List<EnsembleRow> rows = ensemble().subList(0, 60);
        List<EnsembleResult> whole = new EnsembleSolver(MODEL, SPEC, 1000).solve(rows);
        List<EnsembleResult> small = new EnsembleSolver(MODEL, SPEC, 7).solve(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(whole.get(i).nfe(), small.get(i).nfe());
            for (int k = 0; k < whole.get(i).states().length; k++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(whole.get(i).states()[k][j], small.get(i).states()[k][j], 1e-13);
                }
            }
        }
    }
}
