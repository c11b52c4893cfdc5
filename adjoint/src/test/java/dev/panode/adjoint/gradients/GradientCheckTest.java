package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.layers.Layer;
import dev.panode.adjoint.models.layers.LayerField;
import dev.panode.adjoint.models.layers.LayerWorkspace;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.adjoint.models.layers.ShapePreserving;
import dev.panode.adjoint.models.layers.Times;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gradient self-check passes for correct fields (adaptive and fixed steps, an MLP and a layer composition) and
 * fails, for every method, on a field whose VJP is deliberately wrong, in θ or in y.
 */
class GradientCheckTest {
    static final double[] Y0 = {0.6, -0.4, -0.2, 0.9};
    static final double[] TIMES = {0.0, 0.5, 1.0};

    static Mlp mlp() {
        return Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8).withTimeInput(true), Initialisation.PYTORCH_DEFAULT, 5);
    }

    static GradientCheck.Problem problem(DifferentiableField f, SolveOptions o, RungeKutta m) {
        return GradientCheck.Problem.of(OdeProblem.batch(f, Y0, 2, TIMES), Loss.sumOfSquaresAfterStart(), m, o);
    }

    @Test
    void aCorrectFieldPassesWithAdaptiveSteps() {
        Mlp f = mlp();
        double[] before = f.parameters().clone();
        GradientCheck.Report r = GradientCheck.run(problem(f, SolveOptions.builder().rtol(1e-6).atol(1e-8).build(),
                RungeKutta.dopri5()));
        assertTrue(r.passed(), r.table());
        assertEquals(4, r.methods().size());
        assertEquals(6, r.agreements().size());
        assertTrue(r.table().contains("verdict: PASS"), r.table());
        for (GradientCheck.MethodResult m : r.methods()) {
            assertTrue(m.thetaError() < 1e-4 && m.y0Error() < 1e-4, r.table());
        }
        assertTrue(java.util.Arrays.equals(before, f.parameters()), "the parameters are restored");
    }

    /**
     * dopri5 is FSAL: the observations inside a step seed its last stage into the next step's first VJP (one VJP fewer
     * per step but the last), and the gradient still passes the finite-difference check, with every step stored (stages
     * saved or rebuilt) and with the binomial schedule.
     */
    @Test
    void aStepsLastStageJoiningTheNextStepsFirstVjpPassesTheCheck() {
        Mlp f = mlp();
        double[] grid = new double[21];
        for (int k = 0; k < grid.length; k++) grid[k] = k / 10.0;
        SolveOptions td = SolveOptions.builder().rtol(1e-6).atol(1e-8).torchdiffeqCompatible(true).build();
        Backprop saving = Backprop.storeAll().withStageSaving(StageSaving.ALWAYS);
        GradientCheck.Report r = GradientCheck.run(GradientCheck.Problem.of(OdeProblem.batch(f, Y0, 2, grid),
                Loss.sumOfSquaresAfterStart(), RungeKutta.dopri5(), td), saving,
                Backprop.storeAll().withStageSaving(StageSaving.NEVER), new Backprop(Checkpointing.binomial(2)));
        assertTrue(r.passed(), r.table());
        GradientStats st = Gradients.compute(f, Y0, 2, grid, Loss.sumOfSquaresAfterStart(), RungeKutta.dopri5(), td,
                saving).stats();
        assertTrue(st.forwardSteps() >= 3, "steps " + st.forwardSteps());
        // from saved stages every backward evaluation is a VJP: six live stages a step, the seventh in the last only
        assertEquals(6 * st.forwardSteps() + 1, st.backwardNfe(), st.toString());
    }

    @Test
    void aCorrectCompositionPassesWithFixedSteps() {
        LayerField f = LayerField.initialised(Sequential.builder(2).concatTime().dense(6).tanh().concatSquash(6).gelu()
                .dense(2).build(), Initialisation.PYTORCH_DEFAULT, 9);
        GradientCheck.Report r = GradientCheck.run(problem(f, SolveOptions.builder().steps(16).build(),
                RungeKutta.rk4()), GradientCheck.applicableMethods(RungeKutta.rk4()), 2, 7);
        assertTrue(r.passed(), r.table());
        GradientCheck.MethodResult backprop = r.methods().getFirst();
        assertEquals("backprop", backprop.name());
        assertTrue(backprop.thetaError() < 1e-6 && backprop.y0Error() < 1e-6, r.table());
    }

    /** tanh whose backward uses 1 − a instead of 1 − a²: a plausible slip in a hand-written layer. */
    record SloppyTanh(int width) implements ShapePreserving {
        @Override
        public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
            for (int i = 0; i < rows * width; i++) y[i] = Math.tanh(x[i]);
        }

        @Override
        public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time,
                               double[] theta, int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
            for (int i = 0; i < rows * width; i++) xBar[i] = yBar[i] * (1 - Math.abs(y[i]));
            return 0.0;
        }
    }

    @Test
    void aWrongLayerVjpFailsEveryMethod() {
        LayerField f = LayerField.initialised(Sequential.builder(2).dense(8).add(new SloppyTanh(8)).dense(2).build(),
                Initialisation.PYTORCH_DEFAULT, 3);
        GradientCheck.Report r = GradientCheck.run(problem(f, SolveOptions.builder().rtol(1e-6).atol(1e-8).build(),
                RungeKutta.dopri5()));
        assertFalse(r.passed(), r.table());
        for (GradientCheck.MethodResult m : r.methods()) assertFalse(m.passed(), m.name() + "\n" + r.table());
        assertTrue(r.table().contains("verdict: FAIL"), r.table());
    }

    /** A field whose parameter cotangent is 2 % too large: only dL/dθ is wrong. */
    @Test
    void aSlightlyWrongParameterGradientIsCaught() {
        Mlp inner = mlp();
        DifferentiableField wrong = new DifferentiableField() {
            @Override
            public int parameterCount() {
                return inner.parameterCount();
            }

            @Override
            public double[] parameters() {
                return inner.parameters();
            }

            @Override
            public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                              int rows, boolean wantTime, dev.panode.solvers.FieldWorkspace ws) {
                double[] scaled = v.clone(); // test code: allocation is fine here
                for (int i = 0; i < scaled.length; i++) scaled[i] *= 1.02;
                if (thetaBar != null) inner.vjp(t, y, scaled, new double[yBar.length], thetaBar, null, rows, false, ws);
                return inner.vjp(t, y, v, yBar, null, fOut, rows, wantTime, ws);
            }

            @Override
            public void evaluate(double t, double[] y, double[] dyOut, int rows, dev.panode.solvers.FieldWorkspace ws) {
                inner.evaluate(t, y, dyOut, rows, ws);
            }

            @Override
            public int dim() {
                return inner.dim();
            }

            @Override
            public dev.panode.solvers.FieldWorkspace newWorkspace(int maxRows) {
                return inner.newWorkspace(maxRows);
            }
        };
        GradientCheck.Report r = GradientCheck.run(problem(wrong, SolveOptions.builder().rtol(1e-7).atol(1e-9).build(),
                RungeKutta.dopri5()), List.of(Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.FULL)), 3, 1);
        assertFalse(r.passed(), r.table());
        for (GradientCheck.MethodResult m : r.methods()) {
            assertTrue(m.thetaError() > 1e-3, r.table());
            assertTrue(m.y0Error() < 1e-4, r.table());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        var p = problem(mlp(), SolveOptions.builder().steps(4).build(), RungeKutta.rk4());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradientCheck.run(p, List.of(), 1, 1))
                .getMessage().contains("methods"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.run(p, List.of(Backprop.storeAll()), 0, 1)).getMessage().contains("directions"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new GradientCheck.Problem(mlp(), Y0, 0, TIMES, Loss.sumOfSquaresAtEnd(), RungeKutta.rk4(),
                        SolveOptions.defaults())).getMessage().contains("rows"));
    }
}
