package dev.panode.adjoint.gradients;

import dev.panode.solvers.ConstantStep;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.StepSizeController;

/**
 * The backward sweep shared by the continuous adjoints (ALGORITHMS.md §4): walks the observation intervals from the
 * last to the first; at each observation t_i the time gradient g_i·f(t_i, y_i) is taken off a_t (when asked for), the
 * augmented system is solved from t_i to t_{i−1} as a fresh solve (its own initial step, as torchdiffeq restarts on
 * every interval), y is re-anchored to its forward value (backsolve only), and a jumps by g_{i−1}.
 */
final class AdjointSweep {
    long backwardNfe;
    long backwardSteps;
    double[] dLdy0;
    double[] dLdTheta;
    double[] dLdTimes;

    void run(GradientProblem p, ForwardPass fwd, AugmentedLayout layout, AdjointDynamics dynamics,
             AdjointNorm norm, double rtol, double atol, OdeMethod adjointMethod) {
        SolveOptions options = backwardOptions(p, layout, norm, rtol, atol, layout.withY());
        OdeMethod method = adjointMethod != null ? adjointMethod : p.method();
        double[] t = p.times();
        int last = t.length - 1;
        int n = p.n();
        double[] aug = new double[layout.length()];
        if (layout.withY()) System.arraycopy(fwd.states[last], 0, aug, layout.yOffset(), n);
        System.arraycopy(fwd.gradients[last], 0, aug, layout.aOffset(), n);
        double[] times = p.wantTime() ? new double[t.length] : null;
        double[] f = new double[n];
        dev.panode.solvers.FieldWorkspace fieldWs = p.field().newWorkspace(p.rows());
        SolverWorkspace ws = new SolverWorkspace();
        for (int i = last; i >= 1; i--) {
            if (times != null) {
                times[i] = ForwardPass.directTimeGradient(p, t[i], fwd.states[i], fwd.gradients[i], f, fieldWs);
                aug[layout.timeOffset()] -= times[i];
            }
            Solution sol = Solver.solve(dynamics, aug, 1, t[i], t[i - 1], method, options, ws);
            sol.state(sol.size() - 1, aug);
            backwardNfe += sol.stats().nfe();
            backwardSteps += sol.stats().accepted();
            if (layout.withY()) System.arraycopy(fwd.states[i - 1], 0, aug, layout.yOffset(), n);
            double[] g = fwd.gradients[i - 1];
            int ao = layout.aOffset();
            for (int j = 0; j < n; j++) aug[ao + j] += g[j];
        }
        dLdy0 = java.util.Arrays.copyOfRange(aug, layout.aOffset(), layout.aOffset() + n);
        dLdTheta = java.util.Arrays.copyOfRange(aug, layout.thetaOffset(), layout.timeOffset());
        if (times != null) {
            times[0] = aug[layout.timeOffset()];
            dLdTimes = times;
        }
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
        SolveOptions.Builder b = SolveOptions.builder()
                .controller(controller)
                .rtol(Double.isNaN(rtol) ? f.rtol() : rtol)
                .atol(Double.isNaN(atol) ? f.atol() : atol)
                .errorNorm(new AdjointErrorNorm(layout, norm))
                .dtMin(f.dtMin())
                .maxSteps(f.maxSteps())
                .torchdiffeqCompatible(mayStepPast && f.torchdiffeqCompatible())
                .saveAt(SaveAt.t1())
                .throwOnFailure(true);
        if (Double.isFinite(f.dtMax())) b.dtMax(f.dtMax());
        return b.build();
    }
}
