package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The continuous adjoints skip the parameter gradients of dopri5's k_1, which no later component reads (b_1 = 0, no
 * dense-output weight, outside the error estimate's a_θ part): the gradients keep the bits of adjoints that compute
 * every VJP whole, on an MLP whose VJP without a parameter gradient takes other kernels (no weight-gradient products,
 * no bias column sums), for both adjoints, both norms, one row and a batch, a final and a multi-observation loss.
 * Under the seminorm the backsolve adjoint also skips them in each interval's initial-step probe.
 */
class InputOnlyStageGradientTest {
    static final int D = 2;

    /** The MLP, every VJP computed whole: a request without a parameter gradient gets one in scratch. */
    static final class WholeVjps extends UncheckedInnerLoopsTest.Counting {
        final double[] scratch;
        int partial;

        WholeVjps(Mlp mlp) {
            super(mlp);
            this.scratch = new double[mlp.parameterCount()];
        }

        private double[] whole(double[] thetaBar) {
            if (thetaBar != null) return thetaBar;
            partial++;
            java.util.Arrays.fill(scratch, 0.0);
            return scratch;
        }

        @Override
        public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
                          boolean wantTime, FieldWorkspace ws) {
            return super.vjp(t, y, v, yBar, whole(thetaBar), fOut, rows, wantTime, ws);
        }

        @Override
        public double vjpUnchecked(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                                   int rows, boolean wantTime, FieldWorkspace ws) {
            return super.vjpUnchecked(t, y, v, yBar, whole(thetaBar), fOut, rows, wantTime, ws);
        }

        @Override
        public double vjpFromSaved(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar, int rows,
                                   boolean wantTime, FieldWorkspace ws) {
            return super.vjpFromSaved(t, saved, v, yBar, whole(thetaBar), rows, wantTime, ws);
        }

        @Override
        public double vjpFromSavedUnchecked(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar,
                                            int rows, boolean wantTime, FieldWorkspace ws) {
            return super.vjpFromSavedUnchecked(t, saved, v, yBar, whole(thetaBar), rows, wantTime, ws);
        }
    }

    static double[] y0(int rows) {
        double[] y = new double[rows * D];
        for (int j = 0; j < y.length; j++) y[j] = 0.8 * Math.sin(1.3 * j + 0.4);
        return y;
    }

    static GradientResult gradient(DifferentiableField f, int rows, double[] times, OdeMethod m, SolveOptions o,
                                   GradientMethod g) {
        double[][] targets = new double[times.length][];
        for (int i = 1; i < times.length; i++) {
            targets[i] = new double[rows * D];
            for (int j = 0; j < targets[i].length; j++) targets[i][j] = Math.cos(i + 0.7 * j);
        }
        return Gradients.of(OdeProblem.of(f, y0(rows), times), Loss.meanSquaredError(targets)).method(m).options(o)
                .gradientMethod(g).withTimeGradients().compute();
    }

    @Test
    void theAdjointsKeepTheBitsOfWholeVjps() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(D, 16), Initialisation.PYTORCH_DEFAULT, 5);
        SolveOptions adaptive = SolveOptions.builder().rtol(1e-7).atol(1e-9).build();
        SolveOptions torch = adaptive.toBuilder().torchdiffeqCompatible(true).build();
        List<GradientMethod> methods = List.of(BacksolveAdjoint.of(AdjointNorm.SEMINORM),
                BacksolveAdjoint.of(AdjointNorm.FULL), InterpolatingAdjoint.of(AdjointNorm.SEMINORM),
                InterpolatingAdjoint.of(AdjointNorm.FULL));
        for (GradientMethod g : methods) {
            for (SolveOptions o : List.of(adaptive, torch)) {
                for (double[] times : List.of(new double[] {0.0, 1.0}, new double[] {0.0, 0.25, 0.6, 1.0})) {
                    for (int rows : new int[] {1, 4}) {
                        OdeMethod m = o.torchdiffeqCompatible() ? RungeKutta.dopri5Torchdiffeq() : RungeKutta.dopri5();
                        String what = g + " " + m.name() + " rows " + rows + " observations " + times.length;
                        WholeVjps whole = new WholeVjps(mlp);
                        GradientResult skipped = gradient(mlp, rows, times, m, o, g);
                        GradientResult reference = gradient(whole, rows, times, m, o, g);
                        GradientSessionTest.assertSameBits(reference, skipped, what);
                        assertEquals(reference.stats(), skipped.stats(), what);
                        // one k_1 a backward step attempt: at least one per accepted step
                        assertTrue(whole.partial >= skipped.stats().backwardSteps(), what + ": " + whole.partial);
                        if (g instanceof BacksolveAdjoint b && b.norm() == AdjointNorm.SEMINORM) {
                            // and the initial-step probe of each interval's backward solve, outside the seminorm
                            assertTrue(whole.partial >= skipped.stats().backwardSteps() + times.length - 1,
                                    what + ": " + whole.partial);
                        }
                    }
                }
            }
        }
    }
}
