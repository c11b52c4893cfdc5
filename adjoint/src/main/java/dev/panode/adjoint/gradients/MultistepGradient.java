package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.PerStepParameters;
import dev.panode.solvers.ConstantStep;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Solver;

/**
 * {@link Gradients#compute} for {@link MultistepBackprop}: the forward solve with the multistep method on its uniform
 * grid, saving every step, then the backward recursion. The field's parameters θ are shared by all steps, so the
 * per-step gradient blocks G_0 … G_{N−1} of the recursion (on the field replicated per step,
 * {@link PerStepParameters}) are summed into dL/dθ: the exact gradient of the discrete loss in mode
 * {@link MultistepBackprop.Mode#EXACT}, right to O(h²) in the leapfrog corrections (whose sums over steps are
 * conserved).
 *
 * <p>The loss may read the states at t_0 and t_N only (the recursion takes one final cotangent). Cost: the forward
 * solve plus one VJP per step (see {@link MultistepBackprop}); memory: every step's state and steps·P gradient
 * values, allocated per call.
 */
final class MultistepGradient {
    private MultistepGradient() {}

    static GradientResult run(GradientProblem p, MultistepBackprop backprop) {
        double[] times = p.times();
        if (times.length != 2) {
            throw new IllegalArgumentException("times must be [t0, t1] for MultistepBackprop (its loss reads y(t0) and "
                    + "y(t1) only), got " + times.length + " times");
        }
        if (p.wantTime()) {
            throw new IllegalArgumentException("timeGradients must be false for MultistepBackprop, got true");
        }
        int n = p.n();
        int dim = p.dim();
        if (!(p.options().controller() instanceof ConstantStep fixed)) {
            throw new IllegalArgumentException("options.controller must be ConstantStep for MultistepBackprop (a "
                    + "multistep method takes uniform steps), got " + p.options().controller());
        }
        int steps = (int) Math.round(Math.abs(times[1] - times[0]) / fixed.stepFor(times[0], times[1]));
        PerStepParameters perStep = PerStepParameters.replicate(p.field(), steps);
        Solution forward = Solver.solve(perStep, p.y0(), p.rows(), times[0], times[1], backprop.method(),
                p.options().toBuilder().saveAt(SaveAt.steps()).build());
        if (forward.size() != steps + 1) {
            throw new IllegalStateException("the forward solve took " + (forward.size() - 1) + " steps, expected "
                    + steps);
        }

        double[][] states = {p.y0().clone(), forward.lastState()};
        double[][] gradients = {new double[n], new double[n]};
        double loss = p.loss().evaluate(times, states, p.rows(), dim, gradients);
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the loss is not finite (" + loss + "); check the model and the solve");
        }

        int params = p.field().parameterCount();
        double[] blocks = new double[steps * params];
        double[] dLdy0 = new double[n];
        MultistepBackprop.Workspace ws = backprop.newWorkspace(perStep, p.rows());
        backprop.gradient(perStep, forward, gradients[1], dLdy0, blocks, ws);
        for (int i = 0; i < n; i++) dLdy0[i] += gradients[0][i];
        double[] dLdTheta = new double[params];
        for (int s = 0; s < steps; s++) {
            for (int j = 0; j < params; j++) dLdTheta[j] += blocks[s * params + j];
        }
        long forwardNfe = forward.stats().nfe();
        return new GradientResult(loss, states, dLdy0, dLdTheta, null,
                new GradientStats(forwardNfe, forwardNfe, 0, 0, steps, steps));
    }

    /**
     * {@link MultistepBackprop} behind a {@link GradientSession}: each gradient is {@link #run}'s, copied into the
     * session's outputs (the per-step state is still built per call: this method has no reusable workspace yet).
     */
    static final class Engine extends GradientEngine {
        private final MultistepBackprop backprop;
        private GradientResult last;

        Engine(GradientProblem p, MultistepBackprop backprop) {
            super(p, null);
            this.backprop = backprop;
        }

        @Override
        void compute() {
            last = run(p, backprop);
            System.arraycopy(last.dLdy0(), 0, dLdy0, 0, dLdy0.length);
            System.arraycopy(last.dLdTheta(), 0, dLdTheta, 0, dLdTheta.length);
            backwardNfe = last.stats().backwardNfe();
        }

        @Override
        double loss() {
            return last.loss();
        }

        @Override
        double[][] states() {
            return last.states();
        }

        @Override
        long forwardNfe() {
            return last.stats().forwardNfe();
        }

        @Override
        GradientStats stats() {
            return last.stats();
        }

        @Override
        public void close() {
        }
    }
}
