package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.io.SequentialArchitecture.ParameterTensor;
import dev.panode.solvers.FieldWorkspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * panode's forward pass and VJP on models imported from PyTorch state_dicts equal torch's own: to 1e-12 against
 * torch in float64 (from the same stored weights, exactly upcast), and within float32 rounding against torch in
 * float32 (the f32, bf16 and f16 files: panode computes in float64, torch in float32).
 */
class TorchParityTest {
    static final java.util.List<String> NAMES = TorchFixtures.NAMES;
    /** float32's machine epsilon, 2^-23. */
    private static final double EPS32 = Math.ulp(1.0f);

    @ParameterizedTest
    @FieldSource("NAMES")
    void forwardAndVjpEqualTorchInFloat64(String name) throws Exception {
        compare(name, "f64", (scale, widthSum) -> 1e-12 * scale);
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void forwardAndVjpEqualTorchInFloat32WithinItsRounding(String name) throws Exception {
        if (name.endsWith("f64")) return; // a float64 model has no float32 run
        // torch rounds every product and sum to float32 (unit roundoff ε/2). A layer's dot products of length n are
        // accurate to n·ε/2 of Σ|w·x| (Higham, Accuracy and Stability, §3.1); summed over the layers (widthSum
        // bounds Σ n), relative to the quantity's largest magnitude: a bound worst-case in n; the errors seen are
        // 7 to 12 times smaller (printed by this test).
        compare(name, "f32", (scale, widthSum) -> widthSum * EPS32 / 2 * scale);
    }

    @org.junit.jupiter.api.Test
    void theComparisonSeesAWeightOffByOnePartInABillion() throws Exception {
        JsonNode expected = TorchFixtures.expected("tanh_f64");
        Mlp mlp = MlpSafetensors.load(TorchFixtures.weights("tanh_f64"), ArchitectureJson.fromJson(expected.get("arch")));
        double[] theta = mlp.parameters().clone();
        theta[7] *= 1 + 1e-9;
        Mlp off = mlp.withParameters(theta);
        JsonNode c = expected.get("cases").get(2);
        double[] y = ReferenceData.flat(c.get("y"));
        double[] torchF = ReferenceData.flat(c.get("f64").get("f"));
        int rows = y.length / mlp.dim();
        double[] f = new double[y.length];
        off.evaluate(0.0, y, f, rows, off.newWorkspace(rows));
        double worst = 0;
        for (int i = 0; i < f.length; i++) worst = Math.max(worst, Math.abs(f[i] - torchF[i]));
        assertTrue(worst > 1e-12, "a weight changed by 1e-9 must show beyond 1e-12, showed " + worst);
    }

    private interface Tolerance {
        double of(double scale, int widthSum);
    }

    private static void compare(String name, String precision, Tolerance tolerance) throws Exception {
        JsonNode expected = TorchFixtures.expected(name);
        SequentialArchitecture arch = ArchitectureJson.fromJson(expected.get("arch"));
        Mlp mlp = MlpSafetensors.load(TorchFixtures.weights(name), arch);
        int dim = mlp.dim();
        int widthSum = 0;
        for (int l = 0; l < mlp.architecture().layerCount(); l++) widthSum += mlp.architecture().inputs(l);
        double worst = 0;
        for (JsonNode c : expected.get("cases")) {
            JsonNode torch = c.get(precision);
            double[] y = ReferenceData.flat(c.get("y"));
            double[] v = ReferenceData.flat(c.get("v"));
            int rows = y.length / dim;
            FieldWorkspace ws = mlp.newWorkspace(rows);
            double[] f = new double[rows * dim];
            mlp.evaluate(0.0, y, f, rows, ws);
            worst = Math.max(worst, check(name + " f", ReferenceData.flat(torch.get("f")), f, tolerance, widthSum));

            double[] yBar = new double[rows * dim];
            double[] thetaBar = new double[mlp.parameterCount()];
            double[] fOut = new double[rows * dim];
            mlp.vjp(0.0, y, v, yBar, thetaBar, fOut, rows, false, ws);
            check(name + " f from vjp", ReferenceData.flat(torch.get("f")), fOut, tolerance, widthSum);
            worst = Math.max(worst, check(name + " yBar", ReferenceData.flat(torch.get("y_bar")), yBar, tolerance, widthSum));
            JsonNode grads = torch.get("grads");
            int seen = 0;
            for (ParameterTensor p : arch.parameterTensors()) {
                double[] g = java.util.Arrays.copyOfRange(thetaBar, p.offset(), p.offset() + p.size());
                JsonNode torchGrad = grads.get(p.name());
                assertTrue(torchGrad != null, name + ": torch has no gradient " + p.name());
                worst = Math.max(worst, check(name + " grad " + p.name(), ReferenceData.flat(torchGrad), g, tolerance,
                        widthSum));
                seen++;
            }
            assertEquals(grads.size(), seen, name + ": every torch gradient compared");
        }
        System.out.printf("%s %s: worst |panode − torch| / (tolerance) = %.3g%n", name, precision, worst);
    }

    /** Asserts every entry within tolerance; returns the largest error as a fraction of the tolerance. */
    private static double check(String what, double[] torch, double[] panode, Tolerance tolerance, int widthSum) {
        assertEquals(torch.length, panode.length, what + " length");
        double scale = 1.0;
        for (double x : torch) scale = Math.max(scale, Math.abs(x));
        double tol = tolerance.of(scale, widthSum);
        double worst = 0;
        for (int i = 0; i < torch.length; i++) {
            double err = Math.abs(panode[i] - torch[i]);
            int at = i;
            assertTrue(err <= tol, () -> what + "[" + at + "]: panode " + panode[at] + ", torch " + torch[at]
                    + ", |diff| " + err + " > " + tol);
            worst = Math.max(worst, err / tol);
        }
        return worst;
    }
}
