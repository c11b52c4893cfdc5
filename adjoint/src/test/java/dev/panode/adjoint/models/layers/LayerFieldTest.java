package dev.panode.adjoint.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A composition of every kind of layer as a field: solved, differentiated by backprop (against finite differences of
 * the discrete solve) and by both adjoints (against backprop), evaluated per row, allocation-free after warm-up; and
 * the MLP as the composition its architecture describes.
 */
class LayerFieldTest {
    static final int ROWS = 3;
    static final double[] Y0 = {0.5, -0.3, -0.8, 0.2, 0.1, 0.9};
    static final double[] TIMES = {0.0, 0.4, 1.0};

    /** Time input, ConcatSquash, GELU, a residual block, a gated product, the cube. */
    static LayerField everyKind() {
        Layer gated = Branches.product(new Dense(6, 6), Sequential.builder(6).dense(6).sigmoid().build());
        Sequential net = Sequential.builder(2).cube().concatTime().dense(6).tanh().concatSquash(6).gelu()
                .add(new Residual(Sequential.builder(6).dense(6).softplus().dense(6).build()))
                .add(Branches.sum(gated, new Dense(6, 6))).dense(2).build();
        LayerField f = LayerField.initialised(net, Initialisation.PYTORCH_DEFAULT, 11);
        double[] p = f.parameters();
        for (int i = 0; i < p.length; i++) p[i] *= 0.7; // a gentle field: adaptive steps stay few
        return f;
    }

    private static double loss(LayerField f, double[] y0, SolveOptions o) {
        return Gradients.compute(f, y0, ROWS, TIMES, Loss.sumOfSquaresAfterStart(), RungeKutta.rk4(), o,
                Backprop.storeAll()).loss();
    }

    @Test
    void backpropEqualsFiniteDifferencesOfTheDiscreteSolve() {
        LayerField f = everyKind();
        SolveOptions o = SolveOptions.builder().steps(12).build();
        GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, Loss.sumOfSquaresAfterStart(), RungeKutta.rk4(), o,
                Backprop.storeAll());
        double h = 1e-5;
        for (int j = 0; j < Y0.length; j++) {
            double[] p = Y0.clone();
            p[j] += h;
            double lp = loss(f, p, o);
            p[j] -= 2 * h;
            double lm = loss(f, p, o);
            assertEquals((lp - lm) / (2 * h), g.dLdy0()[j], 1e-7 * (1 + Math.abs(g.dLdy0()[j])), "dL/dy0[" + j + "]");
        }
        double[] theta = f.parameters();
        for (int q = 0; q < theta.length; q += 7) {
            double keep = theta[q];
            theta[q] = keep + h;
            double lp = loss(f, Y0, o);
            theta[q] = keep - h;
            double lm = loss(f, Y0, o);
            theta[q] = keep;
            assertEquals((lp - lm) / (2 * h), g.dLdTheta()[q], 1e-7 * (1 + Math.abs(g.dLdTheta()[q])),
                    "dL/dθ[" + q + "]");
        }
    }

    @Test
    void everySolverAndGradientMethodAccepts() {
        LayerField f = everyKind();
        for (RungeKutta m : List.of(RungeKutta.dopri5(), RungeKutta.tsit5(), RungeKutta.bosh3())) {
            Solution s = Solver.solve(f, Y0, ROWS, 0.0, 1.0, m, SolveOptions.builder().rtol(1e-8).atol(1e-10).build());
            assertTrue(s.isSuccess(), m.name() + ": " + s.message());
        }
        SolveOptions tight = SolveOptions.builder().rtol(1e-10).atol(1e-12).build();
        GradientResult ref = Gradients.compute(f, Y0, ROWS, TIMES, Loss.sumOfSquaresAfterStart(), RungeKutta.dopri5(),
                tight, Backprop.storeAll(), true);
        for (GradientMethod gm : List.of(BacksolveAdjoint.of(AdjointNorm.FULL), BacksolveAdjoint.of(AdjointNorm.SEMINORM),
                InterpolatingAdjoint.of(AdjointNorm.FULL), InterpolatingAdjoint.of(AdjointNorm.SEMINORM))) {
            GradientResult g = Gradients.compute(f, Y0, ROWS, TIMES, Loss.sumOfSquaresAfterStart(),
                    RungeKutta.dopri5(), tight, gm, true);
            assertEquals(ref.loss(), g.loss(), 1e-12 * ref.loss());
            assertTrue(ReferenceData.relative(g.dLdy0(), ref.dLdy0()) < 1e-6,
                    gm + " dL/dy0 " + ReferenceData.relative(g.dLdy0(), ref.dLdy0()));
            assertTrue(ReferenceData.relative(g.dLdTheta(), ref.dLdTheta()) < 1e-6,
                    gm + " dL/dθ " + ReferenceData.relative(g.dLdTheta(), ref.dLdTheta()));
            assertTrue(ReferenceData.relative(g.dLdTimes(), ref.dLdTimes()) < 1e-6,
                    gm + " dL/dt " + ReferenceData.relative(g.dLdTimes(), ref.dLdTimes()));
        }
    }

    @Test
    void perRowTimesEvaluateEachRowAtItsTime() {
        LayerField f = everyKind();
        double[] tRows = {0.1, 0.6, -0.4};
        double[] all = new double[Y0.length];
        FieldWorkspace ws = f.newWorkspace(ROWS);
        f.evaluateRows(tRows, Y0, all, ROWS, ws);
        for (int r = 0; r < ROWS; r++) {
            double[] one = new double[2];
            f.evaluate(tRows[r], new double[] {Y0[2 * r], Y0[2 * r + 1]}, one, 1, ws);
            assertArrayEquals(one, new double[] {all[2 * r], all[2 * r + 1]}, 1e-15);
        }
    }

    @Test
    void theMlpIsTheCompositionItsArchitectureDescribes() {
        MlpArchitecture arch = new MlpArchitecture(3, List.of(7, 5, 3),
                List.of(Activation.TANH, Activation.SOFTPLUS, Activation.IDENTITY), true, InputTransform.CUBE);
        Mlp mlp = Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, 3);
        Sequential built = Sequential.builder(3).cube().concatTime().dense(7).tanh().dense(5).softplus().dense(3)
                .build();
        assertEquals(built, mlp.network());
        LayerField same = LayerField.initialised(built, Initialisation.PYTORCH_DEFAULT, 3);
        assertArrayEquals(mlp.parameters(), same.parameters(), 0.0);
        for (int l = 0; l < arch.layerCount(); l++) {
            int k = built.layers().indexOf(built.layers().stream().filter(x -> x instanceof Dense).toList().get(l));
            assertEquals(arch.weightOffset(l), built.parameterOffset(k));
        }
        double[] y = {0.3, -0.2, 0.5, 0.1, 0.4, -0.6};
        double[] v = {1, 2, -1, 0.5, -0.5, 0.25};
        double[] a = new double[6];
        double[] b = new double[6];
        double[] ya = new double[6];
        double[] yb = new double[6];
        double[] ta = new double[mlp.parameterCount()];
        double[] tb = new double[mlp.parameterCount()];
        double dta = mlp.vjp(0.7, y, v, ya, ta, a, 2, true, mlp.newWorkspace(2));
        double dtb = same.vjp(0.7, y, v, yb, tb, b, 2, true, same.newWorkspace(2));
        assertArrayEquals(a, b, 0.0);
        assertArrayEquals(ya, yb, 0.0);
        assertArrayEquals(ta, tb, 0.0);
        assertEquals(dta, dtb, 0.0);
    }

    @Test
    void aWorkspaceOfAnotherNetworkIsRejected() {
        LayerField f = everyKind();
        LayerField g = LayerField.initialised(new Dense(2, 2), Initialisation.PYTORCH_DEFAULT, 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> f.evaluate(0, Y0, new double[6], ROWS, g.newWorkspace(ROWS)));
        assertTrue(e.getMessage().startsWith("ws must come from"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.evaluate(0, Y0, new double[6], 4, f.newWorkspace(3)));
    }

    @Test
    void evaluationAndVjpAllocateNothingAfterWarmUp() {
        LayerField f = everyKind();
        double[] v = {1, -1, 0.5, 0.25, -2, 1};
        double[] out = new double[6];
        double[] yBar = new double[6];
        double[] thetaBar = new double[f.parameterCount()];
        double[] tRows = {0.1, 0.2, 0.3};
        FieldWorkspace ws = f.newWorkspace(ROWS);
        Allocations.assertNoAllocation("composition evaluate", () -> f.evaluate(0.5, Y0, out, ROWS, ws));
        Allocations.assertNoAllocation("composition vjp", () -> f.vjp(0.5, Y0, v, yBar, thetaBar, out, ROWS, true, ws));
        Allocations.assertNoAllocation("composition vjp without fOut",
                () -> f.vjp(0.5, Y0, v, yBar, null, null, ROWS, false, ws));
        Allocations.assertNoAllocation("composition evaluateRows", () -> f.evaluateRows(tRows, Y0, out, ROWS, ws));
    }
}
