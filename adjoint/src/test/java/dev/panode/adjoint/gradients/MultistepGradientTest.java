package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.AdamsBashforth;
import dev.panode.solvers.Leapfrog;
import dev.panode.solvers.LinearMultistep;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Multistep backprop reached through {@link Gradients}, like every other gradient method: for a field whose
 * parameters every step shares, its dL/dθ and dL/dy0 are the gradient of the discrete loss (central differences).
 */
class MultistepGradientTest {
    private static final SolveOptions STEPS = SolveOptions.builder().steps(40).build();
    private static final double[] TIMES = {0, 1};

    private static double discreteLoss(Mlp mlp, double[] y0, LinearMultistep m) {
        double[] z = Solver.solve(mlp, y0, 2, 0, 1, m, STEPS).lastState();
        double s = 0;
        for (double v : z) s += v * v;
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ab2", "ab4", "leapfrog"})
    void gradientsAreThoseOfTheDiscreteLoss(String name) {
        LinearMultistep m = name.equals("leapfrog") ? Leapfrog.of() : AdamsBashforth.of(name.charAt(2) - '0');
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 12), Initialisation.PYTORCH_DEFAULT, 5);
        double[] y0 = {0.4, -0.2, 1.1, 0.3};
        GradientResult g = Gradients.of(OdeProblem.of(mlp, y0, TIMES), Loss.sumOfSquaresAtEnd()).method(m)
                .options(STEPS).gradientMethod(new MultistepBackprop(m, MultistepBackprop.Mode.EXACT)).compute();
        assertEquals(discreteLoss(mlp, y0, m), g.loss(), 1e-14 * Math.abs(g.loss()));

        SplittableRandom rng = new SplittableRandom(11);
        double[] theta = mlp.parameters();
        double[] dir = new double[theta.length];
        for (int i = 0; i < dir.length; i++) dir[i] = rng.nextBoolean() ? 1 : -1;
        double eps = 1e-6;
        double[] saved = theta.clone();
        for (int i = 0; i < theta.length; i++) theta[i] = saved[i] + eps * dir[i];
        double up = discreteLoss(mlp, y0, m);
        for (int i = 0; i < theta.length; i++) theta[i] = saved[i] - eps * dir[i];
        double down = discreteLoss(mlp, y0, m);
        System.arraycopy(saved, 0, theta, 0, theta.length);
        double fd = (up - down) / (2 * eps);
        double ad = 0;
        for (int i = 0; i < dir.length; i++) ad += g.dLdTheta()[i] * dir[i];
        assertEquals(fd, ad, 1e-6 * Math.max(1, Math.abs(fd)), name + " dL/dθ along a Rademacher direction");

        double[] yUp = y0.clone(), yDown = y0.clone();
        yUp[1] += eps;
        yDown[1] -= eps;
        double fdY = (discreteLoss(mlp, yUp, m) - discreteLoss(mlp, yDown, m)) / (2 * eps);
        assertEquals(fdY, g.dLdy0()[1], 1e-6 * Math.max(1, Math.abs(fdY)), name + " dL/dy0[1]");
    }

    @Test
    void contradictionsAreRefused() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 4), Initialisation.PYTORCH_DEFAULT, 1);
        MultistepBackprop ab3 = new MultistepBackprop(AdamsBashforth.of(3), MultistepBackprop.Mode.EXACT);
        IllegalArgumentException wrongMethod = assertThrows(IllegalArgumentException.class, () ->
                Gradients.of(OdeProblem.of(mlp, new double[] {1, 0}, TIMES), Loss.sumOfSquaresAtEnd())
                        .method(RungeKutta.rk4()).options(STEPS).gradientMethod(ab3).compute());
        assertTrue(wrongMethod.getMessage().contains("ab3") && wrongMethod.getMessage().contains("rk4"),
                wrongMethod.getMessage());
        IllegalArgumentException observations = assertThrows(IllegalArgumentException.class, () ->
                Gradients.of(OdeProblem.of(mlp, new double[] {1, 0}, 0, 0.5, 1), Loss.sumOfSquaresAtEnd())
                        .method(ab3.method()).options(STEPS).gradientMethod(ab3).compute());
        assertTrue(observations.getMessage().contains("[t0, t1]"), observations.getMessage());
    }
}
