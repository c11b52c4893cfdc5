package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.MlpJson;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Solver;
import dev.panode.spark.cli.SparkMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code panode ensemble} end to end on the shared local[2] session: problem file in, Parquet out. */
class EnsembleCommandTest {

    @Test
    void ensembleWritesOneSolvedRowPerSampleAroundTheProblemsStates(@TempDir Path dir) throws Exception {
        Mlp model = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 2);
        Path problem = dir.resolve("problem.json");
        Files.writeString(problem, "{\"model\": " + MlpJson.toJsonString(model)
                + ", \"z0\": [[1.0, 0.0], [-1.0, 0.5]], \"t\": [0.0, 0.5, 1.0]}");
        Path out = dir.resolve("out");
        SparkTestSession.get();
        int code = SparkMain.commandLine().execute("ensemble", "--master", "local[2]", "--problem", problem.toString(),
                "--samples", "40", "--spread", "0", "--out", out.toString(), "--partitions", "3");
        assertEquals(0, code);
        List<Row> rows = SparkTestSession.get().read().parquet(out.toString()).orderBy("id").collectAsList();
        assertEquals(40, rows.size());
        // spread 0: sample i starts from z0[i mod 2] exactly
        Solution even = Solver.solve(OdeProblem.of(model, new double[]{1.0, 0.0}, 0.0, 0.5, 1.0),
                dev.panode.solvers.Methods.byName("dopri5"),
                dev.panode.solvers.SolveOptions.builder().rtol(1e-6).atol(1e-8).build());
        Row r0 = rows.get(0), r2 = rows.get(2);
        assertEquals("SUCCESSFUL", r0.getString(r0.fieldIndex("result")));
        assertEquals(even.stats().nfe(), r2.getLong(r2.fieldIndex("nfe")));
        assertFalse(SparkTestSession.get().sparkContext().isStopped(), "the command leaves a session it did not make");
    }

    @Test
    void badArgumentsAreOneLineWithoutAStackTrace(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cl = SparkMain.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("ensemble", "--problem", dir.resolve("none.json").toString(), "--samples", "0", "--out",
                dir.resolve("o").toString());
        assertEquals(1, code);
        assertEquals("panode ensemble: --samples must be >= 1, got 0", err.toString().strip());
        assertTrue(err.toString().lines().count() == 1);
    }
}
