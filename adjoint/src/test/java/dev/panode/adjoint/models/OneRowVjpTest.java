package dev.panode.adjoint.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The MLP's VJP for a single row (the one-row dense backward kernel: batch 1, the per-sample solver, the continuous
 * adjoints' augmented dynamics) against central differences of the field, against the same row inside a block
 * (x̄ bit for bit), and a warm batch-1 gradient session allocating nothing, on the SciML spiral's MLP (u³, 2 → 50 → 2)
 * and a deeper MLP with time input.
 */
class OneRowVjpTest {
    private static final List<MlpArchitecture> ARCHITECTURES = List.of(
            MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE),
            MlpArchitecture.of(3, 20, 2, Activation.SOFTPLUS).withTimeInput(true),
            MlpArchitecture.of(2, 50, 2, Activation.TANH));

    @Test
    void oneRowVjpAgreesWithCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (MlpArchitecture arch : ARCHITECTURES) {
            Mlp mlp = Mlp.initialised(arch, Initialisation.XAVIER_UNIFORM, 9);
            int d = arch.dim(), p = mlp.parameterCount();
            double t = 0.4;
            double[] y = random(rnd, d, 0.9), v = random(rnd, d, 1.0);
            double[] yBar = new double[d], thetaBar = new double[p];
            FieldWorkspace ws = mlp.newWorkspace(1);
            mlp.vjp(t, y, v, yBar, thetaBar, null, 1, false, ws);
            double h = 1e-6;
            for (int i = 0; i < d; i++) {
                double[] yp = y.clone(), ym = y.clone();
                yp[i] += h;
                ym[i] -= h;
                double fd = (dot(v, eval(mlp, t, yp, ws)) - dot(v, eval(mlp, t, ym, ws))) / (2 * h);
                assertEquals(fd, yBar[i], 1e-7 * Math.max(1.0, Math.abs(fd)), arch + ": ∂(v·f)/∂y_" + i);
            }
            double[] theta = mlp.parameters();
            for (int k = 0; k < p; k += 7) {
                double keep = theta[k];
                theta[k] = keep + h;
                double fp = dot(v, eval(mlp, t, y, ws));
                theta[k] = keep - h;
                double fm = dot(v, eval(mlp, t, y, ws));
                theta[k] = keep;
                double fd = (fp - fm) / (2 * h);
                assertEquals(fd, thetaBar[k], 1e-7 * Math.max(1.0, Math.abs(fd)), arch + ": ∂(v·f)/∂θ_" + k);
            }
        }
    }

    @Test
    void aRowAloneGivesTheInputCotangentItHasInABlock() {
        SplittableRandom rnd = new SplittableRandom(5);
        int rows = 3;
        for (MlpArchitecture arch : ARCHITECTURES) {
            Mlp mlp = Mlp.initialised(arch, Initialisation.XAVIER_UNIFORM, 13);
            int d = arch.dim();
            double[] y = random(rnd, rows * d, 0.9), v = random(rnd, rows * d, 1.0);
            double[] yBar = new double[rows * d];
            mlp.vjp(0.2, y, v, yBar, new double[mlp.parameterCount()], null, rows, false, mlp.newWorkspace(rows));
            FieldWorkspace ws1 = mlp.newWorkspace(1);
            for (int r = 0; r < rows; r++) {
                double[] yr = java.util.Arrays.copyOfRange(y, r * d, (r + 1) * d);
                double[] vr = java.util.Arrays.copyOfRange(v, r * d, (r + 1) * d);
                double[] yBarR = new double[d];
                mlp.vjp(0.2, yr, vr, yBarR, new double[mlp.parameterCount()], null, 1, false, ws1);
                for (int i = 0; i < d; i++) {
                    assertEquals(Double.doubleToRawLongBits(yBar[r * d + i]), Double.doubleToRawLongBits(yBarR[i]),
                            arch + ": row " + r + ", ȳ_" + i);
                }
            }
        }
    }

    /** The spiral's gradient for batch 1, every method, 0 bytes per call once warm. */
    @Test
    void aWarmBatchOneSessionAllocatesNothing() {
        Mlp mlp = Mlp.initialised(ARCHITECTURES.get(0), Initialisation.XAVIER_UNIFORM, 17);
        double[] times = {0.0, 0.25, 0.5, 0.75};
        double[][] targets = {null, {1.0, 0.5}, {0.5, 0.9}, {-0.2, 1.1}};
        Loss loss = Loss.meanSquaredError(targets);
        SolveOptions options = SolveOptions.builder().rtol(1e-3).atol(1e-6).build();
        for (GradientMethod m : List.<GradientMethod>of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.SEMINORM),
                InterpolatingAdjoint.of(AdjointNorm.SEMINORM), BacksolveAdjoint.of(AdjointNorm.FULL))) {
            try (GradientSession s = Gradients.session(mlp, 1, times, loss, RungeKutta.tsit5(), options, m, false)) {
                double[] y0 = {2.0, 0.0};
                Allocations.assertNoAllocation("batch 1, " + m, 2000, 50, () -> s.compute(y0));
                assertTrue(Double.isFinite(s.loss()));
            }
        }
    }

    private static double[] eval(Mlp mlp, double t, double[] y, FieldWorkspace ws) {
        double[] f = new double[y.length];
        mlp.evaluate(t, y, f, 1, ws);
        return f;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double[] random(SplittableRandom rnd, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = scale * (2 * rnd.nextDouble() - 1);
        return x;
    }
}
