package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.api.Test;

/** The problem-centred gradient entry point gives what the positional one gives, and refuses contradictions. */
class GradientRequestTest {
    private static final Mlp MLP = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16), Initialisation.PYTORCH_DEFAULT, 7);
    private static final double[] Y0 = {0.5, -0.3, 1.0, 0.2};
    private static final double[] T = {0, 0.4, 1};

    @Test
    void defaultsAreBackpropThroughDopri5AtTorchdiffeqTolerances() {
        GradientResult viaRequest = Gradients.of(OdeProblem.of(MLP, Y0, T), Loss.sumOfSquaresAtEnd()).compute();
        GradientResult positional = Gradients.compute(MLP, Y0, 2, T, Loss.sumOfSquaresAtEnd(), RungeKutta.dopri5(),
                SolveOptions.defaults(), Backprop.storeAll());
        assertEquals(positional.loss(), viaRequest.loss());
        assertArrayEquals(positional.dLdy0(), viaRequest.dLdy0());
        assertArrayEquals(positional.dLdTheta(), viaRequest.dLdTheta());
    }

    @Test
    void namedChoicesReachTheGradientMethod() {
        SolveOptions opts = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();
        GradientMethod adjoint = BacksolveAdjoint.of(AdjointNorm.SEMINORM);
        GradientResult viaRequest = Gradients.of(OdeProblem.of(MLP, Y0, T), Loss.sumOfSquaresAfterStart())
                .method(RungeKutta.tsit5()).options(opts).gradientMethod(adjoint).withTimeGradients().compute();
        GradientResult positional = Gradients.compute(MLP, Y0, 2, T, Loss.sumOfSquaresAfterStart(),
                RungeKutta.tsit5(), opts, adjoint, true);
        assertArrayEquals(positional.dLdTheta(), viaRequest.dLdTheta());
        assertArrayEquals(positional.dLdTimes(), viaRequest.dLdTimes());
        assertEquals(positional.stats(), viaRequest.stats());
    }

    @Test
    void optionsThatTheGradientWouldHaveToOverrideAreRefused() {
        GradientRequest r = Gradients.of(OdeProblem.of(MLP, Y0, T), Loss.sumOfSquaresAtEnd());
        IllegalArgumentException save = assertThrows(IllegalArgumentException.class,
                () -> r.options(SolveOptions.builder().saveAt(SaveAt.steps()).build()));
        assertTrue(save.getMessage().contains("options.saveAt"), save.getMessage());
        IllegalArgumentException quiet = assertThrows(IllegalArgumentException.class,
                () -> r.options(SolveOptions.builder().throwOnFailure(false).build()));
        assertTrue(quiet.getMessage().contains("throwOnFailure"), quiet.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gradients.of(null, Loss.sumOfSquaresAtEnd()));
        assertThrows(IllegalArgumentException.class, () -> r.gradientMethod(null));
    }
}
