package dev.panode.adjoint.gradients;

import static dev.panode.adjoint.gradients.FloatBudgetFixtures.LANDING;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.SMALL;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.TD;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.TIGHT;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.TIMED;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.floats;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.grid;
import static dev.panode.adjoint.gradients.FloatBudgetFixtures.sameBits;
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
 * {@link BackpropF32} under a {@link Checkpointing} budget: the gradient of every budget and slot count has the bits
 * of {@link Checkpointing#all()} (the recomputed float steps retrace the solve), what it keeps stays within the
 * budget, the binomial schedule recomputes T(n, c) steps, and a warm gradient allocates nothing.
 */
class BackpropF32CheckpointingTest {
    /**
     * All against binomial slot counts from 1 to past the step count and budgets from one state to every record and
     * saved stage, each run twice on its session (the second reuses the pooled arrays).
     */
    private static void everyBudgetGivesTheBitsOfAll(Mlp mlp, int rows, OdeMethod method, SolveOptions options,
                                                    double[] times, Loss loss, StageSaving saving) {
        MlpF32 f32 = MlpF32.of(mlp);
        int n = rows * mlp.dim();
        float[] y0 = floats(new SplittableRandom(17), n);
        BackpropF32 all = BackpropF32.session(f32, rows, method, options, saving);
        GradientResultF32 want = all.compute(y0, times, loss);
        int steps = (int) want.steps();
        int s = ((RungeKutta) method).tableau().stages();
        String base = method.name() + " " + times.length + " times, rows " + rows + ", " + saving + ", " + steps
                + " steps";
        System.out.println("BackpropF32 under budgets: " + base);
        assertTrue(steps >= 4, base);
        assertEquals(0, want.stepsRecomputed(), base);
        long stateBytes = 4L * n;
        long records = 4L * ((long) steps * s + 1) * n;
        assertEquals(records, want.checkpointBytes(), "bytes of every record, " + base);
        List<Checkpointing> modes = new ArrayList<>();
        for (int k : new int[] {1, 2, 3, 5, steps / 2, steps - 1, steps, steps + 3, steps * s + 1}) {
            modes.add(Checkpointing.binomial(Math.max(1, k)));
        }
        for (long b : new long[] {stateBytes, stateBytes + 3, 4 * stateBytes, records / 3, records - 1, records,
                records + want.savedStageBytes(), 2 * (records + want.savedStageBytes()) + 4L * s * 4096 * rows}) {
            modes.add(Checkpointing.budget(b));
        }
        for (Checkpointing c : modes) {
            BackpropF32 bounded = BackpropF32.session(f32, rows, method, options, saving, c);
            long budget = c instanceof Checkpointing.Budget b ? b.bytes() : ((Checkpointing.Binomial) c).slots()
                    * stateBytes;
            for (int call = 0; call < 2; call++) {
                GradientResultF32 got = bounded.compute(y0, times, loss);
                String what = c + " (call " + call + ") against all, " + base;
                sameBits(want, got, what);
                assertTrue(got.checkpointBytes() + got.savedStageBytes() <= budget, "kept "
                        + got.checkpointBytes() + " + " + got.savedStageBytes() + " bytes, " + what);
                assertTrue(bounded.heldBytes() <= budget, "held " + bounded.heldBytes() + " bytes, " + what);
                int slots = (int) Math.min(budget / stateBytes, BackpropGradient.MAX_SCHEDULE_SLOTS);
                if (got.checkpointBytes() + got.savedStageBytes() < records && slots < steps
                        && got.savedStageBytes() == 0) {
                    assertEquals(Revolve.minimalForwardSteps(steps, slots), got.stepsRecomputed(),
                            "recomputed steps, " + what);
                }
                if (budget >= records + want.savedStageBytes() + 4L * s * f32.savedLength(rows)) {
                    assertEquals(0, got.stepsRecomputed(), what);
                    assertEquals(want.backwardNfe(), got.backwardNfe(), "backward NFE, " + what);
                    assertEquals(all.lastStagesSaved(), bounded.lastStagesSaved(), "stages saved, " + what);
                }
                if (budget < records) assertTrue(!bounded.lastStagesSaved(), what);
                if (budget >= records + got.savedStageBytes()) { // every record kept: no stage rebuilt, no step recomputed
                    assertEquals(records, got.checkpointBytes(), what);
                    assertEquals(want.backwardNfe(), got.backwardNfe(), "backward NFE, " + what);
                }
            }
        }
    }

    @Test
    void dopri5UnderEveryBudgetGivesTheBitsOfAll() {
        everyBudgetGivesTheBitsOfAll(SMALL, 16, RungeKutta.dopri5(), TIGHT, new double[] {0, 6}, Loss.sumOfSquaresAtEnd(),
                StageSaving.ALWAYS);
        everyBudgetGivesTheBitsOfAll(SMALL, 3, RungeKutta.dopri5(), TIGHT, grid(9, 6), Loss.sumOfSquaresAfterStart(),
                StageSaving.ALWAYS);
        everyBudgetGivesTheBitsOfAll(SMALL, 3, RungeKutta.dopri5(), LANDING, grid(5, 6),
                Loss.sumOfSquaresAfterStart(), StageSaving.NEVER);
        everyBudgetGivesTheBitsOfAll(TIMED, 5, RungeKutta.dopri5(), TD, grid(41, 4), Loss.sumOfSquaresAfterStart(),
                StageSaving.AUTO);
    }

    @Test
    void otherMethodsUnderEveryBudgetGiveTheBitsOfAll() {
        everyBudgetGivesTheBitsOfAll(SMALL, 4, RungeKutta.tsit5(), LANDING, grid(4, 6), Loss.sumOfSquaresAfterStart(),
                StageSaving.ALWAYS);
        everyBudgetGivesTheBitsOfAll(TIMED, 5, RungeKutta.bosh3(), TD, grid(7, 4), Loss.sumOfSquaresAfterStart(),
                StageSaving.NEVER);
        // rk4's Hermite interpolant reads f(t_end, y_end): a kept state's step is replayed whole for it
        everyBudgetGivesTheBitsOfAll(TIMED, 2, RungeKutta.rk4(), SolveOptions.builder().steps(9).build(),
                grid(5, 1), Loss.sumOfSquaresAfterStart(), StageSaving.ALWAYS);
        everyBudgetGivesTheBitsOfAll(SMALL, 2, RungeKutta.midpoint(), SolveOptions.builder().steps(12).build(),
                new double[] {0, 1}, Loss.sumOfSquaresAtEnd(), StageSaving.AUTO);
    }

    @Test
    void aBudgetTooSmallForY0IsRefusedNamingIt() {
        MlpF32 f32 = MlpF32.of(SMALL);
        CheckpointBudgetExceededException e = assertThrows(CheckpointBudgetExceededException.class,
                () -> BackpropF32.session(f32, 16, RungeKutta.dopri5(), TD, StageSaving.AUTO,
                        Checkpointing.budget(127)));
        assertEquals("checkpoint budget of 127 bytes cannot hold one slot of 32 floats (128 bytes)", e.getMessage());
        BackpropF32.session(f32, 16, RungeKutta.dopri5(), TD, StageSaving.AUTO, Checkpointing.budget(128));
        assertEquals("checkpointing must be non-null", assertThrows(IllegalArgumentException.class,
                () -> BackpropF32.session(f32, 16, RungeKutta.dopri5(), TD, StageSaving.AUTO, null)).getMessage());
    }

    @Test
    void aWarmBudgetedGradientAllocatesNothing() {
        MlpF32 f32 = MlpF32.of(SMALL);
        float[] y0 = floats(new SplittableRandom(3), 32);
        double[] times = grid(6, 2);
        float[] dy0 = new float[32], dTheta = new float[f32.parameterCount()];
        Loss loss = Loss.sumOfSquaresAfterStart();
        for (Checkpointing c : List.of(Checkpointing.binomial(3), Checkpointing.binomial(1000),
                Checkpointing.budget(40_000))) {
            BackpropF32 session = BackpropF32.session(f32, 16, RungeKutta.dopri5(), TD, StageSaving.AUTO, c);
            session.computeInto(y0, times, loss, dy0, dTheta);
            Allocations.assertNoAllocation("a warm float32 backprop gradient with " + c, 300, 50,
                    () -> session.computeInto(y0, times, loss, dy0, dTheta));
        }
    }
}
