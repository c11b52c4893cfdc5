package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.LinearField;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.AutoSwitching;
import dev.panode.solvers.Esdirk;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients through the implicit methods with the continuous adjoints: the augmented adjoint system is solved
 * backwards by the same implicit method (its Jacobian from VJPs, one block for the whole augmented state; the
 * interpolating adjoint reads y from the replayed steps' dense output), and the result matches backprop through
 * dopri5 on y' = A·y. Backprop through the implicit methods: ImplicitBackpropTest.
 */
class ImplicitBacksolveTest {
    private static final double[] A = {0.0, 1.0, -1.3, -0.15};
    private static final double[] Y0 = {1.0, 0.2, 0.8, -0.1};
    private static final double[] TIMES = {0, 0.7, 1.5};

    @Test
    void continuousAdjointsThroughImplicitMethodsMatchBackprop() {
        SolveOptions o = SolveOptions.builder().rtol(1e-10).atol(1e-12).build();
        GradientResult ref = Gradients.compute(new LinearField(A, 2), Y0, 2, TIMES, Loss.sumOfSquaresAfterStart(),
                RungeKutta.dopri5(), o, Backprop.storeAll());
        for (OdeMethod m : List.of(Esdirk.kvaerno5(), Rosenbrock.rodas5p())) {
            for (AdjointNorm norm : AdjointNorm.values()) {
                for (GradientMethod gm : List.of(BacksolveAdjoint.of(norm), InterpolatingAdjoint.of(norm))) {
                    GradientResult g = Gradients.compute(new LinearField(A, 2), Y0, 2, TIMES,
                            Loss.sumOfSquaresAfterStart(), m, o, gm);
                    double worst = 0;
                    for (int j = 0; j < 4; j++) {
                        worst = Math.max(worst, Math.abs(ref.dLdy0()[j] - g.dLdy0()[j]));
                        worst = Math.max(worst, Math.abs(ref.dLdTheta()[j] - g.dLdTheta()[j]));
                    }
                    String what = gm.getClass().getSimpleName() + " " + m.name() + " " + norm;
                    System.out.printf("[ImplicitBacksolveTest] %s: max |g − backprop| %.1e, %s%n", what, worst,
                            g.stats());
                    // the interpolating adjoint reads y(t) from the steps' dense output, and Kvaerno5's cubic Hermite
                    // is only third order; with the seminorm its backward steps follow a alone and under-resolve the
                    // integrand of a_θ (docs/ADJOINT.md)
                    double tol = gm instanceof BacksolveAdjoint || m instanceof Rosenbrock ? 1e-7
                            : norm == AdjointNorm.FULL ? 2e-6 : 1e-4;
                    assertTrue(worst < tol, what + ": " + worst);
                }
            }
        }
    }

    @Test
    void gradientsRefuseTheSwitchingMethodExceptTheBacksolveAdjoint() {
        SolveOptions o = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        for (GradientMethod gm : List.of(Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.FULL))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gradients.compute(
                    new LinearField(A, 2), Y0, 2, TIMES, Loss.sumOfSquaresAfterStart(), AutoSwitching.tsit5Rodas5p(),
                    o, gm), gm.toString());
            assertTrue(e.getMessage().contains("needs a RungeKutta, Esdirk or Rosenbrock forward method, got "
                    + "tsit5-rodas5p"), e.getMessage());
        }
    }
}
