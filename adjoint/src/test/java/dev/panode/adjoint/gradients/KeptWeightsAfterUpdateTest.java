package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.DenseKernel;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dense layers keep their packed Wᵀ between calls, in a session's workspaces, while the weights' bits stay the same
 * (the broadcast form, and since docs/BENCHMARKS.md §92 the GEMM form of layers wider than one k block). A training
 * loop changes the parameters in place between gradients: a session's gradient after every such update must be the
 * gradient of a fresh model with a fresh session over the new parameters, bit for bit — for backprop, which solves
 * forward with the parameters held, and for the backsolve and interpolating adjoints, whose backward evaluations hold
 * them too. The MLP's hidden layers are GEMM-form layers with an output of whole and partial vectors.
 */
class KeptWeightsAfterUpdateTest {
    private static final int D = 11; // an output layer of whole vectors and a partial one (4 and 8 lanes)
    private static final int HIDDEN = 136;
    private static final int ROWS = 5;
    private static final SolveOptions DOPRI = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();

    @Test
    void aGradientAfterAnUpdateIsAFreshModelsGradient() {
        MlpArchitecture arch = MlpArchitecture.of(D, HIDDEN, 2, Activation.TANH);
        assertEquals(DenseKernel.Form.GEMM, DenseKernel.of(HIDDEN, HIDDEN, ActivationKernel.TANH).form());
        double[] y0 = new double[ROWS * D];
        for (int j = 0; j < y0.length; j++) y0[j] = 0.8 * Math.cos(0.7 * j);
        for (double[] times : List.of(new double[] {0.0, 0.5}, new double[] {0.0, 0.2, 0.35, 0.5})) {
            Loss loss = loss(times);
            for (GradientMethod m : List.of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.SEMINORM),
                    InterpolatingAdjoint.of(AdjointNorm.SEMINORM))) {
                Mlp f = Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, 5, 1.0);
                try (GradientSession s = Gradients.session(f, ROWS, times, loss, RungeKutta.dopri5(), DOPRI, m, true)) {
                    for (int update = 0; update < 4; update++) {
                        s.compute(y0);
                        GradientResult fresh = Gradients.compute(f.withParameters(f.parameters().clone()), y0, ROWS,
                                times, loss, RungeKutta.dopri5(), DOPRI, m, true);
                        GradientSessionTest.assertSameBits(fresh, s.result(),
                                m + " over " + times.length + " times after " + update + " updates");
                        step(f, s.result().dLdTheta(), update);
                    }
                }
            }
        }
    }

    /** An optimiser's step in place: all parameters, one weight of a hidden layer, then a sign bit of the last. */
    private static void step(Mlp f, double[] grad, int update) {
        double[] theta = f.parameters();
        int hiddenW = f.architecture().weightOffset(1);
        switch (update) {
            case 0 -> {
                for (int i = 0; i < theta.length; i++) theta[i] -= 0.05 * grad[i];
            }
            case 1 -> theta[hiddenW + HIDDEN * HIDDEN - 1] += 0.125;
            default -> {
                int last = f.architecture().weightOffset(2) + 3;
                theta[last] = -theta[last];
            }
        }
    }

    private static Loss loss(double[] times) {
        double[][] targets = new double[times.length][];
        for (int i = 1; i < times.length; i++) {
            targets[i] = new double[ROWS * D];
            for (int j = 0; j < targets[i].length; j++) targets[i][j] = 0.3 * Math.sin(i + 0.9 * j);
        }
        return Loss.meanSquaredError(targets);
    }
}
