package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.SpiralField;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BalancedSplit}: its estimate ranks first the windows whose solves take the most steps, its groups are the
 * cheapest runs of its order under its cost model (against every cut, brute force), a window's estimate does not depend
 * on the blocks of rows it is evaluated in, and a fixed step splits by rows. The estimate from the windows'
 * observations ({@link ObservedSteps}) is the evaluated estimate of the field the data came from, a function of the
 * batch's data alone, and ranks faster windows first.
 */
class BalancedSplitTest {
    /** ode_demo's data: 1000 observations of the spiral on [0, 25]. */
    static TrajectoryDataset demoData() {
        return NeuralOdeTrainingTest.spiral(1000, 25.0);
    }

    /** A two-way split of the demo model under dopri5 at a fixed step of 0.05, where every window costs its rows. */
    private static BalancedSplit fixedStepSplit() {
        SolveOptions fixed = SolveOptions.builder().dt(0.05).build();
        return new BalancedSplit(NeuralOdeTrainingTest.model(), 2, RungeKutta.dopri5(), fixed, 2);
    }

    /** The demo benchmark's batch: 20 windows of 10 observations drawn with seed 1. */
    static TrajectoryDataset.Batch demoBatch() {
        TrajectoryDataset data = demoData();
        TrajectoryDataset.Batch batch = data.newBatch(20, 10);
        data.sampleWindows(new SplittableRandom(1), batch);
        return batch;
    }

    /** Window {@code w} of {@code batch} as a batch of its own. */
    static TrajectoryDataset.Batch window(TrajectoryDataset.Batch batch, int w) {
        int k = batch.windowLength(), dim = batch.dim();
        double[] values = new double[k * dim];
        for (int s = 0; s < k; s++) {
            System.arraycopy(batch.targets(), (s * batch.size() + w) * dim, values, s * dim, dim);
        }
        return new TrajectoryDataset(batch.times().clone(), values, 1, dim).fullBatch();
    }

    @Test
    void theWindowsWhoseSolvesTakeTheMostStepsComeFirst() {
        TrajectoryDataset.Batch batch = demoBatch();
        Mlp model = NeuralOdeTrainingTest.model();
        long[] nfe = new long[batch.size()];
        long most = 0;
        try (BatchGradient g = BatchGradients.meanAbsoluteError(model, RungeKutta.dopri5(),
                BatchGradientSessionTest.DEMO, Backprop.storeAll())) {
            for (int w = 0; w < batch.size(); w++) {
                nfe[w] = g.compute(window(batch, w), new double[model.parameterCount()]).nfeForward();
                most = Math.max(most, nfe[w]);
            }
        }
        int hardest = 0;
        for (long f : nfe) if (f == most) hardest++;
        assertTrue(hardest >= 1 && hardest < batch.size(), "some windows need more steps than the others");
        BalancedSplit split = new BalancedSplit(model, 2, RungeKutta.dopri5(), BatchGradientSessionTest.DEMO, 2);
        split.split(batch);
        for (int p = 0; p < hardest; p++) {
            int w = split.windows()[p];
            assertEquals(most, nfe[w], "window " + w + " at position " + p + " of the cost order");
        }
        for (int p = 1; p < batch.size(); p++) {
            assertTrue(split.cost(split.windows()[p - 1]) >= split.cost(split.windows()[p]), "hardest first");
        }
        assertEquals(2, split.groups());
        assertTrue(split.end(0) < batch.size() / 2, "the hardest windows go to the smaller group, got "
                + split.end(0) + " of " + batch.size());
    }

    @Test
    void theGroupsAreTheCheapestRunsOfTheOrder() {
        TrajectoryDataset data = demoData();
        Mlp model = NeuralOdeTrainingTest.model();
        for (int parts = 2; parts <= 3; parts++) {
            BalancedSplit split = new BalancedSplit(model, 2, RungeKutta.dopri5(), BatchGradientSessionTest.DEMO,
                    parts);
            for (long seed = 1; seed <= 5; seed++) {
                TrajectoryDataset.Batch batch = data.newBatch(20, 10);
                data.sampleWindows(new SplittableRandom(seed), batch);
                split.split(batch);
                int n = batch.size();
                boolean[] seen = new boolean[n];
                for (int w : split.windows()) seen[w] = true;
                for (boolean s : seen) assertTrue(s, "the order is a permutation of the windows");
                assertEquals(0, split.start(0));
                assertEquals(n, split.end(split.groups() - 1));
                double chosen = 0.0;
                for (int g = 0; g < split.groups(); g++) chosen = Math.max(chosen, groupCost(split, split.start(g),
                        split.end(g)));
                double best = Double.POSITIVE_INFINITY;
                for (int a = 1; a <= n; a++) {
                    if (parts == 2) {
                        best = Math.min(best, Math.max(groupCost(split, 0, a), groupCost(split, a, n)));
                    } else {
                        for (int b = a; b <= n; b++) {
                            best = Math.min(best, Math.max(groupCost(split, 0, a),
                                    Math.max(groupCost(split, a, b), groupCost(split, b, n))));
                        }
                    }
                }
                assertEquals(best, chosen, 1e-5 * best, parts + " parts, seed " + seed);
            }
        }
    }

    /** The cost model's price of positions from .. to − 1: the first's steps times (fixed rows + rows' cost). */
    private static double groupCost(BalancedSplit split, int from, int to) {
        return from >= to ? 0.0 : split.cost(split.windows()[from]) * (BalancedSplit.FIXED_COST_ROWS
                + BalancedSplit.rowCost(to - from));
    }

    @Test
    void rowsArePricedInWholeTilesAndAPartialTileCostsMoreARow() {
        double[] expected = {0, 1.5, 3, 4, 4, 5.5, 7, 8, 8, 9.5, 11, 12, 12};
        for (int m = 0; m < expected.length; m++) assertEquals(expected[m], BalancedSplit.rowCost(m), 0.0, "rows " + m);
        for (int m = 1; m < 100; m++) {
            assertTrue(BalancedSplit.rowCost(m) >= BalancedSplit.rowCost(m - 1), "non-decreasing at " + m);
            assertTrue(BalancedSplit.rowCost(m) >= m, "at least a row each at " + m);
        }
    }

    @Test
    void theEstimateDoesNotDependOnTheBlocks() {
        TrajectoryDataset.Batch batch = demoBatch();
        Mlp model = NeuralOdeTrainingTest.model();
        double[] one = null;
        for (int parts = 1; parts <= 7; parts++) {
            BalancedSplit split = new BalancedSplit(model, 2, RungeKutta.dopri5(), BatchGradientSessionTest.DEMO, parts);
            split.split(batch);
            double[] costs = new double[batch.size()];
            for (int w = 0; w < costs.length; w++) costs[w] = split.cost(w);
            if (one == null) one = costs;
            else assertArrayEquals(one, costs, 0.0, parts + " blocks against one");
        }
    }

    @Test
    void aFixedStepSplitsByRowsAlone() {
        TrajectoryDataset.Batch batch = demoBatch();
        BalancedSplit split = fixedStepSplit();
        split.split(batch);
        assertEquals(2, split.groups());
        assertArrayEquals(new int[] {0, 10, 20}, new int[] {split.start(0), split.end(0), split.end(1)});
        for (int p = 0; p < batch.size(); p++) assertEquals(p, split.windows()[p], "equal costs keep the index order");
    }

    /**
     * On the demo's data the observed estimate is, within 5% per window, the evaluated estimate of the spiral field
     * the data were solved from (its difference quotients stand for the two evaluations), and it cuts the batch as
     * that estimate does.
     */
    @Test
    void theObservedEstimateIsTheEvaluatedEstimateOfTheDatasField() {
        TrajectoryDataset data = demoData();
        for (long seed = 1; seed <= 5; seed++) {
            TrajectoryDataset.Batch batch = data.newBatch(20, 10);
            data.sampleWindows(new SplittableRandom(seed), batch);
            BalancedSplit truth = new BalancedSplit(SpiralField.torchdiffeqDemo(), 2, RungeKutta.dopri5(),
                    BatchGradientSessionTest.DEMO, 2);
            truth.split(batch);
            BalancedSplit observed = new BalancedSplit(NeuralOdeTrainingTest.model(), 2, RungeKutta.dopri5(),
                    BatchGradientSessionTest.DEMO, 2);
            assertTrue(BalancedSplit.observes(batch));
            observed.splitObserved(batch);
            for (int w = 0; w < batch.size(); w++) {
                assertEquals(truth.cost(w), observed.cost(w), 0.05 * truth.cost(w), "seed " + seed + ", window " + w);
            }
            assertEquals(truth.groups(), observed.groups(), "seed " + seed);
            assertEquals(truth.end(0), observed.end(0), "seed " + seed + ": the hard group's rows");
        }
    }

    /**
     * The observed estimate is a function of the batch's observations alone: the same costs and cut whatever the
     * model's parameters, the number of parts, or the batch buffer holding the same windows.
     */
    @Test
    void theObservedCutIsAFunctionOfTheDataAlone() {
        TrajectoryDataset data = demoData();
        TrajectoryDataset.Batch batch = demoBatch();
        TrajectoryDataset.Batch again = data.newBatch(20, 10);
        data.sampleWindows(new SplittableRandom(1), again);
        Mlp other = Mlp.initialised(NeuralOdeTrainingTest.model().architecture(),
                dev.panode.adjoint.models.Initialisation.XAVIER_NORMAL, 99, 1.0);
        BalancedSplit reference = new BalancedSplit(NeuralOdeTrainingTest.model(), 2, RungeKutta.dopri5(),
                BatchGradientSessionTest.DEMO, 2);
        reference.splitObserved(batch);
        int[] order = reference.windows().clone();
        for (Mlp model : new Mlp[] {NeuralOdeTrainingTest.model(), other}) {
            for (int parts = 1; parts <= 4; parts++) {
                BalancedSplit split = new BalancedSplit(model, 2, RungeKutta.dopri5(), BatchGradientSessionTest.DEMO,
                        parts);
                for (TrajectoryDataset.Batch b : new TrajectoryDataset.Batch[] {batch, again}) {
                    split.splitObserved(b);
                    for (int w = 0; w < batch.size(); w++) {
                        assertEquals(Double.doubleToLongBits(reference.cost(w)), Double.doubleToLongBits(split.cost(w)),
                                parts + " parts, window " + w);
                    }
                    assertArrayEquals(order, split.windows(), parts + " parts: the same order");
                    if (parts == 2) {
                        assertEquals(reference.end(0), split.end(0), "the same cut");
                    }
                }
            }
        }
    }

    /**
     * Two harmonic oscillators y″ = −ω²(y − c) of equal amplitude about c = (3, 3) (so that no component nears zero,
     * where the error scale would shrink to atol), ω = 1 and ω = 8: every window of the fast one is estimated to need
     * more steps than every window of the slow one (about 8^(2/5) = 2.3 times: the rule's step scales as
     * ‖y″‖^(−1/5) ∝ ω^(−2/5)), and the balanced cut gives them the smaller group.
     */
    @Test
    void theObservedEstimateRanksTheFasterWindowsFirst() {
        int k = 200;
        double[] t = new double[k];
        double[] y = new double[2 * k * 2];
        double[] omega = {1.0, 8.0};
        for (int i = 0; i < k; i++) t[i] = 10.0 * i / (k - 1);
        for (int traj = 0; traj < 2; traj++) {
            for (int i = 0; i < k; i++) {
                double w = omega[traj];
                y[(traj * k + i) * 2] = 3.0 + Math.cos(w * t[i]);
                y[(traj * k + i) * 2 + 1] = 3.0 - Math.sin(w * t[i]);
            }
        }
        TrajectoryDataset data = new TrajectoryDataset(t, y, 2, 2);
        TrajectoryDataset.Batch batch = data.newBatch(16, 5);
        data.sampleWindows(new SplittableRandom(3), batch);
        BalancedSplit split = new BalancedSplit(NeuralOdeTrainingTest.model(), 2, RungeKutta.dopri5(),
                BatchGradientSessionTest.DEMO, 2);
        split.splitObserved(batch);
        int fast = 0;
        double slowest = Double.POSITIVE_INFINITY, fastest = 0.0;
        for (int w = 0; w < batch.size(); w++) {
            if (batch.trajectoryOf(w) == 1) fast++;
        }
        assertTrue(fast > 0 && fast < batch.size(), "both oscillators in the batch");
        for (int p = 0; p < batch.size(); p++) {
            int w = split.windows()[p];
            assertEquals(p < fast ? 1 : 0, batch.trajectoryOf(w), "position " + p + " of the cost order");
            if (p < fast) slowest = Math.min(slowest, split.cost(w));
            else fastest = Math.max(fastest, split.cost(w));
        }
        assertTrue(slowest > 1.5 * fastest, "the fast oscillator's windows cost more: " + slowest + " against "
                + fastest);
        assertEquals(2, split.groups());
        assertTrue(split.end(0) <= batch.size() / 2, "the fast windows go to the smaller group, got " + split.end(0)
                + " of " + batch.size());
    }

    @Test
    void aFixedStepCutsTheObservedEstimateByRowsAlone() {
        TrajectoryDataset.Batch batch = demoBatch();
        BalancedSplit split = fixedStepSplit();
        split.splitObserved(batch);
        assertArrayEquals(new int[] {0, 10, 20}, new int[] {split.start(0), split.end(0), split.end(1)});
    }

    @Test
    void windowsOfThreeObservationsHaveNoObservedEstimate() {
        TrajectoryDataset data = demoData();
        assertEquals(false, BalancedSplit.observes(data.newBatch(4, 3)));
        assertEquals(true, BalancedSplit.observes(data.newBatch(4, 4)));
    }
}
