package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.TanhField;
import dev.panode.blas.testing.Allocations;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import org.junit.jupiter.api.Test;

/** After warm-up, a backward step allocates nothing on the Java heap, for every gradient method. */
class BackwardAllocationTest {
    static final int D = 4;
    static final int ROWS = 3;
    static final int N = D * ROWS;

    /** A backprop reversal over {@code steps} equal steps of {@code m}, every starting state stored. */
    static BackpropPass pass(RungeKutta m, int steps, CheckpointStore store) {
        TanhField field = new TanhField(D, 2);
        RungeKuttaReverse rk = new RungeKuttaReverse(field, m, ROWS, D);
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
                Allocations.assertNoAllocation(m.name() + ": every step stored, 40 steps", 300, 20, short40::runStoredAll);
                Allocations.assertNoAllocation(m.name() + ": every step stored, 160 steps", 100, 20, long160::runStoredAll);
                // the binomial schedule allocates one small object per reversal, none per step
                Allocations.assertSameBytes(m.name() + ": binomial, 4 slots, 40 vs 160 steps",
                        () -> short40.runBinomial(4), () -> long160.runBinomial(4), 100, 20);
                Allocations.assertAtMostPerCall(m.name() + ": binomial reversal", 64, 0, 20, () -> short40.runBinomial(4));
            }
        }
    }

    @Test
    void adjointDynamicsAndDenseTrajectoryAllocateNothing() {
        TanhField field = new TanhField(D, 3);
        RungeKutta m = RungeKutta.dopri5();
        RungeKuttaReverse rk = new RungeKuttaReverse(field, m, ROWS, D);
        int steps = 16;
        StepRecord record = new StepRecord();
        double h = 1.0 / steps;
        for (int i = 0; i < steps; i++) record.add(i * h, h, (i + 1) * h);
        try (CheckpointStore store = new CheckpointStore(N, Long.MAX_VALUE)) {
            double[] y = new double[N];
            for (int i = 0; i < steps; i += 4) store.write(i / 4, y, 0);
            DenseTrajectory trajectory = new DenseTrajectory(rk, record, store, m.interpolant(), N);
            trajectory.prepare(4, 4);
            AugmentedLayout interp = AugmentedLayout.of(false, N, field);
            AdjointDynamics dyn = new AdjointDynamics(field, interp, trajectory, ROWS, true);
            double[] state = new double[interp.length()];
            double[] out = new double[interp.length()];
            double[] t = {0.0};
            Allocations.assertNoAllocation("interpolating adjoint dynamics (segments re-solved on the way)", () -> {
                t[0] = t[0] > 0.99 ? 0.0 : t[0] + 0.013;
                dyn.evaluate(1.0 - t[0], state, out, 1, null);
            });

            AugmentedLayout back = AugmentedLayout.of(true, N, field);
            AdjointDynamics backDyn = new AdjointDynamics(field, back, null, ROWS, false);
            double[] s2 = new double[back.length()];
            double[] o2 = new double[back.length()];
            Allocations.assertNoAllocation("backsolve dynamics", () -> backDyn.evaluate(0.5, s2, o2, 1, null));

            // a whole backward solve: the allocation does not grow with the number of steps
            dev.panode.solvers.ErrorNorm norm = AdjointErrorNorm.of(back, AdjointNorm.SEMINORM);
            double[] aug = new double[back.length()];
            for (int j = 0; j < 2 * N; j++) aug[j] = 0.3 - 0.05 * j;
            SolverWorkspace ws = new SolverWorkspace();
            long[] stepsTaken = new long[1];
            java.util.function.DoubleFunction<Runnable> solveAt = rtol -> () -> {
                SolveOptions o = SolveOptions.builder().rtol(rtol).atol(rtol * 1e-2).errorNorm(norm)
                        .saveAt(SaveAt.t1()).build();
                stepsTaken[0] = Solver.solve(backDyn, aug, 1, 1.0, 0.0, m, o, ws).stats().accepted();
            };
            long[] looseSteps = new long[1];
            Runnable looseSolve = solveAt.apply(1e-4);
            Runnable loose = () -> {
                looseSolve.run();
                looseSteps[0] = stepsTaken[0];
            };
            Allocations.assertSameBytes("bytes per backward solve at rtol 1e-4 and 1e-10", loose,
                    solveAt.apply(1e-10), 2000, 20);
            assertTrue(stepsTaken[0] > 3 * looseSteps[0], "the tight solve takes many more steps: " + stepsTaken[0]
                    + " against " + looseSteps[0]);
        }
    }
}
