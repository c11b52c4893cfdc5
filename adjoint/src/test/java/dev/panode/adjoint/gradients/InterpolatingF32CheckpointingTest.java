package dev.panode.adjoint.gradients;

import static dev.panode.adjoint.gradients.FloatBudgetFixtures.LANDING;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.SMALL;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.TD;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.TIGHT;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.TIMED;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.floats;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.grid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link InterpolatingF32} under a {@link Checkpointing} budget: the gradient of every budget and slot count has the
 * bits of {@link Checkpointing#all()} (the replayed float steps rebuild the dense output the solve recorded, bit for
 * bit), what it keeps stays within the budget, every step is replayed when the dense output does not fit, and a warm
 * gradient allocates nothing.
 */
class InterpolatingF32CheckpointingTest {
    /** {@link FloatBudgetFixtures#sameBits}, and the same backward steps (the backward solves took the same steps). */
    private static void sameBits(GradientResultF32 want, GradientResultF32 got, String what) {
        FloatBudgetFixtures.sameBits(want, got, what);
        assertEquals(want.backwardSteps(), got.backwardSteps(), "backward steps of " + what);
    }

    /**
     * All against slot counts from 1 to past the step count and budgets from one state to every step's dense output,
     * each run twice on its session (the second reuses the pooled rows and segments).
     */
    private static void everyBudgetGivesTheBitsOfAll(Mlp mlp, int rows, OdeMethod method, SolveOptions options,
                                                    double[] times, Loss loss, AdjointNorm norm) {
        MlpF32 f32 = MlpF32.of(mlp);
        int n = rows * mlp.dim();
        float[] y0 = floats(new SplittableRandom(17), n);
        InterpolatingF32 all = InterpolatingF32.session(f32, rows, method, options, norm);
        GradientResultF32 want = all.compute(y0, times, loss);
        int steps = (int) want.steps();
        int s = ((RungeKutta) method).tableau().stages();
        String base = method.name() + " " + norm + ", " + times.length + " times, rows " + rows + ", " + steps
                + " steps";
        assertTrue(steps >= 4, base);
        assertEquals(0, want.stepsRecomputed(), base);
        long stateBytes = 4L * n;
        long records = 4L * steps * (s + 1) * n;
        assertEquals(records, want.checkpointBytes(), "bytes of every step's dense output, " + base);
        List<Checkpointing> modes = new ArrayList<>();
        for (int k : new int[] {1, 2, 3, 5, steps / 2, steps - 1, steps, steps + 3, steps * (s + 1)}) {
            modes.add(Checkpointing.binomial(Math.max(1, k)));
        }
        for (long b : new long[] {stateBytes, stateBytes + 3, 4 * stateBytes, records / 3, records - 1, records}) {
            modes.add(Checkpointing.budget(b));
        }
        long maxRecomputed = 0;
        for (Checkpointing c : modes) {
            InterpolatingF32 bounded = InterpolatingF32.session(f32, rows, method, options, norm, c);
            long budget = c instanceof Checkpointing.Budget b ? b.bytes() : ((Checkpointing.Binomial) c).slots()
                    * stateBytes;
            for (int call = 0; call < 2; call++) {
                GradientResultF32 got = bounded.compute(y0, times, loss);
                String what = c + " (call " + call + ") against all, " + base;
                sameBits(want, got, what);
                assertTrue(got.checkpointBytes() <= budget, "kept " + got.checkpointBytes() + " bytes, " + what);
                assertTrue(bounded.heldBytes() <= budget, "held " + bounded.heldBytes() + " bytes, " + what);
                if (budget >= records) {
                    assertEquals(records, got.checkpointBytes(), what);
                    assertEquals(0, got.stepsRecomputed(), what);
                    assertEquals(want.backwardNfe(), got.backwardNfe(), "backward NFE, " + what);
                } else {
                    // every step's dense output is rebuilt at least once, each by s − 1 evaluations (s after a kept state)
                    // and, segments being at least 8 steps, rejected backward steps rarely replay one again
                    assertTrue(got.stepsRecomputed() >= steps && got.stepsRecomputed() <= 2L * steps,
                            got.stepsRecomputed() + " steps replayed, " + what);
                    assertTrue(got.backwardNfe() >= want.backwardNfe() + (s - 1) * got.stepsRecomputed(), what);
                    maxRecomputed = Math.max(maxRecomputed, got.stepsRecomputed());
                }
            }
        }
        System.out.println("InterpolatingF32 under budgets: " + base + ", at most " + maxRecomputed
                + " steps replayed");
    }

    @Test
    void dopri5UnderEveryBudgetGivesTheBitsOfAll() {
        for (AdjointNorm norm : AdjointNorm.values()) {
            everyBudgetGivesTheBitsOfAll(SMALL, 16, RungeKutta.dopri5(), TIGHT, new double[] {0, 6},
                    Loss.sumOfSquaresAtEnd(), norm);
            everyBudgetGivesTheBitsOfAll(SMALL, 3, RungeKutta.dopri5(), TIGHT, grid(9, 6),
                    Loss.sumOfSquaresAfterStart(), norm);
        }
        everyBudgetGivesTheBitsOfAll(SMALL, 3, RungeKutta.dopri5(), LANDING, grid(5, 6), Loss.sumOfSquaresAfterStart(),
                AdjointNorm.SEMINORM);
        everyBudgetGivesTheBitsOfAll(TIMED, 5, RungeKutta.dopri5(), TD, grid(41, 4), Loss.sumOfSquaresAfterStart(),
                AdjointNorm.FULL);
        // enough steps for the stride to double several times under the small budgets
        everyBudgetGivesTheBitsOfAll(TIMED, 2, RungeKutta.dopri5(), TIGHT, grid(3, 40), Loss.sumOfSquaresAfterStart(),
                AdjointNorm.SEMINORM);
    }

    @Test
    void otherMethodsUnderEveryBudgetGiveTheBitsOfAll() {
        everyBudgetGivesTheBitsOfAll(SMALL, 4, RungeKutta.tsit5(), LANDING, grid(4, 6), Loss.sumOfSquaresAfterStart(),
                AdjointNorm.SEMINORM);
        everyBudgetGivesTheBitsOfAll(TIMED, 5, RungeKutta.bosh3(), TD, grid(7, 4), Loss.sumOfSquaresAfterStart(),
                AdjointNorm.FULL);
    }

    @Test
    void aBudgetTooSmallForY0IsRefusedNamingIt() {
        MlpF32 f32 = MlpF32.of(SMALL);
        CheckpointBudgetExceededException e = assertThrows(CheckpointBudgetExceededException.class,
                () -> InterpolatingF32.session(f32, 16, RungeKutta.dopri5(), TD, AdjointNorm.SEMINORM,
                        Checkpointing.budget(127)));
        assertEquals("checkpoint budget of 127 bytes cannot hold one slot of 32 floats (128 bytes)", e.getMessage());
        InterpolatingF32.session(f32, 16, RungeKutta.dopri5(), TD, AdjointNorm.SEMINORM, Checkpointing.budget(128));
        assertEquals("checkpointing must be non-null", assertThrows(IllegalArgumentException.class,
                () -> InterpolatingF32.session(f32, 16, RungeKutta.dopri5(), TD, AdjointNorm.FULL, null))
                .getMessage());
    }

    @Test
    void aWarmBudgetedGradientAllocatesNothing() {
        MlpF32 f32 = MlpF32.of(SMALL);
        float[] y0 = floats(new SplittableRandom(3), 32);
        double[] times = grid(6, 2);
        float[] dy0 = new float[32], dTheta = new float[f32.parameterCount()];
        Loss loss = Loss.sumOfSquaresAfterStart();
        for (AdjointNorm norm : AdjointNorm.values()) {
            for (Checkpointing c : List.of(Checkpointing.binomial(3), Checkpointing.binomial(1000),
                    Checkpointing.budget(40_000))) {
                InterpolatingF32 session = InterpolatingF32.session(f32, 16, RungeKutta.dopri5(), TD, norm, c);
                session.computeInto(y0, times, loss, dy0, dTheta);
                Allocations.assertNoAllocation("a warm float32 interpolating gradient, " + norm + ", " + c, 300, 50,
                        () -> session.computeInto(y0, times, loss, dy0, dTheta));
            }
        }
    }
}
