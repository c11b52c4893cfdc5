package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.io.MlpJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dtype float32} and {@code "dtype": "float32"} on {@code panode solve} and {@code panode grad}. */
class Float32CommandTest {
    private static final String FILE = "mlp_d2_h16_b4.json";

    private static JsonNode json(String... args) throws Exception {
        return ReferenceFiles.MAPPER.readTree(ReferenceFiles.run(args));
    }

    @Test
    void solveInFloat32MatchesTheDoubleSolveToFloatRounding() throws Exception {
        String problem = ReferenceFiles.file(FILE).toString();
        JsonNode f32 = json("solve", "--problem", problem, "--dtype", "float32");
        JsonNode f64 = json("solve", "--problem", problem, "--rtol", "1e-4", "--atol", "1e-6");
        assertEquals("float32", f32.get("dtype").asText());
        assertEquals("float64", f64.get("dtype").asText());
        assertEquals("dopri5 (rtol 1e-04, atol 1e-06)", f32.get("solver").asText(), "float32's default tolerances");
        assertEquals(f64.get("stats").get("nfe").asLong(), f32.get("stats").get("nfe").asLong());
        double d = ReferenceFiles.relativeDifference(ReferenceFiles.numbers(f32.get("z")), ReferenceFiles.numbers(f64.get("z")));
        assertTrue(d < 1e-5, "float32 vs float64 relative difference " + d);
        assertTrue(d > 0, "the float32 solve really ran in float");
    }

    @Test
    void theFilesDtypeChoosesThePrecisionAndTheFlagOverridesIt(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) ReferenceFiles.read(FILE);
        root.put("dtype", "float32");
        Path p = Files.writeString(dir.resolve("p.json"), root.toString());
        assertEquals("float32", json("solve", "--problem", p.toString()).get("dtype").asText());
        assertEquals("float64", json("solve", "--problem", p.toString(), "--dtype", "float64").get("dtype").asText());
        // a float32 model file passed with --model makes the solve float32 too
        ObjectNode model = MlpJson.toJson(MlpJson.fromJson(ReferenceFiles.read(FILE)), dev.panode.io.Precision.FLOAT32);
        Path m = Files.writeString(dir.resolve("m.json"), model.toString());
        root.remove("dtype");
        Path q = Files.writeString(dir.resolve("q.json"), root.toString());
        assertEquals("float32", json("solve", "--problem", q.toString(), "--model", m.toString()).get("dtype").asText());
    }

    @Test
    void gradInFloat32MatchesTheDoubleBackprop() throws Exception {
        String problem = ReferenceFiles.file(FILE).toString();
        JsonNode f32 = json("grad", "--problem", problem, "--dtype", "float32", "--loss", "multi");
        JsonNode f64 = json("grad", "--problem", problem, "--rtol", "1e-4", "--atol", "1e-6", "--loss", "multi");
        assertEquals("float32", f32.get("dtype").asText());
        assertEquals(f64.get("stats").get("nfe_forward").asLong(), f32.get("stats").get("nfe_forward").asLong());
        for (String key : new String[] {"dL_dz0", "dL_dtheta"}) {
            double d = ReferenceFiles.relativeDifference(ReferenceFiles.numbers(f32.get(key)),
                    ReferenceFiles.numbers(f64.get(key)));
            assertTrue(d < 1e-4, key + ": float32 vs float64 relative difference " + d);
        }
        assertEquals(f64.get("dL_dtheta").size(), f32.get("dL_dtheta").size());
        for (String g : new String[] {"adjoint", "adjoint-seminorm", "interpolating", "interpolating-seminorm"}) {
            JsonNode adjoint = json("grad", "--problem", problem, "--dtype", "float32", "--loss", "multi",
                    "--gradient", g);
            assertEquals(g, adjoint.get("gradient").asText());
            double d = ReferenceFiles.relativeDifference(ReferenceFiles.numbers(adjoint.get("dL_dz0")),
                    ReferenceFiles.numbers(f64.get("dL_dz0")));
            assertTrue(d < 1e-3, g + " in float32 vs float64 backprop at rtol 1e-4: " + d);
        }
    }

    @Test
    void theOscillatorDemoEvaluatesInFloat32AndSavesAFloat32Model(@TempDir Path dir) throws Exception {
        DemoCommand cmd = new DemoCommand();
        new picocli.CommandLine(cmd).parseArgs("oscillator", "-n", "3", "--seed", "2", "--dtype", "float32", "-o",
                dir.toString());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DemoCommand.DemoResult r = cmd.run(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8),
                false);
        assertTrue(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).contains("dtype float32"));
        JsonNode model = ReferenceFiles.MAPPER.readTree(dir.resolve("model.json").toFile());
        assertEquals("float32", model.get("dtype").asText());
        double[] p = MlpJson.fromJson(model).parameters();
        double[] trained = r.model().parameters();
        for (int i = 0; i < p.length; i++) assertEquals((float) trained[i], (float) p[i]);
        for (double v : p) assertEquals(v, (double) (float) v, "a float32 model holds floats");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "spiral", "--dtype", "float32", "-n", "1",
                "-o", dir.resolve("s").toString()), 2, "--dtype float32 needs a model without an input transform");
    }

    @Test
    void badDtypesGiveOneLineNamingTheArgument(@TempDir Path dir) throws Exception {
        String problem = ReferenceFiles.file(FILE).toString();
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("solve", "--problem", problem, "--dtype", "float16"),
                2, "--dtype must be float32 or float64, got float16");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("grad", "--problem", problem, "--dtype", "float32",
                "--gradient", "interpolating", "--method", "rk4"), 2, "method must be an explicit Runge–Kutta method "
                + "whose interpolant reads only its stages");
        ObjectNode root = (ObjectNode) ReferenceFiles.read(FILE);
        root.put("dtype", "half");
        Path p = Files.writeString(dir.resolve("p.json"), root.toString());
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("solve", "--problem", p.toString()), 2,
                "dtype must be float32 or float64, got half");
        root.remove("dtype");
        ((ObjectNode) root.get("model")).put("dtype", "bfloat16");
        Path q = Files.writeString(dir.resolve("q.json"), root.toString());
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("solve", "--problem", q.toString()), 2,
                "model.dtype must be float32 or float64, got bfloat16");
    }
}
