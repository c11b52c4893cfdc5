package dev.panode.adjoint.models.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.Checkpointing;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backprop's saved stages for every kind of layer ({@link Layer#savedLength}, {@link Layer#saveState},
 * {@link Layer#restoreState}): the VJP from a saved block, after the workspace has moved on to another point, has the
 * bits of the VJP that recomputes the forward pass; whole gradients with saved stages have the bits of those that
 * rebuild the stages; nothing is allocated once warm.
 */
class SavedStateTest {
    private static final int ROWS = LayerFieldTest.ROWS;
    private static final double[] Y0 = LayerFieldTest.Y0;
    private static final double[] V = {1, -1, 0.5, 0.25, -2, 1};
    private static final double[] OTHER = {0.9, 0.8, -0.7, 0.6, 0.5, -0.4};

    /** FFJORD's CNF body: ConcatSquash layers with activations between them. */
    static LayerField concatSquashNet() {
        Sequential net = Sequential.builder(2).concatSquash(8).tanh().concatSquash(8).softplus().concatSquash(2)
                .build();
        return LayerField.initialised(net, Initialisation.PYTORCH_DEFAULT, 21);
    }

    /**
     * MLPs (with time input and the cube), every built-in kind, user layers with and without a workspace, and each
     * container on its own.
     */
    static List<LayerField> compositions() {
        MlpArchitecture timed = new MlpArchitecture(2, List.of(7, 5, 2),
                List.of(Activation.TANH, Activation.SOFTPLUS, Activation.IDENTITY), true, InputTransform.CUBE);
        return List.of(
                Mlp.initialised(timed, Initialisation.PYTORCH_DEFAULT, 3),
                Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 6), Initialisation.PYTORCH_DEFAULT, 4),
                LayerField.initialised(Sequential.builder(2).concatTime().dense(5).relu().gelu().dense(2).build(),
                        Initialisation.PYTORCH_DEFAULT, 5),
                LayerFieldTest.everyKind(),
                concatSquashNet(),
                LayerField.initialised(new ConcatSquash(2, 2), Initialisation.PYTORCH_DEFAULT, 22),
                LayerField.initialised(Sequential.builder(2).dense(5).add(new ScaledTanh(5)).add(new CachedSquash(5))
                        .concatTime().dense(2).build(), Initialisation.PYTORCH_DEFAULT, 23),
                LayerField.initialised(new Residual(Sequential.builder(2).concatSquash(4).add(new CachedSquash(4))
                        .dense(2).build()), Initialisation.PYTORCH_DEFAULT, 24),
                LayerField.initialised(Branches.product(new Residual(new CachedSquash(2)), new ConcatSquash(2, 2),
                        Sequential.builder(2).dense(3).tanh().dense(2).build()), Initialisation.PYTORCH_DEFAULT, 25));
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    @Test
    void theVjpFromASavedBlockHasTheBitsOfTheRecomputingVjp() {
        for (LayerField f : compositions()) {
            int len = f.savedLength(ROWS);
            assertTrue(len >= 2 * Y0.length, f + " saves");
            double[] saved = new double[len];
            double[] out = new double[6];
            double[] plain = new double[6];
            FieldWorkspace ws = f.newWorkspace(ROWS);
            f.evaluateSaving(0.3, Y0, out, saved, ROWS, ws);
            f.evaluate(0.3, Y0, plain, ROWS, ws);
            assertBits(plain, out, f + ": evaluateSaving against evaluate");
            f.vjp(0.9, OTHER, V, new double[6], null, null, ROWS, true, ws); // the workspace now holds another point
            double[] yBarSaved = new double[6];
            double[] thetaSaved = new double[f.parameterCount()];
            double tSaved = f.vjpFromSaved(0.3, saved, V, yBarSaved, thetaSaved, ROWS, true, ws);
            double[] yBar = new double[6];
            double[] thetaBar = new double[f.parameterCount()];
            double tBar = f.vjp(0.3, Y0, V, yBar, thetaBar, null, ROWS, true, f.newWorkspace(ROWS));
            assertBits(yBar, yBarSaved, f + ": ȳ");
            assertBits(thetaBar, thetaSaved, f + ": θ̄");
            assertBits(new double[] {tBar}, new double[] {tSaved}, f + ": ∂/∂t");
            Allocations.assertNoAllocation(f + " evaluateSaving", () -> f.evaluateSaving(0.3, Y0, out, saved, ROWS, ws));
            Allocations.assertNoAllocation(f + " vjpFromSaved",
                    () -> f.vjpFromSaved(0.3, saved, V, yBarSaved, thetaSaved, ROWS, true, ws));
        }
    }

    /**
     * A dense layer keeps its pre-activation only when σ' reads it: tanh, sigmoid and identity layers save their
     * outputs alone (the last output is the caller's), softplus, relu and sin layers U and X. The field itself keeps
     * y and f (2 × 2 per row).
     */
    @Test
    void denseLayersSaveThePreActivationOnlyWhereTheDerivativeReadsIt() {
        assertEquals(ROWS * (4 + 6 + 6), Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 6), Initialisation.PYTORCH_DEFAULT, 4)
                .savedLength(ROWS));
        assertEquals(ROWS * (4 + 5 + 2 * 4 + 2), LayerField.initialised(Sequential.builder(2).dense(5).sigmoid().dense(4)
                .softplus().dense(2).relu().build(), Initialisation.PYTORCH_DEFAULT, 6).savedLength(ROWS));
    }

    /** The test above can fail: without restoring, ConcatSquash's backward reads the other point's L and gate. */
    @Test
    void aLayerWhoseStateIsNotRestoredGivesAnotherVjp() {
        ConcatSquash layer = new ConcatSquash(3, 4);
        double[] theta = new double[layer.parameterCount()];
        layer.initialise(Initialisation.PYTORCH_DEFAULT, new dev.panode.adjoint.models.SplitMix64(5), theta, 0);
        double[] x = {0.1, -0.2, 0.3, 0.4, 0.5, -0.6};
        double[] x2 = {-0.7, 0.2, 0.9, 0.1, -0.3, 0.8};
        double[] y = new double[8];
        double[] y2 = new double[8];
        double[] yBar = {1, 2, -1, 0.5, -0.25, 1, 0.75, -2};
        LayerWorkspace ws = layer.newWorkspace(2);
        Times at = Times.of(0.4);
        layer.forward(x, y, 2, at, theta, 0, ws);
        double[] saved = new double[layer.savedLength(2)];
        layer.saveState(ws, 2, saved, 0);
        double[] xBar = new double[6];
        double[] thetaBar = new double[theta.length];
        double tBar = layer.backward(x, y, yBar, xBar, 2, at, theta, 0, thetaBar, true, ws);

        layer.forward(x2, y2, 2, Times.of(-0.8), theta, 0, ws);
        double[] stale = new double[6];
        layer.backward(x, y, yBar, stale, 2, at, theta, 0, new double[theta.length], true, ws);
        assertFalse(java.util.Arrays.equals(xBar, stale), "the workspace really moved on");

        layer.restoreState(saved, 0, x, y, 2, at, theta, 0, ws);
        double[] restored = new double[6];
        double[] thetaRestored = new double[theta.length];
        double tRestored = layer.backward(x, y, yBar, restored, 2, at, theta, 0, thetaRestored, true, ws);
        assertBits(xBar, restored, "x̄");
        assertBits(thetaBar, thetaRestored, "θ̄");
        assertEquals(tBar, tRestored, 0.0);
    }

    /**
     * Whole gradients: backprop with every stage saved against backprop that rebuilds the stages (a budget for the
     * states only), fixed and adaptive steps, with time gradients.
     */
    @Test
    void backpropWithSavedStagesHasTheBitsOfRebuiltStages() {
        double[] times = LayerFieldTest.TIMES;
        Loss loss = Loss.sumOfSquaresAfterStart();
        for (LayerField f : List.of(LayerFieldTest.everyKind(), concatSquashNet(), compositions().get(6))) {
            for (SolveOptions o : List.of(SolveOptions.builder().rtol(1e-6).atol(1e-8).build(),
                    SolveOptions.builder().steps(7).build())) {
                RungeKutta rk = o.controller().isAdaptive() ? RungeKutta.dopri5() : RungeKutta.rk4();
                GradientResult saved = Gradients.compute(f, Y0, ROWS, times, loss, rk, o, Backprop.storeAll(), true);
                assertTrue(saved.stats().stagesSaved(), f + ": every stage fits an unbounded store");
                long states = (saved.stats().forwardSteps() + 1) * 8L * ROWS * 2;
                GradientResult rebuilt = Gradients.compute(f, Y0, ROWS, times, loss, rk, o,
                        new Backprop(Checkpointing.budget(2 * states)), true);
                assertFalse(rebuilt.stats().stagesSaved(), "a budget for the states only");
                String what = f + ", " + rk.name();
                assertBits(rebuilt.dLdTheta(), saved.dLdTheta(), what + ": dL/dθ");
                assertBits(rebuilt.dLdy0(), saved.dLdy0(), what + ": dL/dy0");
                assertBits(rebuilt.dLdTimes(), saved.dLdTimes(), what + ": dL/dt");
                assertTrue(saved.stats().backwardNfe() < rebuilt.stats().backwardNfe(),
                        what + ": saved stages rebuild nothing: " + saved.stats() + " vs " + rebuilt.stats());
            }
        }
    }
}
