package dev.panode.bench.gradients;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.GradientStats;
import dev.panode.adjoint.models.Mlp;
import dev.panode.solvers.RungeKutta;

/** A gradient case measured through one {@link GradientSession}, made on first use and reused. */
abstract class SessionGradientCase implements GradientFloor.Case {
    private GradientSession session;

    /** A new session for the case. */
    abstract GradientSession newSession();

    /** The case's initial states. */
    abstract double[] initialStates();

    /** The gradient method. */
    abstract GradientMethod gradientMethod();

    /** The forward method. */
    abstract RungeKutta forwardMethod();

    @Override
    public final int stages() {
        return forwardMethod().tableau().stages();
    }

    /** One gradient through the case's session; returns the loss. */
    final double gradient() {
        if (session == null) session = newSession();
        return session.compute(initialStates());
    }

    @Override
    public final GradientStats stats() {
        if (session == null) gradient();
        return session.stats();
    }

    @Override
    public final boolean backprop() {
        return gradientMethod() instanceof Backprop;
    }

    @Override
    public abstract Mlp mlp();

    /** Frees the session's off-heap memory. */
    final void close() {
        if (session != null) session.close();
        session = null;
    }
}
