package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.cli.LeapfrogExperiment.Variant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the experiment of docs/ALGORITHMS.md §10 (expected figures from an independent numpy implementation of
 * the experiment, see testdata/reference/README.md): E1, E2 and the shared-parameter sums.
 */
class LeapfrogExperimentTest {
    private static LeapfrogExperiment experiment;

    @BeforeAll
    static void reference() {
        experiment = new LeapfrogExperiment(LeapfrogExperiment.REFERENCE_STEPS);
    }

    private static void assertWithin20Percent(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= 0.2 * expected,
                what + ": expected " + expected + " within 20%, got " + actual);
    }

    @Test
    void e1TableMatchesAlgorithmsSection7() {
        // N -> {plain, filtered (A), consistent (B), AB2}, from the oracle's E1 table.
        double[][] table = {
            {50, 1.15, 4.65e-3, 1.79e-4, 1.66e-4},
            {200, 1.15, 2.98e-4, 1.21e-5, 9.45e-6},
            {1600, 1.15, 4.65e-6, 1.95e-7, 1.55e-7},
        };
        for (double[] row : table) {
            int n = (int) row[0];
            LeapfrogExperiment.E1Row r = experiment.e1(n);
            assertWithin20Percent(row[1], r.error(Variant.LEAPFROG_PLAIN), "plain N=" + n);
            assertWithin20Percent(row[2], r.error(Variant.LEAPFROG_FILTERED), "filtered N=" + n);
            assertWithin20Percent(row[3], r.error(Variant.LEAPFROG_CONSISTENT), "consistent N=" + n);
            assertWithin20Percent(row[4], r.error(Variant.AB2_PLAIN), "ab2 N=" + n);
        }
    }

    @Test
    void correctionsAndAb2ConvergeAtSecondOrderWhilePlainLeapfrogDoesNot() {
        LeapfrogExperiment.E1Row coarse = experiment.e1(100);
        LeapfrogExperiment.E1Row fine = experiment.e1(400);
        for (Variant v : new Variant[] {Variant.LEAPFROG_FILTERED, Variant.LEAPFROG_CONSISTENT, Variant.AB2_PLAIN}) {
            double slope = Math.log(coarse.error(v) / fine.error(v)) / Math.log(4.0);
            assertEquals(2.0, slope, 0.2, v + " slope");
        }
        assertEquals(1.0, coarse.error(Variant.LEAPFROG_PLAIN) / fine.error(Variant.LEAPFROG_PLAIN), 0.02,
                "plain leapfrog's error does not shrink with h");
    }

    @Test
    void ab2HasNoSawtoothAndOnlyItsEndLayersAreOff() {
        int n = 200;
        double h = LeapfrogExperiment.T / n;
        double[] g = new double[n * 2];
        LeapfrogExperiment.gradient(LeapfrogExperiment.fieldOnPath(n), Variant.AB2_PLAIN, g);
        double[] ref = new double[2];
        double maxSecondDiff = 0.0;
        for (int k = 2; k < n - 2; k++) { // away from the two end layers, which are off by design
            maxSecondDiff = Math.max(maxSecondDiff, Math.abs(g[(k + 1) * 2] - 2 * g[k * 2] + g[(k - 1) * 2]) / h);
        }
        assertTrue(maxSecondDiff < 1e-2, "AB2 per-layer gradients are smooth, max second difference " + maxSecondDiff);
        experiment.reference(0.0, ref, 0);
        assertEquals(0.5, g[0] / h / ref[0], 0.02, "AB2 layer 0 gets half");
        experiment.reference((n - 1) * h, ref, 0);
        assertEquals(1.5, g[(n - 1) * 2] / h / ref[0], 0.02, "AB2 layer N-1 gets 3/2");
    }

    @Test
    void sharedParameterSumIsSecondOrderInEveryMode() {
        double[] exact = experiment.sharedBiasGradient();
        for (Variant v : Variant.values()) {
            double[] err = new double[3];
            int[] ns = {50, 100, 200};
            for (int i = 0; i < ns.length; i++) {
                double[] g = new double[ns[i] * 2];
                LeapfrogExperiment.gradient(LeapfrogExperiment.fieldOnPath(ns[i]), v, g);
                double s0 = 0, s1 = 0;
                for (int k = 0; k < ns[i]; k++) {
                    s0 += g[2 * k];
                    s1 += g[2 * k + 1];
                }
                err[i] = Math.max(Math.abs(s0 - exact[0]), Math.abs(s1 - exact[1]));
            }
            double slope = Math.log(err[0] / err[2]) / Math.log(4.0);
            assertEquals(2.0, slope, 0.15, v + " sum-over-layers convergence slope, errors " + java.util.Arrays.toString(err));
            assertTrue(err[0] < 5e-4, v + " sum error at N=50: " + err[0]);
        }
    }

    @Test
    void initialAdjointIsSecondOrderInEveryMode() {
        double[] a0 = experiment.referenceInitialAdjoint();
        for (Variant v : Variant.values()) {
            double[] err = new double[2];
            int[] ns = {50, 200};
            for (int i = 0; i < 2; i++) {
                double[] z0Bar = new double[2];
                LeapfrogExperiment.gradient(LeapfrogExperiment.fieldOnPath(ns[i]), v, new double[2 * ns[i]], z0Bar);
                err[i] = Math.max(Math.abs(z0Bar[0] - a0[0]), Math.abs(z0Bar[1] - a0[1]));
            }
            double slope = Math.log(err[0] / err[1]) / Math.log(4.0);
            assertEquals(2.0, slope, 0.2, v + " dL/dz0 errors " + java.util.Arrays.toString(err));
            assertTrue(err[0] < 1e-3, v + " dL/dz0 error at N=50: " + err[0]);
        }
    }

    @Test
    void e2PlainLearnsASawtoothFilteredLearnsASmoothPath() {
        double[][] expected = {{100, 3.23, 4.24e-4}, {200, 3.28, 1.14e-4}, {400, 3.30, 2.92e-5}};
        double previous = Double.POSITIVE_INFINITY;
        for (double[] row : expected) {
            int n = (int) row[0];
            LeapfrogExperiment.TrainResult plain = LeapfrogExperiment.train(n, Variant.LEAPFROG_PLAIN, 300, 0.5);
            LeapfrogExperiment.TrainResult filtered = LeapfrogExperiment.train(n, Variant.LEAPFROG_FILTERED, 300, 0.5);
            assertWithin20Percent(row[1], plain.roughness(), "plain roughness N=" + n);
            assertWithin20Percent(row[2], filtered.roughness(), "filtered roughness N=" + n);
            assertTrue(filtered.roughness() < previous / 3.0, "filtered roughness falls with N");
            previous = filtered.roughness();
            assertTrue(plain.finalLoss() < 1e-20 && filtered.finalLoss() < 1e-20,
                    "both fit the target: " + plain.finalLoss() + ", " + filtered.finalLoss());
        }
    }
}
