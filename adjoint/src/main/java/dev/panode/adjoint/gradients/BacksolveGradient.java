package dev.panode.adjoint.gradients;

/** {@link BacksolveAdjoint}: forward solve, then (y, a, a_θ, a_t) backwards interval by interval. */
final class BacksolveGradient extends GradientEngine {
    private final AdjointSweep sweep;

    BacksolveGradient(GradientProblem p, BacksolveAdjoint method) {
        super(p, new ForwardPass(p, p.field(), null));
        AugmentedLayout layout = AugmentedLayout.of(true, p.n(), p.field());
        AdjointDynamics dynamics = new AdjointDynamics(p.field(), layout, null, p.rows(), p.wantTime());
        this.sweep = new AdjointSweep(p, fwd, layout, dynamics, method.norm(), method.rtol(), method.atol(),
                method.method(), false);
    }

    @Override
    void compute() {
        fwd.run();
        sweep.run(dLdy0, dLdTheta, dLdTimes);
        long timeEvals = p.wantTime() ? p.times().length - 1 : 0;
        backwardNfe = sweep.backwardNfe + timeEvals;
        backwardSteps = sweep.backwardSteps;
    }

    @Override
    public void close() {
    }
}
