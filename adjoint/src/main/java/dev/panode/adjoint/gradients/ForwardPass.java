package dev.panode.adjoint.gradients;

import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.StepObserver;
import dev.panode.solvers.StepView;
import dev.panode.solvers.TorchdiffeqConventions;

/**
 * The forward solve shared by every gradient method: saves at the observation times, records the accepted steps,
 * hands each step to a checkpointing hook, then evaluates the loss and its gradient at each observation.
 */
final class ForwardPass {
    /** Sees every accepted step with its index. */
    interface StepHook {
        void onStep(int index, StepView step);
    }

    final double[][] states;
    final double[][] gradients;
    final double loss;
    final long nfe;
    final StepRecord steps;
    final OdeMethod methodUsed;

    private ForwardPass(double[][] states, double[][] gradients, double loss, long nfe, StepRecord steps,
                        OdeMethod methodUsed) {
        this.states = states;
        this.gradients = gradients;
        this.loss = loss;
        this.nfe = nfe;
        this.steps = steps;
        this.methodUsed = methodUsed;
    }

    static ForwardPass run(GradientProblem p, StepHook hook) {
        StepRecord record = new StepRecord();
        OdeMethod[] used = new OdeMethod[1];
        StepObserver user = p.options().observer();
        StepObserver observer = step -> {
            int index = record.count();
            record.add(step.t(), step.h(), step.tEnd());
            if (used[0] == null) used[0] = step.method();
            if (hook != null) hook.onStep(index, step);
            if (user != null) user.onAcceptedStep(step);
        };
        SolveOptions options = p.options().toBuilder()
                .saveAt(SaveAt.times(p.saveTimes()))
                .observer(observer)
                .throwOnFailure(true)
                .build();
        double[] t = p.times();
        Solution sol = Solver.solve(p.field(), p.y0(), p.rows(), t[0], t[t.length - 1], p.method(), options);
        int count = t.length;
        int n = p.n();
        double[][] states = new double[count][n];
        System.arraycopy(p.y0(), 0, states[0], 0, n);
        for (int i = 1; i < count; i++) sol.state(i - 1, states[i]);
        double[][] gradients = new double[count][n];
        double loss = p.loss().evaluate(t.clone(), states, p.rows(), p.dim(), gradients);
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the loss is not finite (" + loss + "); check the model and the solve");
        }
        OdeMethod m = used[0] != null ? used[0] : TorchdiffeqConventions.method(p.method(), p.options());
        return new ForwardPass(states, gradients, loss, sol.stats().nfe(), record, m);
    }

    /** {@code Σ g_i·f(t_i, y_i)}: the direct time gradient of observation i ≥ 1. */
    static double directTimeGradient(GradientProblem p, double time, double[] state, double[] g, double[] scratch,
                                     dev.panode.solvers.FieldWorkspace ws) {
        p.field().evaluate(time, state, scratch, p.rows(), ws);
        double acc = 0.0;
        for (int j = 0; j < p.n(); j++) acc += g[j] * scratch[j];
        return acc;
    }
}
