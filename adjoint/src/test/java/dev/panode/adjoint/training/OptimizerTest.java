package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panode.blas.testing.Allocations;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static final double[][] GRADIENTS = {{0.5, 3.0}, {-1.0, 0.25}, {2.0, -4.0}};

    @Test
    void adamFirstStepMovesByLearningRateTimesSign() {
        // t = 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g², so θ -= lr·g/(|g| + ε).
        double[] theta = {1.0, -2.0};
        Optimizer.State s = new Adam(0.1).start(2);
        s.step(theta, GRADIENTS[0].clone());
        assertEquals(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), theta[0], 1e-15);
        assertEquals(-2.0 - 0.1 * 3.0 / (3.0 + 1e-8), theta[1], 1e-15);
        assertEquals(1, s.steps());
    }

    @Test
    void adamMatchesTorchUpdateRuleOverThreeSteps() {
        // Values of torch.optim.Adam's update rule (lr 0.1, β = (0.9, 0.999), ε = 1e-8), computed by hand in float64.
        double[][] expected = {
            {0.900000002, -2.0999999996666667},
            {0.9366103542405654, -2.172956930728806},
            {0.8946447927181046, -2.155788100075711}};
        double[] theta = {1.0, -2.0};
        Optimizer.State s = new Adam(0.1, 0.9, 0.999, 1e-8).start(2);
        for (int t = 0; t < 3; t++) {
            s.step(theta, GRADIENTS[t]);
            assertEquals(expected[t][0], theta[0], 1e-14, "step " + (t + 1));
            assertEquals(expected[t][1], theta[1], 1e-14, "step " + (t + 1));
        }
    }

    @Test
    void sgdWithMomentumMatchesTorchUpdateRule() {
        // torch.optim.SGD(lr 0.1, momentum 0.9): b = g on step 1, then b = 0.9 b + g; θ -= 0.1 b.
        double[][] expected = {{0.95, -2.3}, {1.005, -2.595}, {0.8545, -2.4605}};
        double[] theta = {1.0, -2.0};
        Optimizer.State s = new Sgd(0.1, 0.9).start(2);
        for (int t = 0; t < 3; t++) {
            s.step(theta, GRADIENTS[t]);
            assertEquals(expected[t][0], theta[0], 1e-14);
            assertEquals(expected[t][1], theta[1], 1e-14);
        }
    }

    @Test
    void rmsPropMatchesTorchOverThreeSteps() {
        // torch.optim.RMSprop([θ], lr=0.1) in float64 (torch 1.13), θ0 = (1, −2), the gradients below.
        double[][] grads = {{0.5, -3.0}, {-0.25, 1.0}, {2.0, 0.125}};
        double[][] expected = {{1.9999996048181146e-07, -1.0000000333333325},
                {0.44901337442175077, -1.3176604922374133}, {-0.5146993220302449, -1.3575363480956397}};
        double[] theta = {1.0, -2.0};
        Optimizer.State s = new RmsProp(0.1).start(2);
        for (int k = 0; k < 3; k++) {
            s.step(theta, grads[k]);
            assertEquals(expected[k][0], theta[0], 1e-15, "step " + (k + 1));
            assertEquals(expected[k][1], theta[1], 1e-15, "step " + (k + 1));
        }
        assertEquals(3, s.steps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RmsProp(0.1, 1.0, 1e-8));
        assertEquals("alpha must be in [0, 1), got 1.0", e.getMessage());
    }

    @Test
    void plainSgdIsGradientDescent() {
        double[] theta = {1.0, -2.0};
        new Sgd(0.25).start(2).step(theta, new double[] {2.0, -4.0});
        assertEquals(0.5, theta[0], 0.0);
        assertEquals(-1.0, theta[1], 0.0);
    }

    @Test
    void adamMinimisesAQuadratic() {
        // f(θ) = Σ cᵢ (θᵢ − 1)², badly scaled; Adam is scale-free and reaches the minimum.
        double[] c = {100.0, 1.0, 0.01};
        double[] theta = new double[3];
        double[] g = new double[3];
        Optimizer.State s = new Adam(0.05).start(3);
        for (int it = 0; it < 3000; it++) {
            for (int i = 0; i < 3; i++) g[i] = 2 * c[i] * (theta[i] - 1.0);
            s.step(theta, g);
        }
        for (double v : theta) assertEquals(1.0, v, 1e-2);
    }

    @Test
    void stepsAllocateNothing() {
        int n = 1000;
        double[] theta = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = Math.sin(i);
        Optimizer.State adam = new Adam(1e-3).start(n);
        Optimizer.State sgd = new Sgd(1e-3, 0.9).start(n);
        Allocations.assertNoAllocation("an Adam and an SGD step", 20_000, 1000, () -> {
            adam.step(theta, g);
            sgd.step(theta, g);
        });
    }

    @Test
    void learningRateScaleScalesTheStep() {
        double[] a = {1.0}, b = {1.0};
        new Adam(0.1).start(1).step(a, new double[] {0.5}, 0.5);
        new Adam(0.05).start(1).step(b, new double[] {0.5});
        assertEquals(b[0], a[0], 1e-16);
        double[] c = {1.0};
        new Sgd(0.2).start(1).step(c, new double[] {1.0}, 0.25);
        assertEquals(0.95, c[0], 1e-16);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.2).start(1).step(c, new double[1], -1.0));
    }

    @Test
    void cosineScheduleGoesFromOneToTheFinalFactor() {
        LearningRateSchedule s = LearningRateSchedule.cosine(0.05);
        assertEquals(1.0, s.factor(0, 100), 1e-15);
        assertEquals(0.525, s.factor(50, 100), 1e-15);
        assertEquals(0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * 0.99)), s.factor(99, 100), 1e-15);
        assertEquals(1.0, LearningRateSchedule.constant().factor(7, 10), 0.0);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1.5));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(1e-3, 1.0, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-1.0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, 1.0));
        Optimizer.State s = new Adam(1e-3).start(3);
        var e = assertThrows(IllegalArgumentException.class, () -> s.step(new double[2], new double[3]));
        assertEquals("theta.length must be 3, got 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.step(new double[3], new double[4]));
    }
}
