package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interpolating adjoint starts its first backward interval from the forward controller's last proposal (same
 * method, same tolerances) instead of the initial-step heuristic: fewer backward evaluations, and the gradient as close
 * to the continuous one (backprop at rtol 1e-12) as the heuristic's start gives, for a final and a multi-observation
 * loss, on one row and on a batch. Other tolerances keep the heuristic.
 */
class ForwardStepStartTest {
    static final int D = 2;

    static double relativeError(double[] a, double[] reference) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - reference[i]));
            den = Math.max(den, Math.abs(reference[i]));
        }
        return num / den;
    }

    static GradientResult gradient(Mlp mlp, int rows, double[] times, SolveOptions o, GradientMethod g) {
        double[] y0 = new double[rows * D];
        for (int j = 0; j < y0.length; j++) y0[j] = 0.8 * Math.sin(1.3 * j + 0.4);
        double[][] targets = new double[times.length][];
        for (int i = 1; i < times.length; i++) {
            targets[i] = new double[rows * D];
            for (int j = 0; j < targets[i].length; j++) targets[i][j] = Math.cos(i + 0.7 * j);
        }
        return Gradients.of(OdeProblem.of(mlp, y0, times), Loss.meanSquaredError(targets)).method(RungeKutta.dopri5())
                .options(o).gradientMethod(g).compute();
    }

    @Test
    void theFirstIntervalStartsWhereTheForwardSolveLeftOff() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(D, 32), Initialisation.PYTORCH_DEFAULT, 3);
        double rtol = 1e-6, atol = 1e-8;
        SolveOptions o = SolveOptions.builder().rtol(rtol).atol(atol).torchdiffeqCompatible(true).build();
        SolveOptions tight = SolveOptions.builder().rtol(1e-12).atol(1e-14).build();
        for (double[] times : List.of(new double[] {0.0, 1.0}, new double[] {0.0, 0.3, 0.55, 1.0})) {
            for (int rows : new int[] {1, 16}) {
                String what = "rows " + rows + ", observations " + times.length;
                GradientResult carried = gradient(mlp, rows, times, o, InterpolatingAdjoint.of(AdjointNorm.SEMINORM));
                // an adjoint tolerance of its own: the heuristic picks the first step, as before
                GradientResult heuristic = gradient(mlp, rows, times, o,
                        InterpolatingAdjoint.of(AdjointNorm.SEMINORM).withTolerances(rtol * (1 + 1e-9), atol));
                GradientResult reference = gradient(mlp, rows, times, tight, Backprop.storeAll());
                assertEquals(carried.stats().forwardNfe(), heuristic.stats().forwardNfe(), what);
                assertTrue(carried.stats().backwardNfe() < heuristic.stats().backwardNfe(),
                        what + ": " + carried.stats().backwardNfe() + " against " + heuristic.stats().backwardNfe());
                double eTheta = relativeError(carried.dLdTheta(), reference.dLdTheta());
                double eY0 = relativeError(carried.dLdy0(), reference.dLdy0());
                double hTheta = relativeError(heuristic.dLdTheta(), reference.dLdTheta());
                double hY0 = relativeError(heuristic.dLdy0(), reference.dLdy0());
                assertTrue(eTheta < 2 * hTheta, what + ": dL/dθ " + eTheta + " against " + hTheta);
                assertTrue(eY0 < 2 * hY0, what + ": dL/dy0 " + eY0 + " against " + hY0);
            }
        }
    }
}
