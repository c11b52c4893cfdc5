package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.LinearField;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every gradient method against the reference files' gradients (exact, continuous and discrete). */
class GradientReferenceTest {

    record Case(DifferentiableField field, double[] z0, int rows, double[] t, JsonNode gradients, String thetaKey) {
        Loss loss(String name) {
            return name.equals("final") ? Loss.sumOfSquaresAtEnd() : Loss.sumOfSquaresAfterStart();
        }

        double[] dz0(String loss, String method) {
            return ReferenceData.flat(gradients.get(loss).get(method).get("dL_dz0"));
        }

        double[] dtheta(String loss, String method) {
            return flatTheta(gradients.get(loss).get(method).get(thetaKey));
        }

        double lossValue(String loss, String method) {
            return gradients.get(loss).get(method).get("loss").asDouble();
        }

        GradientResult compute(String loss, OdeMethod m, SolveOptions o, GradientMethod g) {
            return Gradients.compute(field, z0, rows, t, loss(loss), m, o, g);
        }
    }

    static Case linear() {
        JsonNode ref = ReferenceData.read("linear_3x3.json");
        double[] a = ReferenceData.flat(ref.get("model").get("A"));
        LinearField field = new LinearField(a, 3);
        double[] z0 = ReferenceData.flat(ref.get("z0"));
        return new Case(field, z0, z0.length / 3, ReferenceData.flat(ref.get("t")), ref.get("gradients"), "dL_dA");
    }

    static Case mlp() throws IOException {
        JsonNode ref = ReferenceData.read("mlp_d2_h16_b4.json");
        Mlp field = MlpJson.read(ReferenceData.file("mlp_d2_h16_b4.json"));
        double[] z0 = ReferenceData.flat(ref.get("z0"));
        return new Case(field, z0, z0.length / 2, ReferenceData.flat(ref.get("t")), ref.get("gradients"),
                "dL_dtheta");
    }

    static Case load(String name) throws IOException {
        return name.equals("linear") ? linear() : mlp();
    }

    /** dL/dA as rows, or the MLP's [{W, b}, ...] in the field's layout (per layer W row-major, then b). */
    static double[] flatTheta(JsonNode node) {
        if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            List<Double> out = new ArrayList<>();
            for (JsonNode layer : node) {
                for (double v : ReferenceData.flat(layer.get("W"))) out.add(v);
                for (double v : ReferenceData.flat(layer.get("b"))) out.add(v);
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return ReferenceData.flat(node);
    }

    static double maxAbs(double[] got, double[] want) {
        double num = 0;
        for (int i = 0; i < got.length; i++) num = Math.max(num, Math.abs(got[i] - want[i]));
        return num;
    }

    static final String[] LOSSES = {"final", "multi"};

    @ParameterizedTest
    @ValueSource(strings = {"linear", "mlp"})
    void backpropThroughRk4AndTheThreeEighthsRuleEqualsTheDiscreteReference(String name) throws IOException {
        Case c = load(name);
        SolveOptions o = SolveOptions.builder().steps(64).build();
        for (String loss : LOSSES) {
            for (var m : List.of(new Object[] {RungeKutta.rk4(), "rk4_classic_64_backprop"},
                    new Object[] {RungeKutta.rk4ThreeEighths(), "rk4_38rule_64_backprop"})) {
                String key = (String) m[1];
                for (Checkpointing cp : List.of(Checkpointing.all(), Checkpointing.binomial(5),
                        Checkpointing.budget(7 * 8L * c.z0.length))) {
                    GradientResult g = c.compute(loss, (OdeMethod) m[0], o, new Backprop(cp));
                    String what = name + " " + loss + " " + key + " " + cp;
                    assertTrue(ReferenceData.relative(g.dLdy0(), c.dz0(loss, key)) <= 1e-12,
                            what + " dL/dz0: " + ReferenceData.relative(g.dLdy0(), c.dz0(loss, key)));
                    assertTrue(ReferenceData.relative(g.dLdTheta(), c.dtheta(loss, key)) <= 1e-12,
                            what + " dL/dθ: " + ReferenceData.relative(g.dLdTheta(), c.dtheta(loss, key)));
                    assertEquals(c.lossValue(loss, key), g.loss(), 1e-12 * Math.abs(g.loss()), what + " loss");
                    assertEquals(64, g.stats().forwardSteps());
                    assertEquals(64, g.stats().backwardSteps());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "mlp"})
    void continuousAdjointsMatchTheContinuousGradient(String name) throws IOException {
        Case c = load(name);
        String ref = name.equals("linear") ? "exact" : "continuous_ref";
        SolveOptions o = SolveOptions.builder().rtol(1e-10).atol(1e-12).build();
        for (String loss : LOSSES) {
            for (AdjointNorm norm : AdjointNorm.values()) {
                for (GradientMethod gm : List.of(BacksolveAdjoint.of(norm), InterpolatingAdjoint.of(norm))) {
                    GradientResult g = c.compute(loss, RungeKutta.dopri5(), o, gm);
                    String what = name + " " + loss + " " + gm;
                    double scale = Math.max(1.0, maxAbs(c.dtheta(loss, ref), new double[c.dtheta(loss, ref).length]));
                    assertTrue(maxAbs(g.dLdy0(), c.dz0(loss, ref)) <= 1e-8 * scale,
                            what + " dL/dz0 off by " + maxAbs(g.dLdy0(), c.dz0(loss, ref)));
                    assertTrue(maxAbs(g.dLdTheta(), c.dtheta(loss, ref)) <= 1e-8 * scale,
                            what + " dL/dθ off by " + maxAbs(g.dLdTheta(), c.dtheta(loss, ref)));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "mlp"})
    void backpropThroughDopri5MatchesTorchdiffeqs(String name) throws IOException {
        Case c = load(name);
        String key = "dopri5_backprop_rtol1e-10_atol1e-12";
        for (boolean torch : new boolean[] {true, false}) {
            SolveOptions o = SolveOptions.builder().rtol(1e-10).atol(1e-12).torchdiffeqCompatible(torch).build();
            for (String loss : LOSSES) {
                GradientResult g = c.compute(loss, RungeKutta.dopri5(), o, Backprop.storeAll());
                double scale = Math.max(1.0, maxAbs(c.dtheta(loss, key), new double[c.dtheta(loss, key).length]));
                String what = name + " " + loss + " torchdiffeq-compatible=" + torch;
                assertTrue(maxAbs(g.dLdy0(), c.dz0(loss, key)) <= 1e-8 * scale,
                        what + " dL/dz0 off by " + maxAbs(g.dLdy0(), c.dz0(loss, key)));
                assertTrue(maxAbs(g.dLdTheta(), c.dtheta(loss, key)) <= 1e-8 * scale,
                        what + " dL/dθ off by " + maxAbs(g.dLdTheta(), c.dtheta(loss, key)));
            }
        }
    }
}
