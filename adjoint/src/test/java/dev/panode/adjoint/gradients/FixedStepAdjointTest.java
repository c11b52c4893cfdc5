package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The continuous adjoints with a constant-step forward solve: the backward solve takes the same fixed steps and no
 * tolerances (which a constant-step controller refuses), and the gradient agrees with backprop's to the
 * discretisation error of rk4 (O(h⁴)).
 */
class FixedStepAdjointTest {

    @ParameterizedTest
    @EnumSource(AdjointNorm.class)
    void continuousAdjointsRunWithFixedStepsAndAgreeWithBackprop(AdjointNorm norm) {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 3);
        OdeProblem<Mlp> problem = OdeProblem.of(mlp, new double[]{0.7, -0.4, 0.1, 0.9}, 0.0, 0.5, 1.0);
        GradientRequest request = Gradients.of(problem, Loss.sumOfSquaresAfterStart())
                .method(RungeKutta.rk4())
                .options(SolveOptions.builder().steps(64).build());
        GradientResult exact = request.compute();
        for (GradientMethod method : new GradientMethod[]{BacksolveAdjoint.of(norm), InterpolatingAdjoint.of(norm)}) {
            GradientResult g = request.gradientMethod(method).compute();
            double scale = 0;
            for (double v : exact.dLdTheta()) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < exact.dLdTheta().length; i++) {
                assertEquals(exact.dLdTheta()[i], g.dLdTheta()[i], 1e-6 * scale, method + ": dL/dθ[" + i + "]");
            }
        }
    }
}
