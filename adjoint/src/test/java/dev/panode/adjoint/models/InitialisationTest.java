package dev.panode.adjoint.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Initialisation#normal}: torchdiffeq's ode_demo initialisation, N(0, std²) weights and zero biases. */
class InitialisationTest {

    @Test
    void normalDrawsWeightsWithTheGivenDeviationAndZeroBiases() {
        MlpArchitecture arch = MlpArchitecture.mlp3Tanh(2, 50); // ode_demo's 2 → 50 → 2 with tanh
        Mlp mlp = Mlp.initialised(arch, Initialisation.normal(0.1), 7);
        double[] theta = mlp.parameters();
        SplitMix64 rng = new SplitMix64(7);
        double sum = 0, sumSq = 0;
        int count = 0;
        for (int l = 0; l < arch.layerCount(); l++) {
            int off = arch.weightOffset(l), nw = arch.inputs(l) * arch.outputs(l);
            for (int i = 0; i < nw; i++) {
                assertEquals(0.1 * rng.gaussian(), theta[off + i], 0.0, "W entry " + i + " of layer " + l);
                sum += theta[off + i];
                sumSq += theta[off + i] * theta[off + i];
                count++;
            }
            for (int i = 0; i < arch.outputs(l); i++) assertEquals(0.0, theta[off + nw + i], "b of layer " + l);
        }
        double mean = sum / count, sd = Math.sqrt(sumSq / count - mean * mean);
        // 200 draws: the sample deviation is within about 5% (one standard error) of 0.1; allow 4 standard errors
        assertEquals(0.1, sd, 0.1 * 4 / Math.sqrt(2.0 * count), "sample deviation over " + count + " weights");
        assertEquals(0.0, mean, 4 * 0.1 / Math.sqrt(count));
        // scale multiplies the deviation
        double[] scaled = Mlp.initialised(arch, Initialisation.normal(0.1), 7, 3.0).parameters();
        assertEquals(3.0 * theta[0], scaled[0], 1e-17);
        // a scheme is a value: equal deviations are the same scheme (model files and caches compare them), others not
        assertEquals(Initialisation.normal(0.1), Initialisation.normal(0.1));
        assertNotEquals(Initialisation.normal(0.1), Initialisation.normal(0.2));
        assertNotEquals(Initialisation.normal(0.1), Initialisation.PYTORCH_DEFAULT);
    }

    @Test
    void normalRefusesADeviationThatIsNotPositiveAndFinite() {
        for (double bad : new double[] {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Initialisation.normal(bad));
            assertTrue(e.getMessage().contains("std") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    @Test
    void parametersAreTheLiveArrayThatAnOptimiserUpdates() {
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 4), Initialisation.normal(0.1), 1);
        double[] live = mlp.parameters();
        assertTrue(live == mlp.parameters(), "the same array every time, not a copy");
        double[] dy = new double[2], dy2 = new double[2];
        var ws = mlp.newWorkspace(1);
        mlp.evaluate(0, new double[] {1, 1}, dy, 1, ws);
        int lastBias = live.length - 1;
        live[lastBias] += 1.0; // an in-place update, as Trainer's optimisers make
        mlp.evaluate(0, new double[] {1, 1}, dy2, 1, ws);
        assertEquals(dy[1] + 1.0, dy2[1], 1e-12, "the field computes with the updated value");
    }
}
