package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.FieldWorkspace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop on dy/dt = θ·y, whose flow y0·exp(θt) and gradient are known in closed form. */
class TrainerTest {

    /** f(y) = θ y, one parameter. */
    static final class Rate implements DifferentiableField {
        final double[] theta;

        Rate(double theta) {
            this.theta = new double[] {theta};
        }

        @Override public int parameterCount() { return 1; }
        @Override public double[] parameters() { return theta; }
        @Override public int dim() { return 1; }

        @Override
        public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) dyOut[r] = theta[0] * y[r];
        }

        @Override
        public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
                          boolean wantTime, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                yBar[r] = v[r] * theta[0];
                if (thetaBar != null) thetaBar[0] += v[r] * y[r];
                if (fOut != null) fOut[r] = theta[0] * y[r];
            }
            return 0.0;
        }
    }

    /** Mean squared error of the exact flow over the batch, with its exact gradient in θ. */
    static BatchGradient exactMse(Rate field) {
        return (batch, gradient) -> {
            double th = field.theta[0];
            double[] t = batch.times();
            int n = batch.size();
            double loss = 0.0, g = 0.0;
            int terms = t.length * n;
            for (int k = 0; k < t.length; k++) for (int b = 0; b < n; b++) {
                double y0 = batch.y0()[b];
                double pred = y0 * Math.exp(th * t[k]);
                double r = pred - batch.targets()[k * n + b];
                loss += r * r / terms;
                g += 2 * r * pred * t[k] / terms;
            }
            gradient[0] = g;
            return new BatchGradient.Step(loss, t.length, 2L * t.length);
        };
    }

    static TrajectoryDataset decay(double rate) {
        int k = 50;
        double[] t = new double[k], v = new double[2 * k];
        for (int j = 0; j < k; j++) {
            t[j] = 0.1 * j;
            v[j] = 2.0 * Math.exp(rate * t[j]);
            v[k + j] = -1.0 * Math.exp(rate * t[j]);
        }
        return new TrajectoryDataset(t, v, 2, 1);
    }

    @Test
    void learnsTheRateAndTheLossFallsByAFactorOfAThousand() {
        Rate field = new Rate(0.0);
        Trainer trainer = new Trainer(new Adam(0.05), Trainer.Config.builder().iterations(300).batchSize(8).windowLength(10).seed(3).build());
        List<Trainer.Iteration> seen = new ArrayList<>();
        Trainer.TrainingResult result = trainer.train(field, decay(-0.7), exactMse(field), seen::add);
        assertEquals(300, seen.size());
        assertEquals(300, seen.get(299).iteration());
        assertEquals(10L * 300, result.nfeForward());
        assertEquals(20L * 300, result.nfeBackward());
        assertTrue(result.finalLoss() < result.losses()[0] / 1000, "loss " + result.losses()[0] + " -> " + result.finalLoss());
        assertEquals(-0.7, field.theta[0], 1e-2);
    }

    @Test
    void deterministicForASeed() {
        Rate a = new Rate(0.3), b = new Rate(0.3), c = new Rate(0.3);
        TrajectoryDataset data = decay(-0.7);
        double[] la = new Trainer(new Adam(0.01), new Trainer.Config(40, 4, 5, 11)).train(a, data, exactMse(a), Trainer.Listener.NONE).losses();
        double[] lb = new Trainer(new Adam(0.01), new Trainer.Config(40, 4, 5, 11)).train(b, data, exactMse(b), Trainer.Listener.NONE).losses();
        double[] lc = new Trainer(new Adam(0.01), new Trainer.Config(40, 4, 5, 12)).train(c, data, exactMse(c), Trainer.Listener.NONE).losses();
        assertArrayEquals(la, lb, 0.0);
        assertEquals(a.theta[0], b.theta[0], 0.0);
        assertTrue(a.theta[0] != c.theta[0], "another seed draws other windows");
    }

    @Test
    void fullBatchTrainingWithSgd() {
        Rate field = new Rate(0.0);
        var result = new Trainer(new Sgd(0.05, 0.5), Trainer.Config.builder().iterations(200).fullTrajectories().build())
                .train(field, decay(-0.3), exactMse(field), Trainer.Listener.NONE);
        assertTrue(result.finalLoss() < 1e-6 * result.losses()[0]);
    }

    @Test
    void nonFiniteLossStopsWithTheIteration() {
        Rate field = new Rate(0.0);
        BatchGradient broken = (batch, g) -> new BatchGradient.Step(Double.NaN, 1, 1);
        var e = assertThrows(IllegalStateException.class, () -> new Trainer(new Adam(0.1), new Trainer.Config(5, 2, 3, 0))
                .train(field, decay(-0.3), broken, Trainer.Listener.NONE));
        assertTrue(e.getMessage().contains("iteration 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Trainer.Config(0, 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Trainer.Config(1, 1, 1, 0));
    }
}
