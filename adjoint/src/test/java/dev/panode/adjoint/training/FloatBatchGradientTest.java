package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.models.Mlp;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.api.Test;

/**
 * float32 training of the spiral demo's model (MLP 2 → 50 → 2 on y³) against the same run in float64: the same
 * windows, the same optimiser, the model's parameters starting equal.
 */
class FloatBatchGradientTest {
    /** Tolerances a float solve can honour (float's unit roundoff is 6e-8; 1e-7 would be below its noise). */
    private static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-5).atol(1e-7).build();

    /**
     * 60 iterations of RMSprop (lr 1e-3, ode_demo's) in float32 and in float64. The float gradient of one iteration
     * differs from the double one by float rounding amplified by the flow (BackpropF32Test bounds it, about 1e-5
     * relative here); RMSprop's steps are nearly sign steps of size lr, so the parameters stay within a few lr of
     * each other and every batch loss agrees to 2% (the windows are the same; the measured worst is printed). The
     * float solve takes about as many steps: its NFE per iteration stays within 25% of the double's.
     */
    @Test
    void floatTrainingFollowsTheDoubleLossTrajectory() {
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        Mlp m64 = NeuralOdeTrainingTest.model();
        Mlp m32 = NeuralOdeTrainingTest.model();
        Trainer trainer = new Trainer(new RmsProp(1e-3), new Trainer.Config(60, 20, 10, 5));
        Trainer.TrainingResult r64, r32;
        try (BatchGradient g64 = BatchGradients.meanAbsoluteError(m64, RungeKutta.dopri5(), OPTIONS, Backprop.storeAll());
             BatchGradient g32 = BatchGradients.meanAbsoluteErrorF32(m32, RungeKutta.dopri5(), OPTIONS)) {
            r64 = trainer.train(m64, data, g64, Trainer.Listener.NONE);
            r32 = trainer.train(m32, data, g32, Trainer.Listener.NONE);
        }
        double worst = 0;
        for (int i = 0; i < 60; i++) {
            double rel = Math.abs(r32.losses()[i] - r64.losses()[i]) / r64.losses()[i];
            worst = Math.max(worst, rel);
            assertTrue(rel < 0.02, "iteration " + (i + 1) + ": float32 loss " + r32.losses()[i] + ", float64 "
                    + r64.losses()[i]);
        }
        assertTrue(r32.finalLoss() < 0.7 * r32.losses()[0], "float32 training lowers the loss: " + r32.losses()[0]
                + " -> " + r32.finalLoss());
        double nfe32 = r32.nfeForward() + r32.nfeBackward(), nfe64 = r64.nfeForward() + r64.nfeBackward();
        System.out.printf("float32 vs float64 training, 60 iterations: worst relative loss gap %.2e, loss %.4e -> "
                + "%.4e (f64 %.4e -> %.4e), NFE forward/backward %d/%d (f64 %d/%d)%n", worst, r32.losses()[0],
                r32.finalLoss(), r64.losses()[0], r64.finalLoss(), r32.nfeForward(), r32.nfeBackward(),
                r64.nfeForward(), r64.nfeBackward());
        assertTrue(Math.abs(nfe32 / nfe64 - 1) < 0.25, "NFE float32 " + nfe32 + ", float64 " + nfe64);
    }

    /** As BatchGradientSessionTest's double run: 8 iterations allocate exactly the 4 more history doubles of 4. */
    @Test
    void aFloatTrainingIterationAllocatesNothingOnceWarm() {
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        Mlp model = NeuralOdeTrainingTest.model();
        try (BatchGradient gradient = BatchGradients.meanAbsoluteErrorF32(model, RungeKutta.dopri5(), OPTIONS)) {
            BatchGradientSessionTest.assertWarmIterationsAllocateNothing("float32 backprop", model, data, gradient);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Mlp model = NeuralOdeTrainingTest.model();
        String m = assertThrows(IllegalArgumentException.class,
                () -> BatchGradients.meanAbsoluteErrorF32(null, RungeKutta.dopri5(), OPTIONS)).getMessage();
        assertEquals("field must be non-null", m);
        TrajectoryDataset data = NeuralOdeTrainingTest.spiral();
        TrajectoryDataset.Batch batch = data.newBatch(4, 10);
        try (BatchGradient g = BatchGradients.meanAbsoluteErrorF32(model, RungeKutta.dop853Dense(), OPTIONS)) {
            m = assertThrows(IllegalArgumentException.class, () -> g.compute(batch, new double[model.parameterCount()]))
                    .getMessage();
            assertTrue(m.contains("dop853-dense"), m);
        }
        try (BatchGradient g = BatchGradients.meanAbsoluteErrorF32(model, RungeKutta.dopri5(), OPTIONS)) {
            m = assertThrows(IllegalArgumentException.class, () -> g.compute(batch, new double[3])).getMessage();
            assertEquals("gradient.length must be " + model.parameterCount() + ", got 3", m);
        }
    }
}
