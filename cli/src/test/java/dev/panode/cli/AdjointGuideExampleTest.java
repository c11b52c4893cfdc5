package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/ADJOINT.md, run through {@code panode grad} and checked against closed-form gradients (the
 * guide's "exact" rows): the damped rotation agrees to the tolerance with every method, the observations' contributions
 * add up, and on the dissipative problem backprop and the interpolating adjoint are right while the backsolve adjoint
 * is off by orders of magnitude.
 */
class AdjointGuideExampleTest {
    private static String example(String name) {
        return TestData.projectRoot().resolve("docs/examples").resolve(name).toString();
    }

    private static JsonNode grad(String problem, String... options) throws IOException {
        String[] args = new String[3 + options.length];
        args[0] = "grad";
        args[1] = "--problem";
        args[2] = problem;
        System.arraycopy(options, 0, args, 3, options.length);
        return ReferenceFiles.MAPPER.readTree(ReferenceFiles.run(args));
    }

    @Test
    void dampedRotationMatchesTheClosedFormWithEveryMethod() throws IOException {
        double decay = Math.exp(-0.1) + Math.exp(-0.2);
        // L = |z(0.5)|² + |z(1)|² = 4(e^-0.1 + e^-0.2); dL/dz0 = 2(e^-0.1 + e^-0.2) z0 with z0 = (2, 0); dL/dθ by
        // complex-step differentiation of the matrix exponential (an independent computation, see the guide).
        double[] exact = {4 * decay, 4 * decay, 0.0, 5.287746707384779, -2.635271534173373, -2.6352715341733686,
            4.88144898938295, 3.0800801976877175, -3.326327907387852};
        for (GradientChoice g : GradientChoice.values()) {
            JsonNode out = grad(example("linear-spiral.json"), "--loss", "multi", "--rtol", "1e-10", "--atol", "1e-12",
                    "--gradient", g.toString());
            double[] got = ReferenceFiles.numbers(out.get("loss"));
            double[] all = new double[exact.length];
            all[0] = got[0];
            System.arraycopy(ReferenceFiles.numbers(out.get("dL_dz0")), 0, all, 1, 2);
            System.arraycopy(ReferenceFiles.numbers(out.get("dL_dtheta")), 0, all, 3, 6);
            double diff = ReferenceFiles.relativeDifference(all, exact);
            assertTrue(diff < 1e-9, g + ": relative difference " + diff);
        }
    }

    private static String[] concat(String[] a, String last) {
        String[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }

    @Test
    void finalAndIntermediateObservationsAddUp() throws IOException {
        String[] tight = {"--rtol", "1e-10", "--atol", "1e-12", "--loss"};
        double multi = grad(example("linear-spiral.json"), concat(tight, "multi")).get("dL_dz0").get(0).get(0).asDouble();
        double last = grad(example("linear-spiral.json"), concat(tight, "final")).get("dL_dz0").get(0).get(0).asDouble();
        assertEquals(4 * Math.exp(-0.2), last, 1e-8);
        assertEquals(4 * Math.exp(-0.1), multi - last, 1e-8, "the jump's contribution at t = 0.5");
    }

    @Test
    void onTheDissipativeProblemOnlyTheBacksolveAdjointIsWrong() throws IOException {
        double exactW21 = 2 * Math.exp(-4) * (1 - Math.exp(-38)) / 19;
        for (String g : new String[] {"backprop", "interpolating"}) {
            double w21 = grad(example("dissipative.json"), "--gradient", g).get("dL_dtheta").get(0).get("W").get(1)
                    .get(0).asDouble();
            assertEquals(exactW21, w21, 1e-6 * exactW21, g);
        }
        // the seminorm's limit the guide shows: steps chosen by a alone under-resolve a_2·z_1 (about 2e-4 relative)
        double semi = grad(example("dissipative.json"), "--gradient", "interpolating-seminorm").get("dL_dtheta").get(0)
                .get("W").get(1).get(0).asDouble();
        assertEquals(exactW21, semi, 1e-3 * exactW21, "interpolating-seminorm");
        for (String g : new String[] {"adjoint", "adjoint-seminorm"}) {
            double w21 = grad(example("dissipative.json"), "--gradient", g).get("dL_dtheta").get(0).get("W").get(1)
                    .get(0).asDouble();
            assertTrue(Math.abs(w21) > 1e3 * exactW21, g + " gave " + w21 + ", the guide shows it far off");
        }
    }
}
