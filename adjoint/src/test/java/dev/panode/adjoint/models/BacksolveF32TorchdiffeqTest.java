package dev.panode.adjoint.models;

import static dev.panode.adjoint.testing.ReferenceData.relative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.BacksolveF32;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.GradientResultF32;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 backsolve adjoint against torchdiffeq 0.2.5's float32 {@code odeint_adjoint} on the gradient bench
 * cases (torchdiffeq_float32_adjoint_nfe.json: dopri5, rtol 1e-4 / atol 1e-6, T = 1, L = Σ z(T)²): the same forward
 * and backward evaluation counts with the full norm (the largest of the per-tensor RMS norms of y, a and each of the
 * six parameter adjoints) and with the seminorm, a gradient within the bound {@code AdjointF32Test} derives against
 * the double backsolve adjoint, and torchdiffeq's loss and gradient sums to its float32 accuracy. The double adjoint
 * beside it takes torchdiffeq's float64 counts of the same file.
 */
class BacksolveF32TorchdiffeqTest {
    private static final double U = Math.ulp(1.0f) / 2;
    private static final String FILE = "torchdiffeq_float32_adjoint_nfe.json";

    static Stream<Arguments> runs() {
        JsonNode root = ReferenceData.read(FILE);
        assertEquals(1e-4, root.get("tol").get("rtol").asDouble());
        assertEquals(1e-6, root.get("tol").get("atol").asDouble());
        assertEquals(1.0, root.get("T").asDouble());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode run : root.get("runs")) {
            if (run.get("dtype").asText().equals("float32")) {
                out.add(Arguments.of(run.get("case").asText(), run.get("norm").asText()));
            }
        }
        return out.stream();
    }

    private static JsonNode run(String name, String dtype, String norm) {
        for (JsonNode r : ReferenceData.read(FILE).get("runs")) {
            if (r.get("case").asText().equals(name) && r.get("dtype").asText().equals(dtype)
                    && r.get("norm").asText().equals(norm)) return r;
        }
        throw new AssertionError("no " + dtype + " run of " + name + " with the " + norm + " norm in " + FILE);
    }

    private static double sum(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void theFloatBacksolveAdjointTakesTorchdiffeqsFloat32Evaluations(String name, String normName) {
        MlpF32SolveTest.Case c = MlpF32SolveTest.load("bench_" + name + ".json");
        JsonNode td = run(name, "float32", normName);
        AdjointNorm norm = normName.equals("full") ? AdjointNorm.FULL : AdjointNorm.SEMINORM;
        SolveOptions o = SolveOptions.builder().rtol(1e-4).atol(1e-6).torchdiffeqCompatible(true).build();
        double[] times = {0, 1};
        Loss loss = Loss.sumOfSquaresAtEnd();
        GradientResultF32 f = BacksolveF32.session(c.f32(), c.rows(), RungeKutta.dopri5(), o, norm)
                .compute(c.z0f(), times, loss);
        System.out.printf("BacksolveF32 %s %s: forward NFE %d, backward NFE %d (torchdiffeq float32 %d, %d)%n", name,
                norm, f.forwardNfe(), f.backwardNfe(), td.get("nfe_forward").asLong(), td.get("nfe_backward").asLong());
        assertEquals(td.get("nfe_forward").asLong(), f.forwardNfe(), name + " " + norm + " forward NFE");
        assertEquals(td.get("nfe_backward").asLong(), f.backwardNfe(), name + " " + norm + " backward NFE");

        // the gradient: as close to the flow's gradient as the double backsolve adjoint at the same tolerances, plus
        // float rounding (AdjointF32Test's bound); the flow's gradient from the double adjoint at rtol 1e-10
        double[] z0 = c.z0Rounded();
        GradientResult exact = Gradients.compute(c.rounded(), z0, c.rows(), times, loss, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-10).atol(1e-12).build(), BacksolveAdjoint.of(AdjointNorm.SEMINORM));
        GradientResult d = Gradients.compute(c.rounded(), z0, c.rows(), times, loss, RungeKutta.dopri5(), o,
                BacksolveAdjoint.of(norm));
        // the double adjoint takes torchdiffeq's float64 counts (fewer backward steps with the full norm than float32)
        assertEquals(run(name, "float64", normName).get("nfe_backward").asLong(), d.stats().backwardNfe(),
                name + " " + norm + " double backward NFE against torchdiffeq float64");
        double e64y = relative(d.dLdy0(), exact.dLdy0()), e64t = relative(d.dLdTheta(), exact.dLdTheta());
        double e32y = relative(f.dLdy0(), exact.dLdy0()), e32t = relative(f.dLdTheta(), exact.dLdTheta());
        int k = c.f32().architecture().maxWidth();
        double floor = (f.backwardNfe() + 1) * 12 * (k + 4) * U;
        System.out.printf("  dL/dy0 %.2e (f64 %.2e), dL/dθ %.2e (f64 %.2e), floor %.2e; f64 backward NFE %d%n", e32y,
                e64y, e32t, e64t, floor, d.stats().backwardNfe());
        assertTrue(e32y <= 10 * e64y + floor, name + " " + norm + " dL/dy0: " + e32y);
        assertTrue(e32t <= 10 * e64t + floor, name + " " + norm + " dL/dθ: " + e32t);

        // torchdiffeq's loss and gradient sums, to float32's accuracy at these tolerances
        double scaleY = 0, scaleT = 0;
        for (double v : exact.dLdy0()) scaleY += Math.abs(v);
        for (double v : exact.dLdTheta()) scaleT += Math.abs(v);
        double tolY = Math.max(10 * e64y, 1e-4), tolT = Math.max(10 * e64t, 1e-4);
        assertEquals(td.get("loss").asDouble(), f.loss(), 1e-4 * Math.abs(f.loss()), name + " loss");
        assertEquals(td.get("dL_dz0_sum").asDouble(), sum(f.dLdy0(), 0, f.dLdy0().length), tolY * scaleY,
                name + " Σ dL/dy0");
        int[] sizes = c.f32().parameterTensorSizes();
        JsonNode sums = td.get("dL_dtheta_sums");
        assertEquals(sizes.length, sums.size(), name + " parameter tensors");
        for (int t = 0, off = 0; t < sizes.length; off += sizes[t++]) {
            assertEquals(sums.get(t).asDouble(), sum(f.dLdTheta(), off, off + sizes[t]), tolT * scaleT,
                    name + " Σ dL/dθ of tensor " + t);
        }
    }
}
