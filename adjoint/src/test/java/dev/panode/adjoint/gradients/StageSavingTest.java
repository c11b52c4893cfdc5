package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.layers.LayerField;
import dev.panode.adjoint.models.layers.Sequential;
import dev.panode.solvers.RungeKutta;
import org.junit.jupiter.api.Test;

/**
 * {@link StageSaving}: the three choices give the same bits, {@link GradientStats} says which ran, and AUTO saves
 * where saving measured faster (small blocks, wide layers) and rebuilds where it measured slower (2 → 64 → 64 → 2
 * over 1024 rows).
 */
class StageSavingTest {

    @Test
    void everyChoiceGivesTheSameBitsAndTheStatsSayWhichRan() {
        Mlp f = GradientSessionTest.mlp(Activation.TANH);
        double[] times = GradientSessionTest.MULTI;
        GradientResult always = compute(f, times, StageSaving.ALWAYS);
        GradientResult never = compute(f, times, StageSaving.NEVER);
        GradientResult auto = compute(f, times, StageSaving.AUTO);
        GradientSessionTest.assertSameBits(never, always, "ALWAYS against NEVER");
        GradientSessionTest.assertSameBits(never, auto, "AUTO against NEVER");
        assertTrue(always.stats().stagesSaved());
        assertTrue(always.stats().savedStageBytes() > 0);
        assertFalse(never.stats().stagesSaved());
        assertEquals(0, never.stats().savedStageBytes());
        assertTrue(auto.stats().stagesSaved(), "a block of a few hundred bytes stays in cache: saved");
        assertEquals(always.stats().backwardNfe(), auto.stats().backwardNfe());
        assertTrue(never.stats().backwardNfe() > always.stats().backwardNfe(), "rebuilding costs evaluations");
    }

    /**
     * Layers wide enough for OpenBLAS (130³) and narrow ones over many rows, every stage's activations written into and
     * read from the session's pooled blocks in place: the bits of the rebuilding schedule, on the first call and on
     * later calls reusing the blocks (from other initial states). (GradientSessionTest proves that the pooled blocks
     * allocate nothing once warm.)
     */
    @Test
    void pooledBlocksWrittenInPlaceGiveTheBitsOfRebuiltStagesCallAfterCall() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(41);
        for (int[] shape : new int[][] {{4, 130, 130}, {2, 64, 300}}) {
            Mlp f = Mlp.initialised(MlpArchitecture.mlp3Tanh(shape[0], shape[1]), Initialisation.PYTORCH_DEFAULT, 8);
            int rows = shape[2];
            double[] times = {0.0, 0.5, 1.0};
            Loss loss = Loss.sumOfSquaresAfterStart();
            try (GradientSession saved = Gradients.session(f, rows, times, loss, RungeKutta.dopri5(),
                    GradientSessionTest.DOPRI, Backprop.storeAll().withStageSaving(StageSaving.ALWAYS), true);
                 GradientSession rebuilt = Gradients.session(f, rows, times, loss, RungeKutta.dopri5(),
                         GradientSessionTest.DOPRI, Backprop.storeAll().withStageSaving(StageSaving.NEVER), true)) {
                for (int call = 0; call < 3; call++) {
                    double[] y0 = new double[rows * shape[0]];
                    for (int i = 0; i < y0.length; i++) y0[i] = rnd.nextDouble(-1.5, 1.5);
                    String what = java.util.Arrays.toString(shape) + " call " + call;
                    assertEquals(Double.doubleToRawLongBits(rebuilt.compute(y0)),
                            Double.doubleToRawLongBits(saved.compute(y0)), what + ": loss");
                    assertTrue(saved.stats().stagesSaved(), what);
                    assertFalse(rebuilt.stats().stagesSaved(), what);
                    assertTrue(java.util.Arrays.equals(rebuilt.dLdTheta(), saved.dLdTheta()), what + ": dL/dθ");
                    assertTrue(java.util.Arrays.equals(rebuilt.dLdy0(), saved.dLdy0()), what + ": dL/dy0");
                    assertTrue(java.util.Arrays.equals(rebuilt.dLdTimes(), saved.dLdTimes()), what + ": dL/dt");
                }
            }
        }
    }

    private static GradientResult compute(Mlp f, double[] times, StageSaving saving) {
        return Gradients.compute(f, GradientSessionTest.Y0, GradientSessionTest.ROWS, times,
                GradientSessionTest.mse(times), RungeKutta.dopri5(), GradientSessionTest.DOPRI,
                Backprop.storeAll().withStageSaving(saving), true);
    }

    @Test
    void autoSavesWideLayersAndSmallBlocksAndRebuildsNarrowLayersOverManyRows() {
        int dopri5 = RungeKutta.dopri5().tableau().stages();
        Mlp narrow = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 64), Initialisation.PYTORCH_DEFAULT, 1);
        Mlp wide = Mlp.initialised(MlpArchitecture.mlp3Tanh(32, 256), Initialisation.PYTORCH_DEFAULT, 1);
        assertEquals(2 * 64 + 64 * 64 + 64 * 2, StageSaving.multiplyAddsPerRow(narrow));
        assertTrue(StageSaving.AUTO.saves(narrow, 1024, narrow.savedLength(1024), dopri5), "2x64x1024");
        Mlp thin = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 1), Initialisation.PYTORCH_DEFAULT, 1);
        assertFalse(StageSaving.AUTO.saves(thin, 4096, thin.savedLength(4096), dopri5),
                "2x1x4096: 5 multiply-adds per row, 10 saved doubles per row");
        assertTrue(StageSaving.AUTO.saves(narrow, 16, narrow.savedLength(16), dopri5), "2x64x16 stays in cache");
        assertTrue(StageSaving.AUTO.saves(wide, 256, wide.savedLength(256), dopri5), "32x256x256");
        assertTrue(StageSaving.ALWAYS.saves(narrow, 1024, narrow.savedLength(1024), dopri5));
        assertFalse(StageSaving.NEVER.saves(wide, 256, wide.savedLength(256), dopri5));
        assertFalse(StageSaving.ALWAYS.saves(narrow, 16, 0, dopri5), "a field that saves nothing");
        LayerField layers = LayerField.initialised(Sequential.builder(2).concatTime().dense(64).tanh().dense(2).build(),
                Initialisation.PYTORCH_DEFAULT, 3);
        assertEquals(3 * 64 + 64 * 2, StageSaving.multiplyAddsPerRow(layers));
    }

    @Test
    void aNullChoiceIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backprop(Checkpointing.all(), null));
        assertEquals("stageSaving must be non-null", e.getMessage());
    }
}
