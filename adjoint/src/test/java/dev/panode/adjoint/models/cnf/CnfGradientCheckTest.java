package dev.panode.adjoint.models.cnf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientCheck;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The NLL of a small flow on 8 Gaussians: every gradient method (backprop, the backsolve and interpolating adjoints,
 * each with the full norm and the seminorm) against finite differences of the loss and against each other, through
 * {@link GradientCheck}. The loss reads ℓ, so the divergence's second-order VJP is on every path.
 */
class CnfGradientCheckTest {

    @ParameterizedTest
    @EnumSource(TraceEstimator.class)
    void everyMethodAgreesWithFiniteDifferences(TraceEstimator est) {
        int rows = 6;
        CnfField field = CnfField.initialised(CnfField.concatSquashNetwork(2, new int[] {8, 8}, Activation.TANH),
                Initialisation.PYTORCH_DEFAULT, 5, est, rows);
        field.resampleNoise(new SplitMix64(12));
        double[] y0 = new double[rows * 3];
        ToyDensity.EIGHT_GAUSSIANS.sampleInto(rows, new SplitMix64(3), y0, 0, 3);
        SolveOptions options = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        GradientCheck.Report report = GradientCheck.run(GradientCheck.Problem.of(
                OdeProblem.batch(field, y0, rows, 0.0, 0.5), FlowLikelihood.standardNormal(), RungeKutta.dopri5(),
                options), methods(), 3, 1);
        System.out.println(est + "\n" + report.table());
        assertTrue(report.passed(), report.table());
    }

    static List<GradientMethod> methods() {
        return List.of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.FULL), BacksolveAdjoint.of(AdjointNorm.SEMINORM),
                InterpolatingAdjoint.of(AdjointNorm.FULL), InterpolatingAdjoint.of(AdjointNorm.SEMINORM));
    }
}
