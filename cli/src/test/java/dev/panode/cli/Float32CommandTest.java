package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.io.MlpJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                "--gradient", "adjoint", "-o", dir.resolve("s").toString()), 2,
                "--gradient must be backprop with --dtype float32");
        CliBadInputTest.assertOneLineFailure(CliBadInputTest.run("demo", "spiral", "--dtype", "float32", "-n", "1",
                "--threads", "2", "-o", dir.resolve("s").toString()), 2,
                "--dtype float32 trains the whole batch in one solve on one thread; got --threads 2");
    }

    /**
     * ode_demo's settings (20 windows of 10, dopri5 rtol 1e-7 / atol 1e-9 — the script runs these in float32 too —,
     * MAE, RMSprop lr 1e-3, a test every 10 iterations) for 30 iterations in float32 and float64 from the same start:
     * the float run trains the spiral's cube-fed model, its batch losses and test errors agree with the double run's
     * to float rounding carried through 30 nearly-sign RMSprop steps (measured: about 1e-5 relative; 1e-3 allowed),
     * and it takes about as many evaluations (measured 18% more: float32 error estimates at rtol 1e-7 are noisier; 40%
     * allowed).
     */
    @Test
    void theSpiralDemoTrainsInFloat32AsInFloat64(@TempDir Path dir) throws Exception {
        String[] common = {"spiral", "-n", "30", "--batch-size", "20", "--window", "10", "--rtol", "1e-7", "--atol",
                "1e-9", "--optimizer", "rmsprop", "--lr", "1e-3", "--schedule", "constant", "--test-freq", "10",
                "--no-plots"};
        DemoCommand.DemoResult[] runs = new DemoCommand.DemoResult[2];
        List<List<String>> tests = new java.util.ArrayList<>();
        String[] dtypes = {"float64", "float32"};
        for (int i = 0; i < 2; i++) {
            DemoCommand cmd = new DemoCommand();
            String[] args = java.util.Arrays.copyOf(common, common.length + 4);
            args[common.length] = "--dtype";
            args[common.length + 1] = dtypes[i];
            args[common.length + 2] = "-o";
            args[common.length + 3] = dir.resolve(dtypes[i]).toString();
            new picocli.CommandLine(cmd).parseArgs(args);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            runs[i] = cmd.run(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), false);
            tests.add(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("Iter ")).toList());
        }
        double[] l64 = runs[0].losses(), l32 = runs[1].losses();
        double worst = 0;
        for (int i = 0; i < l64.length; i++) worst = Math.max(worst, Math.abs(l32[i] - l64[i]) / l64[i]);
        assertTrue(worst < 1e-3, "float32 vs float64 batch losses: worst relative gap " + worst);
        assertEquals(3, tests.get(1).size(), tests.toString());
        for (int k = 0; k < 3; k++) {
            double e64 = Double.parseDouble(tests.get(0).get(k).replaceAll(".*Total Loss ", ""));
            double e32 = Double.parseDouble(tests.get(1).get(k).replaceAll(".*Total Loss ", ""));
            assertEquals(e64, e32, 1e-3 * e64, "test " + (k + 1) + ": " + tests);
        }
        double n64 = runs[0].nfeForwardPerIteration() + runs[0].nfeBackwardPerIteration();
        double n32 = runs[1].nfeForwardPerIteration() + runs[1].nfeBackwardPerIteration();
        assertTrue(Math.abs(n32 / n64 - 1) < 0.4, "NFE per iteration float32 " + n32 + ", float64 " + n64);
        System.out.printf("spiral demo float32 vs float64, 30 iterations: worst loss gap %.2e, NFE/iteration %.1f vs "
                + "%.1f%n", worst, n32, n64);
        JsonNode model = ReferenceFiles.MAPPER.readTree(dir.resolve("float32").resolve("model.json").toFile());
        assertEquals("float32", model.get("dtype").asText());
        assertEquals("cube", model.get("input_transform").asText().toLowerCase(java.util.Locale.ROOT));
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
