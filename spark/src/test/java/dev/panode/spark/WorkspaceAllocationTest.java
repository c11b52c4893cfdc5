package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.PerSampleSolution;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-thread workspaces without Spark: a shard's gradient through the thread's reused sessions equals fresh
 * {@link Gradients#compute} calls bit for bit (also after the parameters changed), and once warm a block's gradient
 * and a batch's ensemble solve allocate nothing.
 */
class WorkspaceAllocationTest {
    private static final MlpArchitecture ARCH = MlpArchitecture.mlp3Tanh(2, 9);
    private static final double[] TIMES = {0.0, 0.3, 0.6, 1.0};
    private static final int DIM = 2, K = TIMES.length;

    private static List<double[]> trajectories(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> list = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            double[] t = new double[K * DIM];
            for (int i = 0; i < t.length; i++) t[i] = random.nextDouble(-1, 1);
            list.add(t);
        }
        return list;
    }

    /** The shard's gradient as fresh Gradients.compute calls per block (what ShardGradient did before sessions). */
    private static GradientSum reference(Mlp model, SolveSpec spec, List<double[]> data, double compared, int batchRows) {
        GradientSum sum = GradientSum.zero(model.parameterCount());
        for (int from = 0; from < data.size(); from += batchRows) {
            int n = Math.min(batchRows, data.size() - from);
            ShardLoss loss = new ShardLoss(K, n * DIM);
            loss.compareWith(compared);
            double[] y0 = new double[n * DIM];
            for (int b = 0; b < n; b++) {
                double[] traj = data.get(from + b);
                System.arraycopy(traj, 0, y0, b * DIM, DIM);
                for (int i = 0; i < K; i++) System.arraycopy(traj, i * DIM, loss.targets()[i], b * DIM, DIM);
            }
            GradientResult r = Gradients.compute(model, y0, n, TIMES, loss, spec.rungeKutta(),
                    spec.options(TIMES[0], TIMES[K - 1], true), spec.gradientMethod());
            sum = sum.plus(new GradientSum(r.loss(), r.dLdTheta(), r.stats().forwardNfe(), r.stats().backwardNfe(), n));
        }
        return sum;
    }

    @Test
    void reusedSessionsGiveTheFreshGradientsBitForBit() {
        List<double[]> data = trajectories(13, 4);
        double compared = (K - 1.0) * 13 * DIM;
        for (String gradient : new String[]{"backprop", "adjoint", "interpolating-seminorm"}) {
            SolveSpec spec = new SolveSpec("dopri5", 0, 1e-6, 1e-8, 10_000, gradient);
            for (long seed : new long[]{1, 2}) {  // new parameters for the same sessions
                Mlp model = Mlp.initialised(ARCH, Initialisation.PYTORCH_DEFAULT, seed);
                GradientSum expected = reference(model, spec, data, compared, 5);
                GradientSum actual = ShardGradient.compute(ARCH, model.parameters(), spec, TIMES, data, compared, 5);
                assertEquals(expected.loss(), actual.loss(), 0.0, gradient);
                assertArrayEquals(expected.gradient(), actual.gradient(), 0.0, gradient);
                assertEquals(expected.nfeForward(), actual.nfeForward(), gradient);
                assertEquals(expected.nfeBackward(), actual.nfeBackward(), gradient);
                assertEquals(13, actual.rows());
            }
            assertEquals(1, ThreadWorkspaces.census(ShardSession.Key.of(ARCH, spec, TIMES, 5)).creations(),
                    "one session for the blocks of 5, over two gradients");
        }
    }

    @Test
    void aWarmBlockGradientAllocatesNothing() {
        SolveSpec spec = SolveSpec.fixedSteps("rk4", 10);
        List<double[]> data = trajectories(16, 8);
        Mlp model = Mlp.initialised(ARCH, Initialisation.PYTORCH_DEFAULT, 3);
        ShardSession session = new ShardSession(ARCH, model.parameters(), spec, TIMES, 16);
        double[] gradient = new double[model.parameterCount()];
        long[] nfe = new long[2];
        try {
            assertTrue(session.accumulate(model.parameters(), data, 0, 100.0, gradient, nfe) > 0);
            Allocations.assertNoAllocation("the gradient of a block of 16 trajectories through a warm session", 500,
                    20, () -> session.accumulate(model.parameters(), data, 0, 100.0, gradient, nfe));
        } finally {
            session.close();
        }
    }

    @Test
    void aWarmEnsembleBatchSolveAllocatesNothing() {
        Mlp model = Mlp.initialised(ARCH, Initialisation.PYTORCH_DEFAULT, 5);
        SolveSpec spec = SolveSpec.adaptive("dopri5", 1e-6, 1e-8);
        EnsembleWorkspace ws = new EnsembleWorkspace(model).batch(32);
        SplittableRandom random = new SplittableRandom(2);
        for (int r = 0; r < 32; r++) {
            ws.initialStates()[2 * r] = random.nextDouble(-2, 2);
            ws.initialStates()[2 * r + 1] = random.nextDouble(-2, 2);
            ws.saveTimes()[r] = r % 2 == 0 ? TIMES : new double[]{0.0, 0.5, 2.0};
            ws.startTimes()[r] = 0.0;
            ws.endTimes()[r] = ws.saveTimes()[r][ws.saveTimes()[r].length - 1];
        }
        var options = spec.options(0, 1, false);
        var method = spec.rungeKutta();
        PerSampleSolution first = ws.solve(model.parameters(), method, options);
        assertTrue(first.isSuccess());
        Allocations.assertNoAllocation("an ensemble batch of 32 rows solved through a warm workspace", 500, 20,
                () -> ws.solve(model.parameters(), method, options));
    }
}
