package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.FiniteDifferenceField;
import dev.panode.adjoint.models.LinearField;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The gradient, checkpoint-store and model-file part of the bad-input catalogue (docs/RELIABILITY.md): each case
 * raises the documented exception, its message names the argument and the value, and no off-heap store stays open.
 */
class BadInputCatalogueTest {
    private static final LinearField FIELD = LinearField.of(new double[][] {{-0.5, 1}, {-1, -0.5}});
    private static final double[] Y0 = {1, 0};
    private static final double[] TIMES = {0, 0.5, 1};
    private static final SolveOptions OPTS = SolveOptions.builder().rtol(1e-6).atol(1e-8).build();

    private static <T extends Throwable> T fails(Class<T> type, Executable call, String... parts) {
        long open = openBytesOnceCleanersAreDone();
        T e = assertThrows(type, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
        assertEquals(open, CheckpointStore.openBytesAllStores(), "every checkpoint store is freed after the failure");
        return e;
    }

    /**
     * The open bytes of all checkpoint stores once no unreachable session is left for its cleaner: an earlier test's
     * session left to the cleaner would otherwise be freed during the call and change the count.
     */
    private static long openBytesOnceCleanersAreDone() {
        long open = CheckpointStore.openBytesAllStores();
        for (int quiet = 0, waited = 0; quiet < 5 && waited < 200; waited++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = CheckpointStore.openBytesAllStores();
            quiet = now == open ? quiet + 1 : 0;
            open = now;
        }
        return open;
    }

    private static GradientResult grad(DifferentiableField f, double[] y0, double[] times, Loss loss, SolveOptions o,
                                       GradientMethod m) {
        return Gradients.compute(f, y0, 1, times, loss, RungeKutta.dopri5(), o, m);
    }

    @Test
    void wrongShapes() {
        fails(IllegalArgumentException.class, () -> grad(FIELD, new double[3], TIMES, Loss.sumOfSquaresAtEnd(), OPTS,
                Backprop.storeAll()), "y0", "got 3");
        fails(IllegalArgumentException.class, () -> grad(FIELD, Y0, new double[] {0}, Loss.sumOfSquaresAtEnd(), OPTS,
                Backprop.storeAll()), "times", "1 value");
        fails(IllegalArgumentException.class, () -> Gradients.compute(FIELD, Y0, 0, TIMES, Loss.sumOfSquaresAtEnd(),
                RungeKutta.dopri5(), OPTS, Backprop.storeAll()), "rows", "got 0");
        fails(IllegalArgumentException.class, () -> new Mlp(MlpArchitecture.mlp3Tanh(2, 4), new double[5]),
                "parameters.length", "got 5");
    }

    @Test
    void nonFiniteInitialStateParametersOrTimes() {
        fails(IllegalArgumentException.class, () -> grad(FIELD, new double[] {1, Double.NaN}, TIMES,
                Loss.sumOfSquaresAtEnd(), OPTS, Backprop.storeAll()), "y0[1]", "NaN");
        fails(IllegalArgumentException.class, () -> grad(FIELD, Y0, new double[] {0, Double.POSITIVE_INFINITY},
                Loss.sumOfSquaresAtEnd(), OPTS, Backprop.storeAll()), "times[1]", "Infinity");
        MlpArchitecture arch = MlpArchitecture.mlp3Tanh(2, 4);
        double[] theta = new double[arch.parameterCount()];
        theta[7] = Double.NaN;
        fails(IllegalArgumentException.class, () -> new Mlp(arch, theta), "parameters[7]", "NaN");
        fails(IllegalArgumentException.class, () -> new LinearField(new double[] {1, Double.NEGATIVE_INFINITY, 0, 1},
                2), "-Infinity");
    }

    @Test
    void observationTimesNotIncreasing() {
        fails(IllegalArgumentException.class, () -> grad(FIELD, Y0, new double[] {0, 0.7, 0.3},
                Loss.sumOfSquaresAtEnd(), OPTS, Backprop.storeAll()), "times", "times[1] = 0.7", "times[2] = 0.3");
        fails(IllegalArgumentException.class, () -> grad(FIELD, Y0, new double[] {0.5, 0.5},
                Loss.sumOfSquaresAtEnd(), OPTS, Backprop.storeAll()), "times[0] = 0.5", "times[1] = 0.5");
    }

    @Test
    void solveFailuresInsideAGradientFreeEveryStore() {
        SolveOptions tiny = OPTS.toBuilder().maxSteps(3).build();
        for (GradientMethod m : new GradientMethod[] {Backprop.storeAll(), new Backprop(Checkpointing.binomial(2)),
                InterpolatingAdjoint.of(AdjointNorm.SEMINORM), BacksolveAdjoint.of(AdjointNorm.SEMINORM)}) {
            SolveException e = fails(SolveException.class, () -> grad(FIELD, Y0, new double[] {0, 50},
                    Loss.sumOfSquaresAtEnd(), tiny, m), "MAX_STEPS_REACHED", "maxSteps = 3");
            assertEquals(Result.MAX_STEPS_REACHED, e.result());
        }
        // a field that turns NaN mid-solve
        DifferentiableField poisoned = new FiniteDifferenceField((t, y, out, rows, ws) -> {
            FIELD.evaluate(t, y, out, rows, null);
            if (t > 0.4) java.util.Arrays.fill(out, Double.NaN);
        }, 2);
        SolveException e = fails(SolveException.class, () -> grad(poisoned, Y0, TIMES, Loss.sumOfSquaresAtEnd(), OPTS,
                Backprop.storeAll()), "NONFINITE_STATE");
        assertEquals(Result.NONFINITE_STATE, e.result());
    }

    @Test
    void aLossThatThrowsPropagatesUnchangedAndFreesTheStore() {
        IllegalStateException boom = new IllegalStateException("loss exploded");
        Loss throwing = (times, states, rows, dim, gradients) -> {
            throw boom;
        };
        for (GradientMethod m : new GradientMethod[] {Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.SEMINORM),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM)}) {
            IllegalStateException e = fails(IllegalStateException.class, () -> grad(FIELD, Y0, TIMES, throwing, OPTS, m),
                    "loss exploded");
            assertSame(boom, e, "the caller's own exception, not a wrapper");
        }
    }

    @Test
    void aLossThatOverflowsIsNamedByItsOwnException() {
        // states of 1e200 square to +Infinity: the loss, not the solve, fails
        double[] huge = {1e200, 0};
        for (GradientMethod m : new GradientMethod[] {Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.SEMINORM),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM)}) {
            NonFiniteLossException e = fails(NonFiniteLossException.class,
                    () -> grad(FIELD, huge, TIMES, Loss.sumOfSquaresAtEnd(), OPTS, m), "loss", "Infinity");
            assertTrue(Double.isInfinite(e.value()), "the exception carries the value: " + e.value());
            assertEquals(-1, e.observation(), "the loss value itself, not a gradient entry");
        }
    }

    @Test
    void aLossWritingNaNIntoItsGradientIsRefused() {
        Loss sloppy = (times, states, rows, dim, gradients) -> {
            double l = Loss.sumOfSquaresAtEnd().evaluate(times, states, rows, dim, gradients);
            gradients[1][1] = Double.NaN;
            return l;
        };
        for (GradientMethod m : new GradientMethod[] {Backprop.storeAll(), InterpolatingAdjoint.of(AdjointNorm.SEMINORM),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM)}) {
            NonFiniteLossException e = fails(NonFiniteLossException.class,
                    () -> grad(FIELD, Y0, TIMES, sloppy, OPTS, m), "gradient", "observation 1", "t = 0.5",
                    "gradients[1][1]", "NaN");
            assertEquals(1, e.observation());
        }
        Loss infinite = (times, states, rows, dim, gradients) -> {
            double l = Loss.sumOfSquaresAtEnd().evaluate(times, states, rows, dim, gradients);
            gradients[2][0] = Double.NEGATIVE_INFINITY;
            return l;
        };
        fails(NonFiniteLossException.class, () -> grad(FIELD, Y0, TIMES, infinite, OPTS, Backprop.storeAll()),
                "observation 2", "gradients[2][0]", "-Infinity");
        // the built-in losses name themselves
        Loss mse = Loss.meanSquaredError(new double[][] {null, null, {Double.MAX_VALUE, 0}});
        fails(NonFiniteLossException.class, () -> grad(FIELD, new double[] {-1e300, 0}, TIMES, mse, OPTS,
                Backprop.storeAll()), "MeanSquaredError");
    }

    @Test
    void aCheckpointBudgetBelowOneStateIsABudgetError() {
        // one state is 2 doubles = 16 bytes; 8 bytes hold none, with a known step count (revolve's first sweep) and
        // with adaptive steps
        SolveOptions fixed = SolveOptions.builder().steps(40).build();
        for (SolveOptions o : new SolveOptions[] {fixed, OPTS}) {
            CheckpointBudgetExceededException e = fails(CheckpointBudgetExceededException.class,
                    () -> grad(FIELD, Y0, TIMES, Loss.sumOfSquaresAtEnd(), o, new Backprop(Checkpointing.budget(8))),
                    "budget of 8 bytes", "16 bytes");
            assertTrue(e.getMessage().contains("one slot"), e.getMessage());
        }
        // the case: a batch of 2 four-dimensional... here 2 × 2 = 32 bytes per state against 16
        fails(CheckpointBudgetExceededException.class, () -> Gradients.compute(FIELD, new double[] {1, 0, 0, 1}, 2,
                TIMES, Loss.sumOfSquaresAtEnd(), RungeKutta.rk4(), fixed, new Backprop(Checkpointing.budget(16))),
                "budget of 16 bytes");
        // the exact fit still works: one slot
        GradientResult g = grad(FIELD, Y0, TIMES, Loss.sumOfSquaresAtEnd(), fixed, new Backprop(Checkpointing.budget(16)));
        assertTrue(Double.isFinite(g.loss()));
    }

    @Test
    void closedCheckpointStore() {
        CheckpointStore store = new CheckpointStore(4, 1 << 16);
        store.write(0, new double[4], 0);
        store.close();
        store.close(); // idempotent
        fails(IllegalStateException.class, () -> store.write(1, new double[4], 0), "closed", "slot 1");
        fails(IllegalStateException.class, () -> store.read(0, new double[4], 0), "closed", "slot 0");
        try (CheckpointStore open = new CheckpointStore(4, 64)) {
            fails(CheckpointBudgetExceededException.class, () -> open.write(2, new double[4], 0), "64", "slot 2");
            fails(IllegalArgumentException.class, () -> open.write(0, new double[3], 0), "length 3");
            fails(IllegalArgumentException.class, () -> open.read(1, new double[4], 0), "slot 1", "never written");
        }
    }
}
