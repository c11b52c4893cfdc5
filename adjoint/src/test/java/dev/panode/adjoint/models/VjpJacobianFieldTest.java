package dev.panode.adjoint.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.Esdirk;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jacobians of an MLP assembled from VJPs: against central differences of the field, per sample of a batch; and
 * neural-ODE solves with the implicit methods using them agree with the same solves on differenced Jacobians.
 */
class VjpJacobianFieldTest {
    private static final Mlp MLP = Mlp.initialised(MlpArchitecture.mlp3Tanh(3, 16), Initialisation.PYTORCH_DEFAULT, 7);

    @Test
    void jacobianMatchesCentralDifferencesPerRow() {
        VjpJacobianField f = VjpJacobianField.of(MLP);
        int rows = 4, d = 3;
        double[] y = new double[rows * d];
        for (int i = 0; i < y.length; i++) y[i] = Math.sin(1.3 * i) * 0.8;
        FieldWorkspace ws = f.newWorkspace(rows);
        double[] jac = new double[rows * d * d];
        f.jacobian(0.3, y, jac, rows, ws);
        double[] fp = new double[rows * d], fm = new double[rows * d];
        double eps = 1e-6;
        for (int j = 0; j < d; j++) {
            double[] yp = y.clone(), ym = y.clone();
            for (int r = 0; r < rows; r++) {
                yp[r * d + j] += eps;
                ym[r * d + j] -= eps;
            }
            f.evaluate(0.3, yp, fp, rows, ws);
            f.evaluate(0.3, ym, fm, rows, ws);
            for (int r = 0; r < rows; r++)
                for (int i = 0; i < d; i++)
                    assertEquals((fp[r * d + i] - fm[r * d + i]) / (2 * eps), jac[r * d * d + i * d + j], 1e-8,
                            "row " + r + " ∂f_" + i + "/∂y_" + j);
        }
    }

    @Test
    void implicitSolvesWithVjpJacobiansAgreeWithDifferencedOnes() {
        double[] y0 = {0.5, -0.2, 0.1, -0.4, 0.3, 0.9};
        SolveOptions o = SolveOptions.builder().rtol(1e-8).atol(1e-10).saveAt(SaveAt.times(0.5, 2.0)).build();
        for (OdeMethod m : List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p())) {
            Solution vjp = Solver.solve(VjpJacobianField.of(MLP), y0, 2, 0, 2, m, o);
            Solution fd = Solver.solve(MLP, y0, 2, 0, 2, m, o);
            double worst = 0;
            for (int i = 0; i < y0.length; i++) worst = Math.max(worst, Math.abs(vjp.lastState()[i] - fd.lastState()[i]));
            System.out.printf("[VjpJacobianFieldTest] %s: VJP Jacobians %s; differenced %s; max difference %.1e%n",
                    m.name(), vjp.stats(), fd.stats(), worst);
            assertTrue(worst < 1e-6, m.name() + ": " + worst);
            assertTrue(vjp.stats().jacobians() > 0);
        }
    }
}
