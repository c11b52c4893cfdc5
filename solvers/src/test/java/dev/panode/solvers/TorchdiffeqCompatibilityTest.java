package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** dopri5 in the torchdiffeq-compatible convention reproduces torchdiffeq 0.2.5's NFE on the reference problems. */
class TorchdiffeqCompatibilityTest {

    private static final SolveOptions TORCHDIFFEQ = SolveOptions.builder().rtol(1e-6).atol(1e-8)
            .controller(IController.torchdiffeq()).torchdiffeqCompatible(true).build();

    static Stream<Arguments> benchRuns() {
        List<Arguments> out = new ArrayList<>();
        for (String file : Reference.benchFiles()) {
            JsonNode root = Reference.read(file);
            for (JsonNode run : root.get("runs")) out.add(Arguments.of(file, run.get("t").get(1).asDouble()));
        }
        return out.stream();
    }

    static TestMlp mlpOf(JsonNode root) {
        JsonNode model = root.get("model");
        if (!model.get("layers").isNull()) return new TestMlp(model.get("layers"));
        JsonNode gen = model.get("generator");
        TestMlp mlp = new TestMlp(model.get("D").asInt(), model.get("H").asInt(), gen.get("weight_seed").asLong(),
                gen.get("scale").asDouble());
        JsonNode sums = model.get("param_checksums");
        double[] c = mlp.checksums();
        assertEquals(sums.get("count").asDouble(), c[0], "regenerated parameter count");
        assertEquals(sums.get("sum").asDouble(), c[1], 1e-9 * Math.max(1, Math.abs(c[1])), "regenerated parameter sum");
        assertEquals(sums.get("sum_sq").asDouble(), c[2], 1e-9 * c[2], "regenerated parameter sum of squares");
        return mlp;
    }

    static double[] z0Of(JsonNode root, TestMlp mlp) {
        JsonNode z0 = root.get("z0");
        if (z0 != null && z0.isArray()) return Reference.flat(z0);
        JsonNode model = root.get("model");
        JsonNode gen = model.get("generator");
        int rows = model.get("batch").asInt(), d = model.get("D").asInt();
        TestMlp.SplitMix64 rng = new TestMlp.SplitMix64(gen.get("z0_seed").asLong());
        double range = gen.get("z0_range").asDouble();
        double[] z = new double[rows * d];
        for (int i = 0; i < z.length; i++) z[i] = rng.uniform(-range, range);
        return z;
    }

    @ParameterizedTest(name = "{0} T={1}")
    @MethodSource("benchRuns")
    void dopri5MatchesTorchdiffeqNfeOnMlpBenchCases(String file, double tEnd) {
        JsonNode root = Reference.read(file);
        TestMlp mlp = mlpOf(root);
        double[] z0 = z0Of(root, mlp);
        int rows = z0.length / mlp.dim();
        JsonNode run = null;
        for (JsonNode r : root.get("runs")) if (r.get("t").get(1).asDouble() == tEnd) run = r;
        JsonNode td = run.get("torchdiffeq_dopri5_float64");

        Solution sol = Solver.solve(mlp, z0, rows, 0.0, tEnd, RungeKutta.dopri5(), TORCHDIFFEQ);

        assertEquals(td.get("nfe").asLong(), sol.stats().nfe(), "NFE of torchdiffeq's dopri5 on " + file);
        double[] zT = sol.lastState();
        JsonNode ref = run.get("zT_dop853_rtol1e-13_atol1e-14");
        double err;
        if (ref != null && ref.isArray()) {
            err = Problems.maxAbsDiff(zT, Reference.flat(ref));
        } else { // only the first rows and checksums are stored
            double[] first = Reference.flat(run.get("zT_first_rows"));
            err = Problems.maxAbsDiff(java.util.Arrays.copyOf(zT, first.length), first);
            double sum = 0;
            for (double v : zT) sum += v;
            assertEquals(run.get("zT_checksums").get("sum").asDouble(), sum, 1e-3, "checksum of z(T)");
        }
        double recorded = td.get("max_abs_err_vs_dop853").asDouble();
        assertTrue(err <= 1.5 * recorded + 1e-12, "max abs error " + err + " vs torchdiffeq's " + recorded);
    }

    @Test
    void lorenzAndVanDerPolNfeMatchTorchdiffeq() {
        JsonNode root = Reference.read("classic_odes.json");
        for (JsonNode p : root.get("problems")) {
            String name = p.get("name").asText();
            VectorField f = name.equals("lorenz") ? Problems.LORENZ : Problems.VAN_DER_POL;
            double[] y0 = Reference.flat(p.get("params").get("y0"));
            Solution sol = Solver.solve(f, y0, 1, 0.0, 20.0, RungeKutta.dopri5(), TORCHDIFFEQ);
            long expected = name.equals("lorenz") ? 5246 : 1316;
            assertEquals(expected, sol.stats().nfe(), name + " NFE");
        }
    }

    @Test
    void mlpWithSaveTimesMatchesTorchdiffeqAndTheDiscreteRk4References() {
        JsonNode root = Reference.read("mlp_d2_h16_b4.json");
        TestMlp mlp = new TestMlp(root.get("model").get("layers"));
        double[] z0 = Reference.flat(root.get("z0"));
        double[] f0 = new double[z0.length];
        mlp.evaluate(0, z0, f0, 4, mlp.newWorkspace(4));
        assertTrue(Problems.maxAbsDiff(f0, Reference.flat(root.get("f_at_t0_z0"))) < 1e-14, "f(z0)");
        double[] t = Reference.flat(root.get("t"));
        JsonNode sols = root.get("solutions");
        JsonNode td = sols.get("dopri5_rtol1e-10_atol1e-12");
        Solution sol = Solver.solve(mlp, z0, 4, t[0], t[t.length - 1], RungeKutta.dopri5(), SolveOptions.builder()
                .rtol(1e-10).atol(1e-12).torchdiffeqCompatible(true).saveAt(SaveAt.times(t)).build());
        assertEquals(td.get("nfe").asLong(), sol.stats().nfe(), "torchdiffeq's NFE with 5 save times");
        assertTrue(Problems.maxAbsDiff(sol.states(), Reference.flat(td.get("z"))) < 1e-11, "vs torchdiffeq's values");
        assertTrue(Problems.maxAbsDiff(sol.states(), Reference.flat(sols.get("dop853_rtol1e-13_atol1e-14").get("z"))) < 1e-9);
        for (String key : new String[]{"rk4_classic_64", "rk4_38rule_64"}) {
            RungeKutta m = key.startsWith("rk4_classic") ? RungeKutta.rk4() : RungeKutta.rk4ThreeEighths();
            Solution rk = Solver.solve(mlp, z0, 4, t[0], t[t.length - 1], m,
                    SolveOptions.builder().steps(64).saveAt(SaveAt.times(t)).build());
            assertTrue(Problems.maxAbsDiff(rk.states(), Reference.flat(sols.get(key).get("z"))) < 1e-14, key);
            assertEquals(sols.get(key).get("nfe").asLong(), rk.stats().nfe(), key + " NFE");
        }
    }
}
