package dev.panode.adjoint.gradients;

import dev.panode.solvers.ButcherTableau;
import dev.panode.solvers.RungeKutta;

/**
 * {@link InterpolatingAdjoint}: forward solve storing every k-th step's state off-heap (k doubling whenever the slots
 * run out), then (a, a_θ, a_t) backwards with y from a {@link DenseTrajectory}.
 */
final class InterpolatingGradient {
    private InterpolatingGradient() {}

    static GradientResult run(GradientProblem p, InterpolatingAdjoint method) {
        int n = p.n();
        int slots = method.checkpointing().slotsFor(n);
        long budget = method.checkpointing().budgetBytesFor(n);
        try (CheckpointStore store = new CheckpointStore(n, budget)) {
            ThinningCheckpoints thinning = new ThinningCheckpoints(store, slots, n);
            ForwardPass fwd = ForwardPass.run(p, (index, step) -> thinning.onStep(index, step.yBefore()));
            if (!(fwd.methodUsed instanceof RungeKutta rk)) {
                throw new IllegalArgumentException("the interpolating adjoint needs a RungeKutta forward method (for "
                        + "its dense output), got " + fwd.methodUsed.name());
            }
            ButcherTableau tab = rk.tableau();
            RungeKuttaReverse stepper = new RungeKuttaReverse(p.field(), p.rows(), p.dim(), tab.a(), tab.b(), tab.c());
            DenseTrajectory trajectory = new DenseTrajectory(stepper, fwd.steps, store, rk.interpolant(), n,
                    Math.max(1, Math.min(thinning.stride(), fwd.steps.count())));
            trajectory.stride(thinning.stride());
            AugmentedLayout layout = AugmentedLayout.of(false, n, p.field());
            AdjointDynamics dynamics = new AdjointDynamics(p.field(), layout, trajectory, p.rows(), p.wantTime());
            AdjointSweep sweep = new AdjointSweep();
            sweep.run(p, fwd, layout, dynamics, method.norm(), method.rtol(), method.atol(), method.method());
            long timeEvals = p.wantTime() ? p.times().length - 1 : 0;
            GradientStats stats = new GradientStats(fwd.nfe, sweep.backwardNfe + stepper.evaluations() + timeEvals,
                    store.bytesUsed(), trajectory.stepsRecomputed(), fwd.steps.count(), sweep.backwardSteps);
            return new GradientResult(fwd.loss, fwd.states, sweep.dLdy0, sweep.dLdTheta, sweep.dLdTimes, stats);
        }
    }

    /** Keeps the state at every stride-th step in at most {@code slots} slots; stride doubles when they run out. */
    static final class ThinningCheckpoints {
        private final CheckpointStore store;
        private final int slots;
        private final double[] buffer;
        private int stride = 1;

        ThinningCheckpoints(CheckpointStore store, int slots, int n) {
            this.store = store;
            this.slots = slots;
            this.buffer = new double[n];
        }

        void onStep(int index, double[] y) {
            while (index % stride == 0 && index / stride >= slots) {
                for (int j = 1; 2 * j < slots; j++) {
                    store.read(2 * j, buffer, 0);
                    store.write(j, buffer, 0);
                }
                stride *= 2;
            }
            if (index % stride == 0) store.write(index / stride, y, 0);
        }

        int stride() {
            return stride;
        }
    }
}
