package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code panode grad} on mlp_d2_h16_b4.json against the reference gradients. */
class GradCommandTest {
    private static final String FILE = "mlp_d2_h16_b4.json";

    private static JsonNode grad(String... options) throws Exception {
        String[] args = new String[options.length + 3];
        args[0] = "grad";
        args[1] = "--problem";
        args[2] = ReferenceFiles.file(FILE).toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return ReferenceFiles.MAPPER.readTree(ReferenceFiles.run(args));
    }

    private static void assertMatches(JsonNode got, JsonNode want, double tol) {
        double[] lossGot = {got.get("loss").doubleValue()}, lossWant = {want.get("loss").doubleValue()};
        double dLoss = ReferenceFiles.relativeDifference(lossGot, lossWant);
        double dz0 = ReferenceFiles.relativeDifference(ReferenceFiles.numbers(got.get("dL_dz0")),
                ReferenceFiles.numbers(want.get("dL_dz0")));
        double dTheta = ReferenceFiles.relativeDifference(ReferenceFiles.numbers(got.get("dL_dtheta")),
                ReferenceFiles.numbers(want.get("dL_dtheta")));
        assertTrue(dLoss <= tol, "loss relative difference " + dLoss);
        assertTrue(dz0 <= tol, "dL_dz0 relative difference " + dz0);
        assertTrue(dTheta <= tol, "dL_dtheta relative difference " + dTheta);
    }

    @ParameterizedTest(name = "backprop {0} 64 steps, loss {1}")
    @CsvSource({"rk4, final, rk4_classic_64_backprop", "rk4, multi, rk4_classic_64_backprop",
                "rk4-38, final, rk4_38rule_64_backprop", "rk4-38, multi, rk4_38rule_64_backprop"})
    void backpropThroughRk4MatchesTheExactDiscreteGradient(String method, String loss, String key) throws Exception {
        JsonNode got = grad("--method", method, "--steps", "64", "--gradient", "backprop", "--loss", loss);
        JsonNode want = ReferenceFiles.read(FILE).get("gradients").get(loss).get(key);
        assertMatches(got, want, 1e-12);
        assertEquals(256, got.get("stats").get("nfe_forward").asLong());
        assertEquals(3, got.get("dL_dtheta").size());
        assertEquals(16, got.get("dL_dtheta").get(0).get("W").size());
        assertEquals(2, got.get("dL_dtheta").get(0).get("W").get(0).size());
    }

    @ParameterizedTest(name = "{0} dopri5 rtol 1e-10, loss {1}")
    @CsvSource({"adjoint, final", "adjoint, multi", "adjoint-seminorm, final", "adjoint-seminorm, multi",
                "interpolating, final", "backprop, multi"})
    void continuousGradientsAtTightToleranceMatchTheContinuousReference(String gradient, String loss) throws Exception {
        JsonNode got = grad("--method", "dopri5", "--rtol", "1e-10", "--atol", "1e-12", "--gradient", gradient,
                "--loss", loss);
        JsonNode want = ReferenceFiles.read(FILE).get("gradients").get(loss).get("continuous_ref");
        assertMatches(got, want, 1e-8);
        assertTrue(got.get("stats").get("nfe_forward").asLong() > 0);
        if (!gradient.equals("backprop")) assertTrue(got.get("stats").get("nfe_backward").asLong() > 0);
    }

    @Test
    void rejectsAnUnknownLossOrMethod() {
        String path = ReferenceFiles.file(FILE).toString();
        assertThrows(AssertionError.class, () -> ReferenceFiles.run("grad", "--problem", path, "--loss", "l1"));
        assertThrows(AssertionError.class, () -> ReferenceFiles.run("grad", "--problem", path, "--method", "rk5"));
        assertThrows(AssertionError.class, () -> ReferenceFiles.run("grad", "--problem", path, "--gradient", "magic"));
    }
}
