package dev.panode.adjoint.gradients;

import dev.panode.solvers.ConstantStep;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.StepSizeController;

/**
 * The backward sweep shared by the continuous adjoints (docs/ALGORITHMS.md §9.2): walks the observation intervals from the
 * last to the first; at each observation t_i the time gradient g_i·f(t_i, y_i) is taken off a_t (when asked for), the
 * augmented system is solved from t_i to t_{i−1}, y is re-anchored to its forward value (backsolve only), and a jumps
 * by g_{i−1}. The backsolve adjoint solves each interval afresh (its own initial step, as torchdiffeq restarts on every
 * interval); the interpolating adjoint carries the step size across intervals and starts the first one from the
 * forward solve's last proposal when it runs the forward's method at the forward's tolerances.
 */
final class AdjointSweep {
    long backwardNfe;
    long backwardSteps;

    private final GradientProblem p;
    private final ForwardPass fwd;
    private final AugmentedLayout layout;
    private final AdjointDynamics dynamics;
    private final SolveOptions options;
    private final OdeMethod method;
    private final double[] aug;
    private final double[] end;
    private final double[] f;
    private final dev.panode.solvers.FieldWorkspace fieldWs;
    private final SolverWorkspace ws = new SolverWorkspace();
    private final boolean carryStep;
    /** Whether the first interval starts from the forward solve's last step proposal (see {@link #sweep}). */
    private final boolean startFromForward;

    /** The sweep of one session: options, buffers and workspaces made once. */
    AdjointSweep(GradientProblem p, ForwardPass fwd, AugmentedLayout layout, AdjointDynamics dynamics,
                 AdjointNorm norm, double rtol, double atol, OdeMethod adjointMethod, boolean carryStep) {
        this.carryStep = carryStep;
        SolveOptions f = p.options();
        this.startFromForward = carryStep && (adjointMethod == null || adjointMethod == p.method())
                && (Double.isNaN(rtol) || rtol == f.rtol()) && (Double.isNaN(atol) || atol == f.atol());
        this.p = p;
        this.fwd = fwd;
        this.layout = layout;
        this.dynamics = dynamics;
        this.options = backwardOptions(p, layout, norm, rtol, atol, layout.withY());
        this.method = adjointMethod != null ? adjointMethod : p.method();
        this.aug = new double[layout.length()];
        this.end = new double[layout.length()];
        this.f = new double[p.n()];
        this.fieldWs = p.field().newWorkspace(p.rows());
    }

    /**
     * Sweeps back over the forward pass just run; writes ∂L/∂y_0, ∂L/∂θ and (when non-null) ∂L/∂t_i into the given
     * arrays. Allocates nothing.
     */
    void run(double[] dLdy0, double[] dLdTheta, double[] dLdTimes) {
        dynamics.holdParameters();
        try {
            sweep(dLdy0, dLdTheta, dLdTimes);
        } finally {
            dynamics.releaseParameters();
        }
    }

    private void sweep(double[] dLdy0, double[] dLdTheta, double[] dLdTimes) {
        double[] t = p.times();
        int last = t.length - 1;
        int n = p.n();
        backwardNfe = 0;
        backwardSteps = 0;
        long jacobianVjps = dynamics.jacobianVjps();
        java.util.Arrays.fill(aug, 0.0);
        if (layout.withY()) System.arraycopy(fwd.states[last], 0, aug, layout.yOffset(), n);
        System.arraycopy(fwd.gradients[last], 0, aug, layout.aOffset(), n);
        // The interpolating adjoint's backward solve runs the forward's method at its tolerances over the
        // linearised dynamics, whose time scales are the forward's: it starts where the forward controller left off,
        // not from the initial-step heuristic (one VJP, and a cautious first step); later intervals carry their own
        double firstStep = startFromForward ? fwd.lastStepProposal() : Double.NaN;
        for (int i = last; i >= 1; i--) {
            if (dLdTimes != null) {
                dLdTimes[i] = ForwardPass.directTimeGradient(p, t[i], fwd.states[i], fwd.gradients[i], f, fieldWs);
                aug[layout.timeOffset()] -= dLdTimes[i];
            }
            Solver.solveInto(dynamics, aug, 1, t[i], t[i - 1], method, options, ws, end, firstStep);
            firstStep = carryStep ? ws.lastStepProposal() : Double.NaN;
            System.arraycopy(end, 0, aug, 0, aug.length);
            backwardNfe += ws.lastNfe();
            backwardSteps += ws.lastAccepted();
            if (layout.withY()) System.arraycopy(fwd.states[i - 1], 0, aug, layout.yOffset(), n);
            double[] g = fwd.gradients[i - 1];
            int ao = layout.aOffset();
            for (int j = 0; j < n; j++) aug[ao + j] += g[j];
        }
        backwardNfe += dynamics.jacobianVjps() - jacobianVjps;
        System.arraycopy(aug, layout.aOffset(), dLdy0, 0, n);
        System.arraycopy(aug, layout.thetaOffset(), dLdTheta, 0, layout.timeOffset() - layout.thetaOffset());
        if (dLdTimes != null) dLdTimes[0] = aug[layout.timeOffset()];
    }

    /**
     * The backward solve's options: the forward controller (fixed steps keep their size), the adjoint's tolerances,
     * the adjoint norm for acceptance and the initial step, saving only the end. The backsolve adjoint keeps the
     * forward convention (torchdiffeq's steps past each interval's end and interpolates back); the interpolating
     * adjoint always lands on the observation times, because y is only known inside the forward solve's range.
     */
    static SolveOptions backwardOptions(GradientProblem p, AugmentedLayout layout, AdjointNorm norm, double rtol,
                                        double atol, boolean mayStepPast) {
        SolveOptions f = p.options();
        StepSizeController controller = f.controller();
        if (controller instanceof ConstantStep cs && cs.steps() > 0) {
            double[] t = p.times();
            controller = ConstantStep.of((t[t.length - 1] - t[0]) / cs.steps());
        }
        SolveOptions.Builder b = SolveOptions.builder().controller(controller);
        if (controller.isAdaptive()) {
            // tolerances, error norm and step bounds belong to an adaptive controller (fixed steps refuse them)
            b.rtol(Double.isNaN(rtol) ? f.rtol() : rtol)
                    .atol(Double.isNaN(atol) ? f.atol() : atol)
                    .errorNorm(AdjointErrorNorm.of(layout, norm))
                    .dtMin(f.dtMin());
            if (Double.isFinite(f.dtMax())) b.dtMax(f.dtMax());
        }
        b.maxSteps(f.maxSteps())
                .torchdiffeqCompatible(mayStepPast && f.torchdiffeqCompatible())
                .saveAt(SaveAt.t1())
                .throwOnFailure(true);
        return b.build();
    }
}
