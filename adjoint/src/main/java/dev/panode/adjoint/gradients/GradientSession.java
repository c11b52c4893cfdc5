package dev.panode.adjoint.gradients;

import java.lang.ref.Cleaner;

/**
 * A gradient computation made once for a problem shape — field, batch rows, observation times, loss, solver method
 * and options, gradient method — and run many times, from different initial states or after the field's parameters
 * changed (a training loop). It owns everything a gradient needs: the forward pass's saved states and step record,
 * the backward machinery, the solver workspaces and the off-heap checkpoint stores, which are reset, not freed,
 * between calls. Once a call has run at the problem's size, further calls allocate nothing on the Java heap (for a
 * forward solve no longer than any before; the binomial checkpoint schedule, used only when the states do not fit,
 * allocates one small object per call; {@link MultistepBackprop} still builds its per-step state every call).
 *
 * <pre>{@code
 * Optimizer.State adam = new Adam(1e-3).start(mlp.parameterCount());
 * try (GradientSession s = Gradients.session(mlp, rows, times, Loss.sumOfSquaresAtEnd(), RungeKutta.dopri5(),
 *         SolveOptions.builder().rtol(1e-6).atol(1e-8).build(), Backprop.storeAll(), false)) {
 *     for (int it = 0; it < 1000; it++) {
 *         double loss = s.compute(y0);
 *         adam.step(mlp.parameters(), s.dLdTheta(), 1.0);
 *     }
 * }
 * }</pre>
 *
 * <p>The outputs ({@link #dLdTheta()}, {@link #dLdy0()}, {@link #dLdTimes()}, {@link #state(int)}) are views that
 * the next {@link #compute} overwrites; {@link #result()} copies them. The results are those of
 * {@link Gradients#compute} with the same arguments, bit for bit (which builds a session per call).
 *
 * <p>Threads: a session is used by one thread at a time (any thread: its off-heap stores come from shared arenas);
 * parallel work takes one session per thread or per chunk of work. Close it to free the off-heap memory at once; a
 * session that becomes unreachable unclosed is freed by a {@link Cleaner} later.
 *
 * <p>When not to use: for a single gradient, {@link Gradients#compute} is simpler; a session pays off from the second
 * call on.
 */
public final class GradientSession implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final GradientProblem problem;
    private final GradientEngine engine;
    private final Cleaner.Cleanable cleanable;
    private boolean computed;
    private boolean closed;

    /**
     * @param shared whether the session may move between threads (its stores then come from shared arenas and are
     *               also freed when the session becomes unreachable); otherwise it is confined to this thread
     */
    GradientSession(GradientProblem problem, GradientMethod method, boolean shared) {
        this.problem = problem;
        this.engine = switch (method) {
            case Backprop b -> new BackpropGradient(problem, b, shared);
            case BacksolveAdjoint b -> new BacksolveGradient(problem, b);
            case InterpolatingAdjoint i -> new InterpolatingGradient(problem, i, shared);
            case MultistepBackprop m -> new MultistepGradient.Engine(problem, m);
        };
        GradientEngine e = engine;
        this.cleanable = shared ? CLEANER.register(this, e::close) : e::close;
    }

    /**
     * Solves forward from {@code y0} at the field's current parameters, evaluates the loss and runs the gradient
     * method backwards.
     *
     * @param y0 the initial states, {@code rows × dim}; copied, not modified
     * @return the loss
     * @throws IllegalArgumentException if y0 is null, of the wrong length or not finite
     * @throws IllegalStateException    if the session is closed or the loss is not finite
     * @throws dev.panode.solvers.SolveException when the forward or a backward solve fails
     */
    public double compute(double[] y0) {
        if (closed) throw new IllegalStateException("the gradient session is closed");
        if (y0 == null) throw new IllegalArgumentException("y0 must be non-null");
        int n = problem.n();
        if (y0.length != n) {
            throw new IllegalArgumentException("y0 must have length rows × dim = " + problem.rows() + " × "
                    + problem.dim() + ", got " + y0.length);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y0[i])) throw new IllegalArgumentException("y0[" + i + "] must be finite, got " + y0[i]);
        }
        System.arraycopy(y0, 0, problem.y0(), 0, n);
        computed = false;
        engine.compute();
        computed = true;
        return engine.loss();
    }

    /** The loss of the last {@link #compute}. */
    public double loss() {
        check();
        return engine.loss();
    }

    /** ∂L/∂θ of the last {@link #compute}, in the field's parameter layout; a view the next call overwrites. */
    public double[] dLdTheta() {
        check();
        return engine.dLdTheta;
    }

    /** ∂L/∂y_0 of the last {@link #compute}, {@code rows × dim}; a view the next call overwrites. */
    public double[] dLdy0() {
        check();
        return engine.dLdy0;
    }

    /** ∂L/∂t_i of the last {@link #compute}, or null unless the session was made with time gradients; a view. */
    public double[] dLdTimes() {
        check();
        return engine.dLdTimes;
    }

    /** y(t_i) of the last {@link #compute} ({@code state(0)} = y_0); a view the next call overwrites. */
    public double[] state(int i) {
        check();
        if (i < 0 || i >= problem.times().length) {
            throw new IllegalArgumentException("i must be in [0, " + (problem.times().length - 1) + "], got " + i);
        }
        return engine.states()[i];
    }

    /** Field evaluations of the last forward solve. */
    public long forwardNfe() {
        check();
        return engine.forwardNfe();
    }

    /** Evaluations of the last backward pass (as {@link GradientStats#backwardNfe()}). */
    public long backwardNfe() {
        check();
        return engine.backwardNfe;
    }

    /** The cost of the last {@link #compute} (a new record). */
    public GradientStats stats() {
        check();
        return engine.stats();
    }

    /** The last {@link #compute}'s outputs, copied into a new {@link GradientResult}. */
    public GradientResult result() {
        check();
        double[][] states = new double[engine.states().length][];
        for (int i = 0; i < states.length; i++) states[i] = engine.states()[i].clone();
        return new GradientResult(engine.loss(), states, engine.dLdy0.clone(), engine.dLdTheta.clone(),
                engine.dLdTimes == null ? null : engine.dLdTimes.clone(), engine.stats());
    }

    /** Samples in the batch. */
    public int rows() {
        return problem.rows();
    }

    /** State dimension of one sample. */
    public int dim() {
        return problem.dim();
    }

    /** Frees the off-heap memory; idempotent. Must be called from the thread that made the session. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        cleanable.clean();
    }

    private void check() {
        if (closed) throw new IllegalStateException("the gradient session is closed");
        if (!computed) throw new IllegalStateException("no gradient computed yet: call compute(y0) first");
    }
}
