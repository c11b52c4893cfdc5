package dev.panode.adjoint.gradients;

/** {@link BacksolveAdjoint}: forward solve, then (y, a, a_θ, a_t) backwards interval by interval. */
final class BacksolveGradient {
    private BacksolveGradient() {}

    static GradientResult run(GradientProblem p, BacksolveAdjoint method) {
        ForwardPass fwd = ForwardPass.run(p, null);
        AugmentedLayout layout = AugmentedLayout.of(true, p.n(), p.field());
        AdjointDynamics dynamics = new AdjointDynamics(p.field(), layout, null, p.rows(), p.wantTime());
        AdjointSweep sweep = new AdjointSweep();
        sweep.run(p, fwd, layout, dynamics, method.norm(), method.rtol(), method.atol(), method.method());
        long timeEvals = p.wantTime() ? p.times().length - 1 : 0;
        GradientStats stats = new GradientStats(fwd.nfe, sweep.backwardNfe + timeEvals, 0, 0, fwd.steps.count(),
                sweep.backwardSteps);
        return new GradientResult(fwd.loss, fwd.states, sweep.dLdy0, sweep.dLdTheta, sweep.dLdTimes, stats);
    }
}
