package dev.panode.adjoint.models;

import static dev.panode.adjoint.testing.FieldChecking.assertRelativeClose;
import static dev.panode.adjoint.testing.FieldChecking.directional;
import static dev.panode.adjoint.testing.FieldChecking.dot;
import static dev.panode.adjoint.testing.FieldChecking.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.solvers.FieldWorkspace;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LinearField} and {@link SpiralField}: values written out by hand, VJPs against explicit and FD Jacobians. */
class AnalyticFieldsTest {

    @Test
    void linearFieldIsAy() {
        JsonNode ref = ReferenceData.read("linear_3x3.json");
        double[] a = ReferenceData.flat(ref.get("model").get("A"));
        double[] z0 = ReferenceData.flat(ref.get("z0"));
        LinearField f = new LinearField(a, 3);
        double[] out = new double[z0.length];
        f.evaluate(0, z0, out, 2, f.newWorkspace(2));
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < 3; i++) {
                double s = 0;
                for (int j = 0; j < 3; j++) s += a[i * 3 + j] * z0[r * 3 + j];
                assertEquals(s, out[r * 3 + i], 1e-15);
            }
        }
    }

    @Test
    void linearFieldVjpIsExplicit() {
        double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        LinearField f = new LinearField(a, 3);
        double[] y = {0.5, -1, 2, 3, 0.25, -0.5};
        double[] v = {1, -2, 0.5, 0.1, 0.2, 0.3};
        double[] yBar = new double[6];
        double[] aBar = new double[9];
        double[] fOut = new double[6];
        double tBar = f.vjp(0.3, y, v, yBar, aBar, fOut, 2, true, f.newWorkspace(2));
        assertEquals(0.0, tBar);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int i = 0; i < 3; i++) s += v[r * 3 + i] * a[i * 3 + j];
                assertEquals(s, yBar[r * 3 + j], 1e-15, "(vᵀA)_j");
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(v[i] * y[j] + v[3 + i] * y[3 + j], aBar[i * 3 + j], 1e-15, "Ā_ij = Σ_b v_bi y_bj");
            }
        }
        double[] f2 = new double[6];
        f.evaluate(0.3, y, f2, 2, f.newWorkspace(2));
        assertArrayEquals(f2, fOut);
    }

    @Test
    void spiralFieldIsCubeTimesA() {
        SpiralField f = SpiralField.torchdiffeqDemo();
        double[] y = {2.0, 0.0, 0.5, -1.0};
        double[] out = new double[4];
        FieldWorkspace ws = f.newWorkspace(2);
        f.evaluate(0, y, out, 2, ws);
        // torchdiffeq ode_demo: torch.mm(y**3, true_A), true_A = [[-0.1, 2.0], [-2.0, -0.1]]
        assertArrayEquals(new double[] {8 * -0.1, 8 * 2.0, 0.125 * -0.1 + -1 * -2.0, 0.125 * 2.0 + -1 * -0.1}, out,
                1e-15);
    }

    @Test
    void analyticVjpsMatchCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(17);
        for (DifferentiableField f : new DifferentiableField[] {
                new LinearField(random(rng, 16, 1.0), 4), new SpiralField(random(rng, 16, 1.0), 4)}) {
            int rows = 3;
            double[] y = random(rng, rows * 4, 1.2);
            double[] v = random(rng, rows * 4, 1.0);
            double[] yBar = new double[rows * 4];
            double[] thetaBar = new double[16];
            f.vjp(0, y, v, yBar, thetaBar, null, rows, true, f.newWorkspace(rows));
            for (int k = 0; k < 3; k++) {
                double[] dy = random(rng, rows * 4, 1.0);
                double[] dTheta = random(rng, 16, 1.0);
                assertRelativeClose(directional(f, 0, y, v, rows, 0, dy, null, 1e-4), dot(yBar, dy, dy.length), 1e-7,
                        f.getClass().getSimpleName() + " ∂/∂y");
                assertRelativeClose(directional(f, 0, y, v, rows, 0, null, dTheta, 1e-4), dot(thetaBar, dTheta, 16),
                        1e-7, f.getClass().getSimpleName() + " ∂/∂θ");
            }
        }
    }

    @Test
    void rejectsWrongArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinearField(new double[5], 2));
        assertTrue(e.getMessage().contains("a.length"), e.getMessage());
        SpiralField s = SpiralField.torchdiffeqDemo();
        e = assertThrows(IllegalArgumentException.class,
                () -> s.evaluate(0, new double[4], new double[4], 2, FieldWorkspace.NONE));
        assertTrue(e.getMessage().contains("ws"), e.getMessage());
        LinearField l = LinearField.of(new double[][] {{1, 0}, {0, 1}});
        e = assertThrows(IllegalArgumentException.class,
                () -> l.vjp(0, new double[4], new double[4], new double[3], null, null, 2, false, FieldWorkspace.NONE));
        assertTrue(e.getMessage().contains("yBar.length"), e.getMessage());
    }
}
