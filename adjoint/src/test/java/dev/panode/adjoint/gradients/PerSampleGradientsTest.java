package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.api.Test;

class PerSampleGradientsTest {
    private static final double[][] TIMES = {{0, 0.5, 1}, {0.2, 1.5}, {-0.5, 0, 0.7, 2}};
    private static final double[] Y0 = {0.5, -1, 1, 0.3, -0.4, 0.8};
    private static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-10).atol(1e-12).build();

    private static Mlp mlp() {
        return Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16).withTimeInput(true), Initialisation.PYTORCH_DEFAULT,
                11, 1.5);
    }

    private static PerSampleSolution solve(Mlp f) {
        int rows = TIMES.length;
        double[] t0 = new double[rows], t1 = new double[rows];
        for (int r = 0; r < rows; r++) {
            t0[r] = TIMES[r][0];
            t1[r] = TIMES[r][TIMES[r].length - 1];
        }
        return PerSampleSolver.solve(f, Y0, rows, t0, t1, TIMES, RungeKutta.dopri5(), OPTIONS,
                PerSampleSolver.Packing.COMPACT);
    }

    /** Σ_r Σ_{i≥1} |y_r(t_i)|² computed by the per-sample solver itself. */
    private static double perSampleLoss(Mlp f) {
        PerSampleSolution s = solve(f);
        int rows = TIMES.length;
        double l = 0;
        for (int r = 0; r < rows; r++)
            for (int i = 1; i < s.count(r); i++)
                for (double x : s.state(r, i)) l += x * x;
        return l;
    }

    @Test
    void backpropDifferentiatesWhatThePerSampleSolverComputes() {
        Mlp f = mlp();
        PerSampleGradients.Result g = PerSampleGradients.compute(f, Y0, 3, TIMES, r -> Loss.sumOfSquaresAfterStart(),
                RungeKutta.dopri5(), OPTIONS, Backprop.storeAll());
        assertEquals(perSampleLoss(f), g.loss(), 1e-12 * Math.abs(g.loss()));
        PerSampleSolution s = solve(f);
        for (int r = 0; r < 3; r++)
            for (int i = 0; i < TIMES[r].length; i++)
                assertArrayEquals(s.state(r, i), g.perSample()[r].states()[i], "sample " + r + ", time " + i);
        double[] theta = f.parameters();
        for (int p : new int[]{0, 5, 40, theta.length - 1}) {
            double eps = 1e-6;
            double[] plus = theta.clone(), minus = theta.clone();
            plus[p] += eps;
            minus[p] -= eps;
            double fd = (perSampleLoss(f.withParameters(plus)) - perSampleLoss(f.withParameters(minus))) / (2 * eps);
            assertEquals(fd, g.dLdTheta()[p], 1e-6 * Math.max(1, Math.abs(fd)), "parameter " + p);
        }
        double[] sum = new double[theta.length];
        for (GradientResult r : g.perSample()) for (int i = 0; i < sum.length; i++) sum[i] += r.dLdTheta()[i];
        assertArrayEquals(sum, g.dLdTheta());
    }

    @Test
    void interpolatingAdjointAgreesWithBackpropPerSample() {
        Mlp f = mlp();
        PerSampleGradients.Result bp = PerSampleGradients.compute(f, Y0, 3, TIMES, r -> Loss.sumOfSquaresAfterStart(),
                RungeKutta.dopri5(), OPTIONS, Backprop.storeAll());
        PerSampleGradients.Result ia = PerSampleGradients.compute(f, Y0, 3, TIMES, r -> Loss.sumOfSquaresAfterStart(),
                RungeKutta.dopri5(), OPTIONS,
                InterpolatingAdjoint.of(AdjointNorm.SEMINORM).withTolerances(1e-10, 1e-12));
        for (int r = 0; r < 3; r++) {
            double[] a = bp.perSample()[r].dLdy0(), b = ia.perSample()[r].dLdy0();
            for (int j = 0; j < a.length; j++) assertEquals(a[j], b[j], 1e-6 * Math.max(1, Math.abs(a[j])));
        }
        for (int i = 0; i < bp.dLdTheta().length; i++)
            assertEquals(bp.dLdTheta()[i], ia.dLdTheta()[i], 1e-6 * Math.max(1, Math.abs(bp.dLdTheta()[i])));
    }

    @Test
    void invalidArgumentsNameTheSample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerSampleGradients.compute(mlp(), Y0, 3, new double[][]{{0, 1}, {1, 0}, {0, 1}},
                        r -> Loss.sumOfSquaresAtEnd(), RungeKutta.dopri5(), OPTIONS, Backprop.storeAll()));
        assertTrue(e.getMessage().startsWith("sample 1: times must increase strictly"), e.getMessage());
    }
}
