package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import org.junit.jupiter.api.Test;

/**
 * The augmented adjoint system's Jacobian assembled from VJPs ({@link AdjointDynamics#jacobian}) against central
 * differences of its evaluation, for the backsolve layout (y, a, a_θ, a_t) of a nonlinear field over a batch.
 */
class AdjointDynamicsJacobianTest {
    @Test
    void jacobianFromVjpsMatchesDifferences() {
        for (DifferentiableField field : new DifferentiableField[] {StiffFields.vanDerPol(5), StiffFields.robertson()}) {
            int rows = 2, n = rows * field.dim();
            AugmentedLayout layout = AugmentedLayout.of(true, n, field);
            AdjointDynamics dyn = new AdjointDynamics(field, layout, null, rows, false);
            int len = layout.length();
            double[] state = new double[len];
            for (int j = 0; j < len; j++) state[j] = 0.3 + 0.1 * Math.sin(1.7 * j);
            if (field.dim() == 3) { // Robertson-sized concentrations
                for (int j = 0; j < n; j += 3) {
                    state[j] = 0.9;
                    state[j + 1] = 2e-5;
                    state[j + 2] = 0.1;
                }
            }
            double[] jac = new double[len * len];
            dyn.jacobian(0.4, state, jac, 1, null);
            double[] plus = new double[len], minus = new double[len];
            double worst = 0, scale = 0;
            for (double v : jac) scale = Math.max(scale, Math.abs(v));
            for (int c = 0; c < len; c++) {
                double[] s = state.clone();
                double e = 1e-6 * Math.max(1e-3, Math.abs(s[c]));
                s[c] = state[c] + e;
                dyn.evaluate(0.4, s, plus, 1, null);
                s[c] = state[c] - e;
                dyn.evaluate(0.4, s, minus, 1, null);
                for (int r = 0; r < len; r++) {
                    double fd = (plus[r] - minus[r]) / (2 * e);
                    worst = Math.max(worst, Math.abs(fd - jac[r * len + c]));
                }
            }
            System.out.printf("[AdjointDynamicsJacobianTest] %d-dim field: max |J − differences| = %.2e (max |J| %.2e)%n",
                    field.dim(), worst, scale);
            assertTrue(worst <= 1e-5 * scale, "max deviation " + worst + " against max |J| " + scale);
        }
    }
}
