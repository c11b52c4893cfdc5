package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableFloatField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.FloatField;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspaceF32;
import java.util.Arrays;

/**
 * The backsolve adjoint on float32 states (docs/ALGORITHMS.md §8, as {@link BacksolveAdjoint} in double): a float
 * forward solve saves y(t_i) at the grid, then, from the last observation back, the augmented system
 * [z, a, a_θ]' = [f, −aᵀ∂f/∂z, −aᵀ∂f/∂θ] is solved backwards in float over each interval with the same method and
 * tolerances, z restarted from the forward's y(t_i) and a jumping by ∂L/∂y(t_i) at each observation (as torchdiffeq's
 * {@code odeint_adjoint}). With {@link AdjointNorm#FULL} the step size is controlled by torchdiffeq's default adjoint
 * norm, the largest of the RMS norms of z, a and each parameter tensor's adjoint
 * ({@link DifferentiableFloatField#parameterTensorSizes()}; a {@link dev.panode.solvers.BlockNorm}, summed in double,
 * the rule of the double adjoints); with {@link AdjointNorm#SEMINORM} by one RMS over (z, a) alone
 * ({@link SolverWorkspaceF32#measureFirst}; torchdiffeq's seminorm takes the larger of the two RMS norms). Both
 * take torchdiffeq 0.2.5's float32 forward and backward evaluation counts on the bench MLPs
 * (BacksolveF32TorchdiffeqTest); with the full norm that is more backward evaluations than the double adjoint takes
 * at the same tolerances (38 against 32 on 32→256→256→32, batch 256), as in torchdiffeq.
 *
 * <p>A session for one field, batch size, method and options: explicit Runge–Kutta methods, no time gradients.
 * Memory O(rows·dim + P) (no checkpoints). Cost: the forward solve, then the backward solves, each evaluation one
 * float VJP. Accuracy: the exact flow's gradient to the tolerance (not the gradient of the float solution); when
 * not to use: dissipative, stiff-ish or chaotic dynamics, where the backward reconstruction of z blows up (as in
 * double, docs/ADJOINT.md). Once warm, {@link #computeInto} allocates nothing. Not thread-safe.
 */
public final class BacksolveF32 {
    private final DifferentiableFloatField field;
    private final OdeMethod method;
    private final SolveOptions options;
    private final AdjointNorm norm;
    private final int rows, dim, n, p;
    private final Augmented augmented;
    private final SolverWorkspaceF32 forwardWs = new SolverWorkspaceF32(), backwardWs = new SolverWorkspaceF32();
    private final float[] aug, augEnd;
    private final SolveOptions backward;
    private final FloatObservations obs;
    private long forwardNfe, backwardNfe, backwardSteps;

    private BacksolveF32(DifferentiableFloatField field, OdeMethod method, int rows, SolveOptions options,
                         AdjointNorm norm) {
        this.field = field;
        this.method = method;
        this.options = options;
        this.norm = norm;
        this.rows = rows;
        this.dim = field.dim();
        this.n = Math.multiplyExact(rows, dim);
        this.p = field.parameterCount();
        this.obs = new FloatObservations(options, rows, dim, p);
        this.augmented = new Augmented(field, rows, n, p);
        this.aug = new float[2 * n + p];
        this.augEnd = new float[2 * n + p];
        SolveOptions.Builder b = options.toBuilder().saveAt(SaveAt.t1());
        if (norm == AdjointNorm.FULL && options.controller().isAdaptive()) {
            b.errorNorm(AdjointErrorNorm.of(AugmentedLayout.of(true, n, field), norm));
        }
        this.backward = b.build();
        if (norm == AdjointNorm.SEMINORM) backwardWs.measureFirst(2 * n);
    }

    /**
     * A session.
     *
     * @param field   the float field (its {@code dim()} must be known)
     * @param rows    the batch size, ≥ 1
     * @param method  an explicit Runge–Kutta method
     * @param options tolerances, controller and conventions of the forward and backward solves; the save policy
     *                must be left unset and failures must throw
     * @param norm    the backward solves' error norm
     * @throws IllegalArgumentException naming the argument and its value
     */
    public static BacksolveF32 session(DifferentiableFloatField field, int rows, OdeMethod method, SolveOptions options,
                                       AdjointNorm norm) {
        FloatObservations.checkSession(field, rows, options);
        if (!(method instanceof RungeKutta)) {
            throw new IllegalArgumentException("method must be an explicit Runge–Kutta method in float32, got "
                    + (method == null ? null : method.name()));
        }
        if (norm == null) throw new IllegalArgumentException("norm must be non-null");
        return new BacksolveF32(field, method, rows, options, norm);
    }

    /** The loss and gradients on the grid {@code times} (t_0 first, increasing); allocates the result. */
    public GradientResultF32 compute(float[] y0, double[] times, Loss loss) {
        float[] dLdy0 = new float[n];
        float[] dLdTheta = new float[p];
        double l = computeInto(y0, times, loss, dLdy0, dLdTheta);
        return new GradientResultF32(l, obs.savedStates(), dLdy0, dLdTheta, forwardNfe, backwardNfe,
                forwardWs.lastAccepted(), backwardSteps);
    }

    /**
     * As {@link #compute}, writing ∂L/∂y0 and ∂L/∂θ (overwritten) and returning L.
     *
     * @throws IllegalArgumentException on a wrong-sized argument or a grid that is not increasing
     * @throws SolveException           when a forward or backward solve fails
     */
    public double computeInto(float[] y0, double[] times, Loss loss, float[] dLdy0, float[] dLdTheta) {
        obs.begin(y0, times, loss, dLdy0, dLdTheta, true);
        int last = times.length - 1;
        Result r = Solver.solveInto(field, y0, rows, times[0], times[last], method, obs.onGrid, forwardWs,
                obs.saved);
        if (r != Result.SUCCESSFUL) throw new IllegalStateException("the forward solve ended with " + r);
        forwardNfe = forwardWs.lastNfe();
        double l = obs.loss(loss);
        backwardNfe = 0;
        backwardSteps = 0;
        Arrays.fill(aug, 0.0f);
        for (int i = last; i >= 1; i--) {
            System.arraycopy(obs.saved, i * n, aug, 0, n);                    // z restarts from the forward state
            for (int j = 0; j < n; j++) aug[n + j] += (float) obs.grads[i][j];  // the adjoint jumps by ∂L/∂y(t_i)
            Solver.solveInto(augmented, aug, 1, times[i], times[i - 1], method, backward, backwardWs, augEnd);
            backwardNfe += backwardWs.lastNfe();
            backwardSteps += backwardWs.lastAccepted();
            System.arraycopy(augEnd, 0, aug, 0, aug.length);
        }
        for (int j = 0; j < n; j++) dLdy0[j] = aug[n + j] + (float) obs.grads[0][j];
        System.arraycopy(aug, 2 * n, dLdTheta, 0, p);
        return l;
    }

    /** The norm of the backward solves. */
    public AdjointNorm norm() {
        return norm;
    }

    /** Field evaluations of the last forward solve. */
    public long lastForwardNfe() {
        return forwardNfe;
    }

    /** Evaluations (VJPs) of the last backward solves. */
    public long lastBackwardNfe() {
        return backwardNfe;
    }

    /** [z, a, a_θ]' = [f, −aᵀ∂f/∂z, −aᵀ∂f/∂θ] as one float field of dimension 2n + P, solved with rows = 1. */
    private static final class Augmented implements FloatField {
        private final DifferentiableFloatField field;
        private final int rows, n, p;
        private final float[] z, a, zBar, thetaBar, f;
        private final FieldWorkspace ws;

        Augmented(DifferentiableFloatField field, int rows, int n, int p) {
            this.field = field;
            this.rows = rows;
            this.n = n;
            this.p = p;
            this.z = new float[n];
            this.a = new float[n];
            this.zBar = new float[n];
            this.thetaBar = new float[p];
            this.f = new float[n];
            this.ws = field.newWorkspace(rows);
        }

        @Override
        public int dim() {
            return 2 * n + p;
        }

        @Override
        public void evaluate(double t, float[] y, float[] dyOut, int ignoredRows, FieldWorkspace ignored) {
            System.arraycopy(y, 0, z, 0, n);
            System.arraycopy(y, n, a, 0, n);
            Arrays.fill(thetaBar, 0.0f);
            field.vjpUnchecked(t, z, a, zBar, thetaBar, f, rows, ws);
            System.arraycopy(f, 0, dyOut, 0, n);
            for (int j = 0; j < n; j++) dyOut[n + j] = -zBar[j];
            for (int j = 0; j < p; j++) dyOut[2 * n + j] = -thetaBar[j];
        }
    }
}
