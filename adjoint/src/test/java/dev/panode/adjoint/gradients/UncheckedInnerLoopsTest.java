package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.PerStepParameters;
import dev.panode.solvers.AdamsBashforth;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.LinearMultistep;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks once, at the edge: every gradient method, once its entry has checked the problem, calls only the fields'
 * unchecked methods ({@code evaluateUnchecked}, {@code vjpUnchecked}, {@code evaluateSavingUnchecked},
 * {@code vjpFromSavedUnchecked}, the per-step primitives' unchecked forms) inside its loops, and gets the same bits as
 * through the checked ones.
 */
class UncheckedInnerLoopsTest {
    private static final Mlp MLP = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 3);
    private static final double[] Y0 = {0.5, -0.3, 1.0, 0.2};
    private static final double[] T = {0, 0.3, 1};
    private static final SolveOptions TOLERANCES = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();

    /** The MLP, counting the calls of its checked methods (a field as a user could write it). */
    static class Counting implements DifferentiableField {
        final Mlp mlp;
        final AtomicInteger checkedCalls = new AtomicInteger();

        Counting(Mlp mlp) {
            this.mlp = mlp;
        }

        @Override
        public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            checkedCalls.incrementAndGet();
            mlp.evaluate(t, y, dyOut, rows, ws);
        }

        @Override
        public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            mlp.evaluateUnchecked(t, y, dyOut, rows, ws);
        }

        @Override
        public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
                          boolean wantTime, FieldWorkspace ws) {
            checkedCalls.incrementAndGet();
            return mlp.vjp(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
        }

        @Override
        public double vjpUnchecked(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                                   int rows, boolean wantTime, FieldWorkspace ws) {
            return mlp.vjpUnchecked(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
        }

        @Override
        public void evaluateSaving(double t, double[] y, double[] out, double[] saved, int rows, FieldWorkspace ws) {
            checkedCalls.incrementAndGet();
            mlp.evaluateSaving(t, y, out, saved, rows, ws);
        }

        @Override
        public void evaluateSavingUnchecked(double t, double[] y, double[] out, double[] saved, int rows,
                                            FieldWorkspace ws) {
            mlp.evaluateSavingUnchecked(t, y, out, saved, rows, ws);
        }

        @Override
        public double vjpFromSaved(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar, int rows,
                                   boolean wantTime, FieldWorkspace ws) {
            checkedCalls.incrementAndGet();
            return mlp.vjpFromSaved(t, saved, v, yBar, thetaBar, rows, wantTime, ws);
        }

        @Override
        public double vjpFromSavedUnchecked(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar,
                                            int rows, boolean wantTime, FieldWorkspace ws) {
            return mlp.vjpFromSavedUnchecked(t, saved, v, yBar, thetaBar, rows, wantTime, ws);
        }

        @Override
        public int savedLength(int rows) {
            return mlp.savedLength(rows);
        }

        @Override
        public int dim() {
            return mlp.dim();
        }

        @Override
        public int parameterCount() {
            return mlp.parameterCount();
        }

        @Override
        public double[] parameters() {
            return mlp.parameters();
        }

        @Override
        public int[] parameterTensorSizes() {
            return mlp.parameterTensorSizes();
        }

        @Override
        public FieldWorkspace newWorkspace(int maxRows) {
            return mlp.newWorkspace(maxRows);
        }
    }

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("backprop, stages saved", Backprop.storeAll()),
                Arguments.of("backprop, binomial (stages rebuilt)", new Backprop(Checkpointing.binomial(2))),
                Arguments.of("backsolve", BacksolveAdjoint.of(AdjointNorm.FULL)),
                Arguments.of("backsolve-seminorm", BacksolveAdjoint.of(AdjointNorm.SEMINORM)),
                Arguments.of("interpolating", InterpolatingAdjoint.of(AdjointNorm.FULL)),
                Arguments.of("interpolating-seminorm", InterpolatingAdjoint.of(AdjointNorm.SEMINORM)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void gradientLoopsCallNoCheckedFieldMethod(String name, GradientMethod method) {
        Counting field = new Counting(MLP);
        GradientResult unchecked = Gradients.of(OdeProblem.of(field, Y0, T), Loss.sumOfSquaresAfterStart())
                .options(TOLERANCES).gradientMethod(method).compute();
        assertEquals(0, field.checkedCalls.get(), name + ": checked field calls inside the loops");
        GradientResult direct = Gradients.of(OdeProblem.of(MLP, Y0, T), Loss.sumOfSquaresAfterStart())
                .options(TOLERANCES).gradientMethod(method).compute();
        assertEquals(direct.loss(), unchecked.loss(), name);
        assertArrayEquals(direct.dLdy0(), unchecked.dLdy0(), name);
        assertArrayEquals(direct.dLdTheta(), unchecked.dLdTheta(), name);
        assertEquals(direct.stats(), unchecked.stats(), name);
    }

    @Test
    void multistepLoopsCallNoCheckedFieldMethod() {
        Counting field = new Counting(MLP);
        LinearMultistep ab3 = AdamsBashforth.of(3);
        SolveOptions steps = SolveOptions.builder().steps(20).build();
        MultistepBackprop backprop = new MultistepBackprop(ab3, MultistepBackprop.Mode.EXACT);
        double[] ends = {0, 1};
        GradientResult unchecked = Gradients.of(OdeProblem.of(field, Y0, ends), Loss.sumOfSquaresAtEnd()).method(ab3)
                .options(steps).gradientMethod(backprop).compute();
        assertEquals(0, field.checkedCalls.get(), "checked field calls inside the multistep loops");
        GradientResult direct = Gradients.of(OdeProblem.of(MLP, Y0, ends), Loss.sumOfSquaresAtEnd()).method(ab3)
                .options(steps).gradientMethod(backprop).compute();
        assertArrayEquals(direct.dLdy0(), unchecked.dLdy0());
        assertArrayEquals(direct.dLdTheta(), unchecked.dLdTheta());
    }

    @Test
    void theCheckedPublicMethodsStillRefuseBadArguments() {
        FieldWorkspace ws = MLP.newWorkspace(2);
        double[] y = new double[4], v = new double[4], shortBar = new double[3], saved = new double[MLP.savedLength(2)];
        for (var call : List.<Runnable>of(
                () -> MLP.vjp(0, y, v, shortBar, null, null, 2, false, ws),
                () -> MLP.evaluateSaving(0, y, shortBar, saved, 2, ws),
                () -> MLP.vjpFromSaved(0, saved, v, shortBar, null, 2, false, ws),
                () -> MLP.vjp(0, y, v, new double[4], null, null, 3, false, ws),
                () -> PerStepParameters.replicate(MLP, 2).evaluateAtStep(0, 0, y, shortBar, 2,
                        PerStepParameters.replicate(MLP, 2).newWorkspace(2)))) {
            assertThrows(IllegalArgumentException.class, call::run);
        }
    }
}
