package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableFloatField;
import dev.panode.simd.StageKernelsF32;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.FloatField;
import dev.panode.solvers.FloatStepObserver;
import dev.panode.solvers.Interpolant;
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
 * The interpolating adjoint on float32 states (docs/ALGORITHMS.md §9, as {@link InterpolatingAdjoint} in double): the
 * float forward solve records every accepted step (its start state and stages); the adjoint [a, a_θ]' =
 * [−aᵀ∂f/∂z, −aᵀ∂f/∂θ] is then solved backwards in float over each observation interval, with z(t) read from the
 * forward's dense output (the method's interpolant) instead of integrated, so dissipative dynamics do not blow the
 * reconstruction up. With {@link AdjointNorm#FULL} the step size is controlled by the largest of the RMS norms of a and
 * each parameter tensor's adjoint (as the double {@link InterpolatingAdjoint}); with {@link AdjointNorm#SEMINORM} by a
 * alone.
 *
 * <p>Methods: explicit Runge–Kutta methods whose interpolant needs neither f at the end of the step nor extra stages
 * (dopri5, tsit5, bosh3: the FSAL ones); others are refused by name. Memory: every accepted state and its stages on
 * the heap ({@code (s + 1) × steps × rows × dim} floats). Once warm, {@link #computeInto} allocates nothing. Not
 * thread-safe.
 */
public final class InterpolatingF32 {
    private final DifferentiableFloatField field;
    private final RungeKutta method;
    private final Interpolant interpolant;
    private final SolveOptions options, backward;
    private final int rows, dim, n, p, s;
    private final SolverWorkspaceF32 forwardWs = new SolverWorkspaceF32(), backwardWs = new SolverWorkspaceF32();
    private final FloatStepObserver recorder;
    private final Adjoint adjoint;
    private final float[] aug, augEnd;
    // recorded steps
    private double[] ts = new double[16], hs = new double[16];
    private float[][] ys = new float[16][];
    private float[][][] ks = new float[16][][];
    private int count;
    private final FloatObservations obs;
    private long forwardNfe, backwardNfe, backwardSteps;

    private InterpolatingF32(DifferentiableFloatField field, RungeKutta method, int rows, SolveOptions options,
                             AdjointNorm norm) {
        this.field = field;
        this.method = method;
        this.interpolant = method.interpolant();
        this.options = options;
        this.rows = rows;
        this.dim = field.dim();
        this.n = Math.multiplyExact(rows, dim);
        this.p = field.parameterCount();
        // the backward solve lands on every observation time: y is only known inside the forward solve's range
        SolveOptions.Builder b = options.toBuilder().saveAt(SaveAt.t1()).torchdiffeqCompatible(false);
        if (norm == AdjointNorm.FULL && options.controller().isAdaptive()) {
            b.errorNorm(AdjointErrorNorm.of(AugmentedLayout.of(false, n, field), norm));
        }
        this.backward = b.build();
        this.obs = new FloatObservations(options, rows, dim, p);
        this.s = method.tableau().stages();
        this.recorder = this::record;
        this.adjoint = new Adjoint();
        this.aug = new float[n + p];
        this.augEnd = new float[n + p];
        if (norm == AdjointNorm.SEMINORM) backwardWs.measureFirst(n);
    }

    /**
     * A session.
     *
     * @throws IllegalArgumentException naming the argument and its value (see {@link BacksolveF32#session}); also for
     *                                  a method whose interpolant needs f at the step's end or extra stages
     */
    public static InterpolatingF32 session(DifferentiableFloatField field, int rows, OdeMethod method,
                                           SolveOptions options, AdjointNorm norm) {
        FloatObservations.checkSession(field, rows, options);
        if (!(method instanceof RungeKutta rk) || rk.interpolant().usesEndDerivative()
                || rk.interpolant().extraStages() > 0) {
            throw new IllegalArgumentException("method must be an explicit Runge–Kutta method whose interpolant reads "
                    + "only its stages (dopri5, tsit5, bosh3) for the float32 interpolating adjoint, got "
                    + (method == null ? null : method.name()));
        }
        if (norm == null) throw new IllegalArgumentException("norm must be non-null");
        return new InterpolatingF32(field, rk, rows, options, norm);
    }

    /** The loss and gradients on the grid {@code times} (t_0 first, increasing); allocates the result. */
    public GradientResultF32 compute(float[] y0, double[] times, Loss loss) {
        float[] dLdy0 = new float[n];
        float[] dLdTheta = new float[p];
        double l = computeInto(y0, times, loss, dLdy0, dLdTheta);
        return new GradientResultF32(l, obs.savedStates(), dLdy0, dLdTheta, forwardNfe, backwardNfe, count,
                backwardSteps);
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
        count = 0;
        Result r = Solver.solveInto(field, y0, rows, times[0], times[last], method, obs.onGrid, forwardWs, obs.saved,
                recorder);
        if (r != Result.SUCCESSFUL) throw new IllegalStateException("the forward solve ended with " + r);
        forwardNfe = forwardWs.lastNfe();
        double l = obs.loss(loss);
        backwardNfe = 0;
        backwardSteps = 0;
        Arrays.fill(aug, 0.0f);
        adjoint.cursor = count - 1;
        // as the double sweep (AdjointSweep): the linearised dynamics have the forward's time scales, so the first
        // interval starts from the forward controller's last proposal and each later one from its predecessor's
        double firstStep = forwardWs.lastStepProposal();
        for (int i = last; i >= 1; i--) {
            for (int j = 0; j < n; j++) aug[j] += (float) obs.grads[i][j];
            Solver.solveInto(adjoint, aug, 1, times[i], times[i - 1], method, backward, backwardWs, augEnd, firstStep);
            firstStep = backwardWs.lastStepProposal();
            backwardNfe += backwardWs.lastNfe();
            backwardSteps += backwardWs.lastAccepted();
            System.arraycopy(augEnd, 0, aug, 0, aug.length);
        }
        for (int j = 0; j < n; j++) dLdy0[j] = aug[j] + (float) obs.grads[0][j];
        System.arraycopy(aug, n, dLdTheta, 0, p);
        return l;
    }

    /** Field evaluations of the last forward solve. */
    public long lastForwardNfe() {
        return forwardNfe;
    }

    /** Evaluations (VJPs) of the last backward solves. */
    public long lastBackwardNfe() {
        return backwardNfe;
    }

    private void record(double t, double h, double tEnd, float[] yBefore, float[] yAfter) {
        if (count >= ts.length) {
            int cap = 2 * ts.length;
            ts = Arrays.copyOf(ts, cap);
            hs = Arrays.copyOf(hs, cap);
            ys = Arrays.copyOf(ys, cap);
            ks = Arrays.copyOf(ks, cap);
        }
        if (ys[count] == null) {
            ys[count] = new float[n];
            ks[count] = new float[s][n];
        }
        ts[count] = t;
        hs[count] = h;
        System.arraycopy(yBefore, 0, ys[count], 0, n);
        float[][] k = forwardWs.stages();
        for (int i = 0; i < s; i++) System.arraycopy(k[i], 0, ks[count][i], 0, n);
        count++;
    }

    /** [a, a_θ]' = [−aᵀ∂f/∂z, −aᵀ∂f/∂θ] at z(t) from the forward's dense output, as one float field (rows = 1). */
    private final class Adjoint implements FloatField {
        private final float[] z = new float[n], a = new float[n], zBar = new float[n], thetaBar = new float[p];
        private final double[] weights = new double[s + 1];
        private final FieldWorkspace ws = field.newWorkspace(rows);
        /** The step the last evaluation read; the backward solve moves down through them. */
        int cursor;

        @Override
        public int dim() {
            return n + p;
        }

        @Override
        public void evaluate(double t, float[] y, float[] dyOut, int ignoredRows, FieldWorkspace ignored) {
            int m = Math.min(Math.max(cursor, 0), count - 1);
            while (m > 0 && t < ts[m]) m--;
            while (m < count - 1 && t > ts[m] + hs[m]) m++;
            cursor = m;
            interpolant.weights((t - ts[m]) / hs[m], weights);
            StageKernelsF32.combine(ys[m], 0, hs[m], weights, interpolant.weightCount(), ks[m], 0, z, 0, n);
            System.arraycopy(y, 0, a, 0, n);
            Arrays.fill(thetaBar, 0.0f);
            field.vjpUnchecked(t, z, a, zBar, thetaBar, null, rows, ws);
            for (int j = 0; j < n; j++) dyOut[j] = -zBar[j];
            for (int j = 0; j < p; j++) dyOut[n + j] = -thetaBar[j];
        }
    }
}
