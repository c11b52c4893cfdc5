package dev.panode.adjoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.solvers.ButcherTableau;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** After warm-up, a backward step allocates nothing on the Java heap, for every gradient method. */
class BackwardAllocationTest {
    static final int D = 4;
    static final int ROWS = 3;
    static final int N = D * ROWS;

    interface Body {
        void run();
    }

    static long allocated(Body body, int warmUp, int measured) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int i = 0; i < warmUp; i++) body.run();
        // the least over several windows: on a loaded machine the JIT may still be compiling the first ones
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 12 && least > 0; window++) {
            long before = bean.getThreadAllocatedBytes(id);
            for (int i = 0; i < measured; i++) body.run();
            least = Math.min(least, bean.getThreadAllocatedBytes(id) - before);
        }
        return least;
    }

    /** A backprop reversal over {@code steps} equal steps of {@code m}, every starting state stored. */
    static BackpropPass pass(RungeKutta m, int steps, CheckpointStore store) {
        TanhField field = new TanhField(D, 2);
        ButcherTableau tab = m.tableau();
        RungeKuttaReverse rk = new RungeKuttaReverse(field, ROWS, D, tab.a(), tab.b(), tab.c());
        StepRecord record = new StepRecord();
        double h = 1.0 / steps;
        for (int i = 0; i < steps; i++) record.add(i * h, h, (i + 1) * h);
        double[] times = {0.0, 0.3 + 1e-3, 0.5, 1.0};
        ObservationPlacement placement = new ObservationPlacement(times, record);
        double[][] gradients = new double[times.length][N];
        for (double[] g : gradients) java.util.Arrays.fill(g, 0.25);
        double[] y = new double[N];
        for (int j = 0; j < N; j++) y[j] = 0.1 * j - 0.4;
        for (int i = 0; i < steps; i++) {
            store.write(i, y, 0);
            rk.advance(record.t(i), h, y, y);
        }
        return new BackpropPass(rk, field, record, store, m.interpolant(), placement, gradients, ROWS, N,
                new double[N]);
    }

    @Test
    void backpropReversalAllocatesNothingPerStep() {
        for (RungeKutta m : new RungeKutta[] {RungeKutta.rk4(), RungeKutta.dopri5()}) {
            try (CheckpointStore s40 = new CheckpointStore(N, Long.MAX_VALUE);
                 CheckpointStore s160 = new CheckpointStore(N, Long.MAX_VALUE)) {
                BackpropPass short40 = pass(m, 40, s40);
                BackpropPass long160 = pass(m, 160, s160);
                assertEquals(0, allocated(short40::runStoredAll, 300, 20), m.name() + ": every step stored");
                assertEquals(0, allocated(long160::runStoredAll, 100, 20), m.name() + ": every step stored");
                // the binomial schedule allocates one small object per reversal, none per step
                long a40 = allocated(() -> short40.runBinomial(4), 300, 20);
                long a160 = allocated(() -> long160.runBinomial(4), 100, 20);
                assertEquals(a40, a160, m.name() + ": binomial, 4 slots, 40 vs 160 steps");
                assertTrue(a40 <= 20 * 64, m.name() + ": " + a40 + " bytes over 20 reversals");
            }
        }
    }

    @Test
    void adjointDynamicsAndDenseTrajectoryAllocateNothing() {
        TanhField field = new TanhField(D, 3);
        RungeKutta m = RungeKutta.dopri5();
        ButcherTableau tab = m.tableau();
        RungeKuttaReverse rk = new RungeKuttaReverse(field, ROWS, D, tab.a(), tab.b(), tab.c());
        int steps = 16;
        StepRecord record = new StepRecord();
        double h = 1.0 / steps;
        for (int i = 0; i < steps; i++) record.add(i * h, h, (i + 1) * h);
        try (CheckpointStore store = new CheckpointStore(N, Long.MAX_VALUE)) {
            double[] y = new double[N];
            for (int i = 0; i < steps; i += 4) store.write(i / 4, y, 0);
            DenseTrajectory trajectory = new DenseTrajectory(rk, record, store, m.interpolant(), N, 4);
            trajectory.stride(4);
            AugmentedLayout interp = AugmentedLayout.of(false, N, field);
            AdjointDynamics dyn = new AdjointDynamics(field, interp, trajectory, ROWS, true);
            double[] state = new double[interp.length()];
            double[] out = new double[interp.length()];
            double[] t = {0.0};
            assertEquals(0, allocated(() -> {
                t[0] = t[0] > 0.99 ? 0.0 : t[0] + 0.013;
                dyn.evaluate(1.0 - t[0], state, out, 1, null);
            }, 20_000, 2_000), "interpolating adjoint dynamics (segments re-solved on the way)");

            AugmentedLayout back = AugmentedLayout.of(true, N, field);
            AdjointDynamics backDyn = new AdjointDynamics(field, back, null, ROWS, false);
            double[] s2 = new double[back.length()];
            double[] o2 = new double[back.length()];
            assertEquals(0, allocated(() -> backDyn.evaluate(0.5, s2, o2, 1, null), 20_000, 2_000), "backsolve dynamics");

            // a whole backward solve: the allocation does not grow with the number of steps
            AdjointErrorNorm norm = new AdjointErrorNorm(back, AdjointNorm.SEMINORM);
            double[] aug = new double[back.length()];
            for (int j = 0; j < 2 * N; j++) aug[j] = 0.3 - 0.05 * j;
            SolverWorkspace ws = new SolverWorkspace();
            long[] stepsTaken = new long[1];
            java.util.function.DoubleFunction<Body> solveAt = rtol -> () -> {
                SolveOptions o = SolveOptions.builder().rtol(rtol).atol(rtol * 1e-2).errorNorm(norm)
                        .saveAt(SaveAt.t1()).build();
                stepsTaken[0] = Solver.solve(backDyn, aug, 1, 1.0, 0.0, m, o, ws).stats().accepted();
            };
            allocated(solveAt.apply(1e-4), 2000, 1);
            allocated(solveAt.apply(1e-10), 2000, 1);
            long loose = allocated(solveAt.apply(1e-4), 10, 20);
            long looseSteps = stepsTaken[0];
            long tight = allocated(solveAt.apply(1e-10), 10, 20);
            assertTrue(stepsTaken[0] > 3 * looseSteps, "the tight solve takes many more steps");
            assertEquals(loose, tight, "bytes per backward solve of " + looseSteps + " and " + stepsTaken[0] + " steps");
        }
    }
}
