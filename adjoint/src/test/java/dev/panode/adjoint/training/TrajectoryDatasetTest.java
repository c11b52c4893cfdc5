package dev.panode.adjoint.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrajectoryDatasetTest {

    /** Two trajectories, K = 10, dim 2: value = 1000·traj + 10·k + i, so every entry names its own position. */
    private static TrajectoryDataset labelled() {
        int n = 2, k = 10, d = 2;
        double[] t = new double[k];
        for (int j = 0; j < k; j++) t[j] = 0.5 + 0.1 * j;
        double[] v = new double[n * k * d];
        for (int a = 0; a < n; a++) for (int j = 0; j < k; j++) for (int i = 0; i < d; i++) {
            v[(a * k + j) * d + i] = 1000 * a + 10 * j + i;
        }
        return new TrajectoryDataset(t, v, n, d);
    }

    @Test
    void windowsAreConsecutiveObservationsOfOneTrajectory() {
        TrajectoryDataset data = labelled();
        TrajectoryDataset.Batch batch = data.newBatch(5, 4);
        assertArrayEquals(new double[] {0.0, 0.1, 0.2, 0.3}, batch.times(), 1e-15);
        data.sampleWindows(new SplittableRandom(7), batch);
        Set<Integer> seen = new HashSet<>();
        for (int b = 0; b < 5; b++) {
            int traj = batch.trajectoryOf(b), start = batch.startOf(b);
            assertTrue(start >= 0 && start <= 6, "start " + start);
            assertTrue(seen.add(traj * 100 + start), "windows are drawn without replacement");
            for (int s = 0; s < 4; s++) for (int i = 0; i < 2; i++) {
                assertEquals(1000 * traj + 10 * (start + s) + i, batch.targets()[(s * 5 + b) * 2 + i]);
            }
            assertEquals(batch.targets()[b * 2], batch.y0()[b * 2]);
            assertEquals(batch.targets()[b * 2 + 1], batch.y0()[b * 2 + 1]);
        }
    }

    @Test
    void sameSeedSameWindowsAndEveryWindowReachable() {
        TrajectoryDataset data = labelled();
        TrajectoryDataset.Batch a = data.newBatch(3, 4), b = data.newBatch(3, 4);
        SplittableRandom ra = new SplittableRandom(42), rb = new SplittableRandom(42);
        Set<Integer> all = new HashSet<>();
        for (int it = 0; it < 200; it++) {
            data.sampleWindows(ra, a);
            data.sampleWindows(rb, b);
            assertArrayEquals(a.targets(), b.targets());
            for (int w = 0; w < 3; w++) all.add(a.trajectoryOf(w) * 100 + a.startOf(w));
        }
        assertEquals(data.windowCount(4), all.size());
        assertEquals(14, data.windowCount(4));
    }

    @Test
    void fullBatchHoldsEveryTrajectoryTimeMajor() {
        TrajectoryDataset data = labelled();
        TrajectoryDataset.Batch full = data.fullBatch();
        assertEquals(2, full.size());
        assertEquals(10, full.windowLength());
        assertEquals(0.5, full.times()[0], 0.0);
        assertEquals(1000 + 10 * 3 + 1, full.targets()[(3 * 2 + 1) * 2 + 1]);
        assertArrayEquals(new double[] {0, 1, 1000, 1001}, full.y0());
    }

    @Test
    void samplingAllocatesNothing() {
        TrajectoryDataset data = labelled();
        TrajectoryDataset.Batch batch = data.newBatch(6, 5);
        SplittableRandom r = new SplittableRandom(1);
        Allocations.assertNoAllocation("TrajectoryDataset.sampleWindows", 20_000, 1000,
                () -> data.sampleWindows(r, batch));
    }

    @Test
    void checksShapesAndGrid() {
        double[] t = {0, 1, 2};
        var e = assertThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(t, new double[5], 1, 2));
        assertEquals("values.length must be trajectories·K·dim = 1·3·2 = 6, got 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrajectoryDataset(new double[] {0, 1, 1}, new double[6], 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new TrajectoryDataset(t, new double[] {0, 0, Double.NaN, 0, 0, 0}, 1, 2));
        TrajectoryDataset ok = new TrajectoryDataset(t, new double[6], 1, 2);
        assertThrows(IllegalArgumentException.class, () -> ok.newBatch(1, 4));
        assertThrows(IllegalArgumentException.class, () -> ok.newBatch(3, 2), "only 2 windows of length 2");
        TrajectoryDataset uneven = new TrajectoryDataset(new double[] {0, 1, 3}, new double[6], 1, 2);
        assertFalse(uneven.hasUniformGrid());
        TrajectoryDataset.Batch batch = uneven.newBatch(1, 2);
        assertThrows(IllegalArgumentException.class, () -> uneven.sampleWindows(new SplittableRandom(0), batch));
        assertEquals(3, uneven.fullBatch().windowLength());
    }
}
