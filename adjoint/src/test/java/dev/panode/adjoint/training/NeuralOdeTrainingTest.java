package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.AdjointNorm;
import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.BacksolveAdjoint;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.InterpolatingAdjoint;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.SpiralField;
import dev.panode.adjoint.models.Activation;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Training a real MLP neural ODE on the spiral of torchdiffeq's ode_demo, through {@link BatchGradients}. */
class NeuralOdeTrainingTest {
    private static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();

    /** 400 observations of the spiral on [0, 10] from y0 = (2, 0). */
    static TrajectoryDataset spiral() {
        return spiral(400, 10.0);
    }

    /** The spiral observed at {@code k} equally spaced times on [0, tEnd]. */
    static TrajectoryDataset spiral(int k, double tEnd) {
        double[] t = new double[k];
        for (int i = 0; i < k; i++) t[i] = tEnd * i / (k - 1);
        double[] y = Solver.solve(SpiralField.torchdiffeqDemo(), new double[] {2.0, 0.0}, 1, 0.0, tEnd,
                RungeKutta.dopri5(), SolveOptions.builder().rtol(1e-10).atol(1e-12).saveAt(SaveAt.times(t)).build())
                .states();
        return TrajectoryDataset.single(t, y, 2);
    }

    static Mlp model() {
        MlpArchitecture a = MlpArchitecture.of(2, 50, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        return Mlp.initialised(a, Initialisation.XAVIER_NORMAL, 7, 0.1 / Math.sqrt(2.0 / 52));
    }

    /** The mean loss over a fixed set of 100 windows (the same before and after training). */
    static double evaluationLoss(Mlp model, TrajectoryDataset data) {
        TrajectoryDataset.Batch batch = data.newBatch(100, 10);
        data.sampleWindows(new SplittableRandom(12345), batch);
        BatchGradient g = BatchGradients.meanSquaredError(model, RungeKutta.dopri5(), OPTIONS, Backprop.storeAll());
        return g.compute(batch, new double[model.parameterCount()]).loss();
    }

    @Test
    void twoHundredIterationsLowerTheLossTwentyFold() {
        TrajectoryDataset data = spiral();
        Mlp model = model();
        double before = evaluationLoss(model, data);
        Trainer trainer = new Trainer(new Adam(0.01), Trainer.Config.builder().iterations(200).batchSize(20).windowLength(10).seed(1).build(), LearningRateSchedule.cosine(0.05));
        Trainer.TrainingResult r = trainer.train(model, data,
                BatchGradients.meanSquaredError(model, RungeKutta.dopri5(), OPTIONS, Backprop.storeAll()),
                Trainer.Listener.NONE);
        double after = evaluationLoss(model, data);
        System.out.printf("spiral, 200 iterations, backprop: evaluation loss %.3e -> %.3e (%.0fx)%n", before, after,
                before / after);
        assertTrue(after < before / 20, "evaluation loss " + before + " -> " + after);
        assertTrue(r.nfeForward() > 200 && r.nfeBackward() > 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adjoint", "adjoint-seminorm", "interpolating"})
    void everyGradientMethodTrains(String name) {
        GradientMethod method = switch (name) {
            case "adjoint" -> BacksolveAdjoint.of(AdjointNorm.FULL);
            case "adjoint-seminorm" -> BacksolveAdjoint.of(AdjointNorm.SEMINORM);
            default -> InterpolatingAdjoint.of(AdjointNorm.FULL);
        };
        TrajectoryDataset data = spiral();
        Mlp model = model();
        double before = evaluationLoss(model, data);
        new Trainer(new Adam(0.01), new Trainer.Config(60, 20, 10, 1))
                .train(model, data, BatchGradients.meanSquaredError(model, RungeKutta.dopri5(), OPTIONS, method),
                        Trainer.Listener.NONE);
        double after = evaluationLoss(model, data);
        System.out.printf("spiral, 60 iterations, %s: evaluation loss %.3e -> %.3e (%.0fx)%n", name, before, after,
                before / after);
        assertTrue(after < before / 10, name + ": evaluation loss " + before + " -> " + after);
    }

    @Test
    void windowLossEqualsTheLibraryMeanSquaredError() {
        TrajectoryDataset data = spiral();
        Mlp model = model();
        TrajectoryDataset.Batch batch = data.newBatch(5, 6);
        data.sampleWindows(new SplittableRandom(4), batch);
        double[] g = new double[model.parameterCount()];
        BatchGradient.Step step = BatchGradients.meanSquaredError(model, RungeKutta.dopri5(), OPTIONS,
                Backprop.storeAll()).compute(batch, g);
        int n = batch.size() * batch.dim();
        double[][] targets = new double[batch.windowLength()][];
        for (int i = 1; i < targets.length; i++) {
            targets[i] = java.util.Arrays.copyOfRange(batch.targets(), i * n, (i + 1) * n);
        }
        GradientResult want = Gradients.compute(model, batch.y0(), batch.size(), batch.times(),
                Loss.meanSquaredError(targets), RungeKutta.dopri5(), OPTIONS, Backprop.storeAll());
        assertEquals(want.loss(), step.loss(), 1e-15 * want.loss());
        assertArrayEquals(want.dLdTheta(), g, 1e-14);
        assertEquals(want.stats().forwardNfe(), step.nfeForward());
    }

    @Test
    void trainingIsDeterministicForASeed() {
        TrajectoryDataset data = spiral();
        Mlp a = model(), b = model();
        Trainer trainer = new Trainer(new Adam(0.01), new Trainer.Config(15, 8, 5, 99));
        double[] la = trainer.train(a, data, BatchGradients.meanSquaredError(a, RungeKutta.tsit5(), OPTIONS,
                Backprop.storeAll()), Trainer.Listener.NONE).losses();
        double[] lb = trainer.train(b, data, BatchGradients.meanSquaredError(b, RungeKutta.tsit5(), OPTIONS,
                Backprop.storeAll()), Trainer.Listener.NONE).losses();
        assertArrayEquals(la, lb, 0.0);
        assertArrayEquals(a.parameters(), b.parameters(), 0.0);
    }
}
