package dev.panode.adjoint.gradients;

import dev.panode.solvers.ButcherTableau;
import dev.panode.solvers.ConstantStep;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.RungeKutta;

/** {@link Backprop}: forward solve with checkpoints, then the reversal of every recorded step. */
final class BackpropGradient {
    /**
     * The most slots the binomial schedule uses (its recursion is as deep as the slots). 4096 slots reverse
     * β(4096, 2) ≈ 8.4 million steps with at most two recomputations each; beyond, extra slots barely help.
     */
    static final int MAX_SCHEDULE_SLOTS = 4096;

    private BackpropGradient() {}

    static GradientResult run(GradientProblem p, Backprop method) {
        int n = p.n();
        int storable = method.checkpointing().slotsFor(n);
        int slots = Math.min(storable, MAX_SCHEDULE_SLOTS);
        long budget = method.checkpointing().budgetBytesFor(n);
        ConstantStep fixed = p.options().controller() instanceof ConstantStep cs && cs.steps() > 0 ? cs : null;
        int knownSteps = fixed == null ? -1 : fixed.steps();
        boolean sweep = knownSteps > storable;
        int[] chain = sweep ? Revolve.firstSweepCheckpoints(knownSteps, slots) : new int[0];
        double[] working = new double[n];
        try (CheckpointStore store = new CheckpointStore(n, budget)) {
            int[] next = {0};
            ForwardPass fwd = ForwardPass.run(p, (index, step) -> {
                double[] y = step.yBefore();
                if (sweep) {
                    if (index == 0) store.write(0, y, 0);
                    if (next[0] < chain.length && chain[next[0]] == index) store.write(++next[0], y, 0);
                    if (index == knownSteps - 1) System.arraycopy(y, 0, working, 0, n);
                } else if (index < storable) {
                    store.write(index, y, 0);
                }
            });
            int count = fwd.steps.count();
            if (!(fwd.methodUsed instanceof RungeKutta rk)) {
                throw new IllegalArgumentException("backprop needs a RungeKutta method, got " + fwd.methodUsed.name());
            }
            ButcherTableau tab = rk.tableau();
            RungeKuttaReverse reverse = new RungeKuttaReverse(p.field(), p.rows(), p.dim(), tab.a(), tab.b(), tab.c());
            ObservationPlacement placement = new ObservationPlacement(p.times(), fwd.steps);
            BackpropPass pass = new BackpropPass(reverse, p.field(), fwd.steps, store, rk.interpolant(), placement,
                    fwd.gradients, p.rows(), n, working);
            if (sweep && count == knownSteps) {
                pass.runBinomialAfterSweep(slots);
            } else if (count <= storable) {
                pass.runStoredAll();
            } else {
                pass.runBinomial(slots);
            }
            double[] dLdy0 = pass.yBar().clone();
            double[] dLdTheta = pass.thetaBar().clone();
            long extra = 0;
            double[] dLdTimes = null;
            if (p.wantTime()) {
                dLdTimes = timeGradients(p, fwd, dLdy0);
                extra = p.times().length;
            }
            GradientStats stats = new GradientStats(fwd.nfe,
                    reverse.evaluations() + reverse.vjps() + pass.extraNfe() + extra, store.bytesUsed(),
                    pass.stepsRecomputed(), count, pass.reversedSteps());
            return new GradientResult(fwd.loss, fwd.states, dLdy0, dLdTheta, dLdTimes, stats);
        }
    }

    /**
     * dL/dt_i = g_i·f(t_i, y_i) for i ≥ 1 and dL/dt_0 = −(dL/dy_0 − g_0)·f(t_0, y_0): the derivatives of the flow,
     * evaluated with the discrete adjoint (consistent with the method's order).
     */
    static double[] timeGradients(GradientProblem p, ForwardPass fwd, double[] dLdy0) {
        int count = p.times().length;
        int n = p.n();
        double[] out = new double[count];
        double[] f = new double[n];
        FieldWorkspace ws = p.field().newWorkspace(p.rows());
        for (int i = 1; i < count; i++) {
            out[i] = ForwardPass.directTimeGradient(p, p.times()[i], fwd.states[i], fwd.gradients[i], f, ws);
        }
        double[] flow = new double[n];
        for (int j = 0; j < n; j++) flow[j] = dLdy0[j] - fwd.gradients[0][j];
        out[0] = -ForwardPass.directTimeGradient(p, p.times()[0], fwd.states[0], flow, f, ws);
        return out;
    }
}
