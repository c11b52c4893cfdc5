package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.VjpJacobianField;
import dev.panode.solvers.AutoSwitching;
import dev.panode.solvers.Esdirk;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.JacobianField;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.StepObserver;
import dev.panode.solvers.StepView;
import dev.panode.solvers.TorchdiffeqConventions;
import dev.panode.solvers.VectorField;

/**
 * The forward solve shared by every gradient method: saves at the observation times, records the accepted steps,
 * hands each step to a checkpointing hook, then evaluates the loss and its gradient at each observation. Made once
 * per {@link GradientSession} and run once per gradient: its buffers, solver workspace and options are reused, so a
 * run allocates nothing once the step record has grown to the solve's length.
 */
final class ForwardPass implements StepObserver {
    /** Sees every accepted step with its index. */
    interface StepHook {
        void onStep(int index, StepView step);
    }

    final double[][] states;
    final double[][] gradients;
    double loss;
    long nfe;
    final StepRecord steps = new StepRecord();
    OdeMethod methodUsed;

    private final GradientProblem p;
    private final VectorField solved;
    private final boolean vjpJacobian;
    private StepHook hook;
    private final StepObserver user;
    private final SolveOptions options;
    private final SolverWorkspace workspace = new SolverWorkspace();
    private final double[] saved;
    private final double[] times;

    /**
     * @param solved the field the solver evaluates: the problem's, or a recorder around it
     * @param hook   sees every accepted step (may be null)
     */
    ForwardPass(GradientProblem p, VectorField solved, StepHook hook) {
        this(p, solved, hook, false);
    }

    /**
     * @param landOnTimes whether every step must end exactly on the observation times (they join the options'
     *                    tstops): for backprop through a method whose dense output is not differentiated
     */
    ForwardPass(GradientProblem p, VectorField solved, StepHook hook, boolean landOnTimes) {
        this.p = p;
        // the implicit methods get the exact Jacobian from VJPs rather than differences: what the gradients' replays use
        this.vjpJacobian = needsJacobian(p.method()) && !(solved instanceof JacobianField);
        this.solved = vjpJacobian ? VjpJacobianField.of(p.field(), p.dim()) : solved;
        this.hook = hook;
        this.user = p.options().observer();
        SolveOptions.Builder b = p.options().toBuilder()
                .saveAt(SaveAt.times(p.saveTimes()))
                .observer(this)
                .throwOnFailure(true);
        if (landOnTimes) b.tstops(union(p.options().tstops(), p.saveTimes()));
        this.options = b.build();
        int count = p.times().length;
        this.states = new double[count][p.n()];
        this.gradients = new double[count][p.n()];
        this.saved = new double[(count - 1) * p.n()];
        this.times = new double[count];
    }

    /** Whether the method factorises a Jacobian (and so gains from an exact one). */
    private static boolean needsJacobian(OdeMethod m) {
        return m instanceof Esdirk || m instanceof Rosenbrock || m instanceof AutoSwitching;
    }

    /** The sorted union of two increasing arrays, without duplicates. */
    private static double[] union(double[] a, double[] b) {
        double[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        java.util.Arrays.sort(all);
        int count = 0;
        for (int i = 0; i < all.length; i++) {
            if (count == 0 || all[i] != all[count - 1]) all[count++] = all[i];
        }
        return java.util.Arrays.copyOf(all, count);
    }

    /** Sets the hook that sees every accepted step (null: none). */
    void hook(StepHook hook) {
        this.hook = hook;
    }

    /** Solves from the problem's current y0 and evaluates the loss. */
    void run() {
        steps.clear();
        methodUsed = null;
        double[] t = p.times();
        Solver.solveInto(solved, p.y0(), p.rows(), t[0], t[t.length - 1], p.method(), options, workspace, saved);
        int count = t.length;
        int n = p.n();
        System.arraycopy(p.y0(), 0, states[0], 0, n);
        for (int i = 1; i < count; i++) System.arraycopy(saved, (i - 1) * n, states[i], 0, n);
        System.arraycopy(t, 0, times, 0, count);
        loss = p.loss().evaluate(times, states, p.rows(), p.dim(), gradients);
        NonFiniteLossException.check(p.loss(), loss, t, gradients, n);
        // the Jacobians' VJPs count as evaluations, as differences would (dim per Jacobian)
        nfe = workspace.lastNfe() + (vjpJacobian ? workspace.lastJacobians() * p.dim() : 0);
        if (methodUsed == null) {
            methodUsed = TorchdiffeqConventions.method(p.method(), p.options());
        }
    }

    /**
     * The step the forward solve's controller proposed after its last accepted step (NaN after fixed steps or a
     * solve that took none): a first step for a backward solve over the same dynamics.
     */
    double lastStepProposal() {
        return workspace.lastStepProposal();
    }

    @Override
    public void onAcceptedStep(StepView step) {
        int index = steps.count();
        steps.add(step.t(), step.h(), step.tEnd());
        if (methodUsed == null) methodUsed = step.method();
        if (hook != null) hook.onStep(index, step);
        if (user != null) user.onAcceptedStep(step);
    }

    /** {@code Σ g_i·f(t_i, y_i)}: the direct time gradient of observation i ≥ 1. */
    static double directTimeGradient(GradientProblem p, double time, double[] state, double[] g, double[] scratch,
                                     FieldWorkspace ws) {
        p.field().evaluate(time, state, scratch, p.rows(), ws);
        double acc = 0.0;
        for (int j = 0; j < p.n(); j++) acc += g[j] * scratch[j];
        return acc;
    }
}
