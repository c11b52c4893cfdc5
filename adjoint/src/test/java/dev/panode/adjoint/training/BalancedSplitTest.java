package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.models.Mlp;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BalancedSplit}: its estimate ranks first the windows whose solves take the most steps, its groups are the
 * cheapest runs of its order under its cost model (against every cut, brute force), a window's estimate does not depend
 * on the blocks of rows it is evaluated in, and a fixed step splits by rows.
 */
class BalancedSplitTest {
    /** ode_demo's data: 1000 observations of the spiral on [0, 25]. */
    static TrajectoryDataset demoData() {
        return NeuralOdeTrainingTest.spiral(1000, 25.0);
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
        SolveOptions fixed = SolveOptions.builder().dt(0.05).build();
        BalancedSplit split = new BalancedSplit(NeuralOdeTrainingTest.model(), 2, RungeKutta.dopri5(), fixed, 2);
        split.split(batch);
        assertEquals(2, split.groups());
        assertArrayEquals(new int[] {0, 10, 20}, new int[] {split.start(0), split.end(0), split.end(1)});
        for (int p = 0; p < batch.size(); p++) assertEquals(p, split.windows()[p], "equal costs keep the index order");
    }
}
