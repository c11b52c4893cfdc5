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
import dev.panode.solvers.StepReplayF32;
import dev.panode.solvers.TorchdiffeqConventions;
import java.util.Arrays;

/**
 * The interpolating adjoint on float32 states (docs/ALGORITHMS.md §9, as {@link InterpolatingAdjoint} in double): the
 * float forward solve records its accepted steps (start state and stages, as its {@link Checkpointing} allows); the
 * adjoint [a, a_θ]' = [−aᵀ∂f/∂z, −aᵀ∂f/∂θ] is then solved backwards in float over each observation interval, with
 * z(t) read from the forward's dense output (the method's interpolant) instead of integrated, so dissipative dynamics
 * do not blow the reconstruction up. With {@link AdjointNorm#FULL} the step size is controlled by the largest of the RMS norms of a and
 * each parameter tensor's adjoint (as the double {@link InterpolatingAdjoint}); with {@link AdjointNorm#SEMINORM} by a
 * alone.
 *
 * <p>Methods: explicit Runge–Kutta methods whose interpolant needs neither f at the end of the step nor extra stages
 * (dopri5, tsit5, bosh3: the FSAL ones); others are refused by name.
 *
 * <p>Memory, on the heap in rows of {@code rows × dim} floats the session keeps and reuses. With
 * {@link Checkpointing#all()} (the default) every accepted step's dense output: its start state and s stages,
 * {@code (s + 1) × steps × rows × dim} floats. With a {@link Checkpointing.Budget} of b bytes (or
 * {@link Checkpointing.Binomial} with c slots: b = c·4·rows·dim) the forward keeps the steps' dense output while it
 * fits in b; past that only states, in {@code b / (4·rows·dim)} slots (y_0's included): every k-th step's, k doubling
 * whenever the slots run out (as {@link InterpolatingAdjoint}). The backward pass then rebuilds the dense output of the
 * k steps after a kept state by replaying them ({@link StepReplayF32}: the solver's own float stepper from the kept
 * state with the recorded t, h and first stage), so it reads the same bits and the gradient has the bits of
 * {@link Checkpointing#all()} whatever the budget. Segments of L = min(steps, max(k, 8)) steps (8 rounded up to a
 * multiple of k) are cached beside the budget, the last two read ({@code L·(s + 1)·rows·dim} floats each, the second
 * made only when the solve has two segments; k ≤ 2·steps / slots): working memory the budget does not bound. Each
 * step is replayed about once ({@link #lastStepsRecomputed}; s − 1 evaluations a step, s after a kept state). A budget
 * that cannot hold y_0 throws {@link CheckpointBudgetExceededException} when the session is made.
 *
 * <p>Once a session has run a problem of its size, {@link #computeInto} allocates nothing. Not thread-safe.
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
    // every accepted step: start t, signed h, end time
    private double[] ts = new double[16], hs = new double[16], tEnds = new double[16];
    private int count;
    /** The most rows of n floats the budget holds ({@code Integer.MAX_VALUE − 8} for {@link Checkpointing#all()}). */
    private final int maxRows;
    /**
     * The kept rows. While {@link #full}: step m's state at row m·(s + 1), its stage i at row m·(s + 1) + 1 + i (viewed
     * through {@link #ys} and {@link #ks}). Otherwise the state of step j·{@link #stride} in row j, for j &lt; maxRows.
     */
    private float[][] pool = new float[16][];
    private float[][] ys = new float[16][];
    private float[][][] ks = new float[16][][];
    private boolean full;
    private int stride;
    /** The rows this gradient wrote (their high-water mark). */
    private int keptRows;
    // the dense output of replayed segments (null with Checkpointing.all()): two cached, each made on first use
    private final StepReplayF32 replay;
    private float[][][] segmentY;
    private float[][][][] segmentK;
    private final float[] segmentEnd;
    private final int[] cachedSegment = {-1, -1};
    private int segmentLength, lru;
    /**
     * The fewest steps a replayed segment holds: a rejected backward step re-reads the forward steps it spanned, so
     * one-step segments would be replayed again (about twice the steps when the stride is 1).
     */
    private static final int MIN_SEGMENT = 8;
    private final FloatObservations obs;
    private long forwardNfe, backwardNfe, backwardSteps, stepsRecomputed;

    private InterpolatingF32(DifferentiableFloatField field, RungeKutta method, int rows, SolveOptions options,
                             AdjointNorm norm, Checkpointing checkpointing) {
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
        long budget = BackpropF32.budgetBytes(checkpointing, n);
        this.maxRows = (int) Math.min(Integer.MAX_VALUE - 8, budget / ((long) n * Float.BYTES));
        boolean bounded = budget != Long.MAX_VALUE;
        this.replay = bounded ? new StepReplayF32(TorchdiffeqConventions.method(method, options), field, rows, dim)
                : null;
        this.segmentY = bounded ? new float[2][0][] : null;
        this.segmentK = bounded ? new float[2][0][][] : null;
        this.segmentEnd = bounded ? new float[n] : null;
    }

    /**
     * A session keeping every step's dense output ({@link Checkpointing#all()}).
     *
     * @throws IllegalArgumentException naming the argument and its value (see {@link BacksolveF32#session}); also for
     *                                  a method whose interpolant needs f at the step's end or extra stages
     */
    public static InterpolatingF32 session(DifferentiableFloatField field, int rows, OdeMethod method,
                                           SolveOptions options, AdjointNorm norm) {
        return session(field, rows, method, options, norm, Checkpointing.all());
    }

    /**
     * A session keeping forward states as {@code checkpointing} says (see the class comment: a byte budget or c slots
     * of {@code 4·rows·dim} bytes bound what it keeps); the gradients have the bits of {@link Checkpointing#all()}
     * whatever the choice.
     *
     * @throws IllegalArgumentException          naming the argument and its value (see {@link BacksolveF32#session});
     *                                           also for a method whose interpolant needs f at the step's end or
     *                                           extra stages
     * @throws CheckpointBudgetExceededException when the budget cannot hold y_0 ({@code 4·rows·dim} bytes)
     */
    public static InterpolatingF32 session(DifferentiableFloatField field, int rows, OdeMethod method,
                                           SolveOptions options, AdjointNorm norm, Checkpointing checkpointing) {
        FloatObservations.checkSession(field, rows, options);
        if (!(method instanceof RungeKutta rk) || rk.interpolant().usesEndDerivative()
                || rk.interpolant().extraStages() > 0) {
            throw new IllegalArgumentException("method must be an explicit Runge–Kutta method whose interpolant reads "
                    + "only its stages (dopri5, tsit5, bosh3) for the float32 interpolating adjoint, got "
                    + (method == null ? null : method.name()));
        }
        if (norm == null) throw new IllegalArgumentException("norm must be non-null");
        if (checkpointing == null) throw new IllegalArgumentException("checkpointing must be non-null");
        return new InterpolatingF32(field, rk, rows, options, norm, checkpointing);
    }

    /** The loss and gradients on the grid {@code times} (t_0 first, increasing); allocates the result. */
    public GradientResultF32 compute(float[] y0, double[] times, Loss loss) {
        float[] dLdy0 = new float[n];
        float[] dLdTheta = new float[p];
        double l = computeInto(y0, times, loss, dLdy0, dLdTheta);
        return new GradientResultF32(l, obs.savedStates(), dLdy0, dLdTheta, forwardNfe, backwardNfe, count,
                backwardSteps, lastCheckpointBytes(), 0, stepsRecomputed);
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
        full = true;
        stride = 1;
        keptRows = 0;
        Result r = Solver.solveInto(field, y0, rows, times[0], times[last], method, obs.onGrid, forwardWs, obs.saved,
                recorder);
        if (r != Result.SUCCESSFUL) throw new IllegalStateException("the forward solve ended with " + r);
        forwardNfe = forwardWs.lastNfe();
        double l = obs.loss(loss);
        backwardNfe = 0;
        backwardSteps = 0;
        stepsRecomputed = 0;
        cachedSegment[0] = cachedSegment[1] = -1;
        lru = 0;
        if (!full) segmentLength = Math.min(count, stride * Math.ceilDiv(MIN_SEGMENT, stride));
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

    /** Evaluations (VJPs) of the last backward solves, and those of the steps they replayed. */
    public long lastBackwardNfe() {
        return backwardNfe;
    }

    /** Forward steps the last backward pass replayed from kept states (0 when every step's dense output fit). */
    public long lastStepsRecomputed() {
        return stepsRecomputed;
    }

    /** Heap bytes of the dense output or states the last gradient kept: at most the budget. */
    public long lastCheckpointBytes() {
        return (long) keptRows * n * Float.BYTES;
    }

    /** The heap bytes the session holds for kept rows (its pool; the replay's segments aside). */
    long heldBytes() {
        long rowsHeld = 0;
        for (float[] r : pool) if (r != null) rowsHeld++;
        return rowsHeld * n * Float.BYTES;
    }

    private void record(double t, double h, double tEnd, float[] yBefore, float[] yAfter) {
        int m = count;
        if (m >= ts.length) {
            int cap = 2 * ts.length;
            ts = Arrays.copyOf(ts, cap);
            hs = Arrays.copyOf(hs, cap);
            tEnds = Arrays.copyOf(tEnds, cap);
        }
        ts[m] = t;
        hs[m] = h;
        tEnds[m] = tEnd;
        count++;
        if (full && (long) (m + 1) * (s + 1) > maxRows) keepStatesOnly(m);
        if (full) {
            if (m >= ys.length) {
                ys = Arrays.copyOf(ys, 2 * ys.length);
                ks = Arrays.copyOf(ks, 2 * ks.length);
            }
            if (ks[m] == null) ks[m] = new float[s][];
            int r = m * (s + 1);
            ys[m] = row(r);
            System.arraycopy(yBefore, 0, ys[m], 0, n);
            float[][] k = forwardWs.stages();
            for (int i = 0; i < s; i++) {
                ks[m][i] = row(r + 1 + i);
                System.arraycopy(k[i], 0, ks[m][i], 0, n);
            }
            keptRows = r + s + 1;
        } else {
            keepThinned(m, yBefore);
        }
    }

    /** Row r of the pool, made on first use. */
    private float[] row(int r) {
        if (r >= pool.length) pool = Arrays.copyOf(pool, (int) Math.min(maxRows, Math.max(r + 1L, 2L * pool.length)));
        if (pool[r] == null) pool[r] = new float[n];
        return pool[r];
    }

    /** From step m on only states are kept: the states of steps 0..m−1 move from their records to rows 0..m−1. */
    private void keepStatesOnly(int m) {
        full = false;
        for (int j = 1; j < m; j++) System.arraycopy(pool[j * (s + 1)], 0, pool[j], 0, n);
        keptRows = m;
    }

    /** Keeps the state of every stride-th step in the rows; the stride doubles when they run out. */
    private void keepThinned(int m, float[] y) {
        while (m % stride == 0 && m / stride >= maxRows) {
            for (int j = 1; 2 * j < maxRows; j++) System.arraycopy(pool[2 * j], 0, pool[j], 0, n);
            stride *= 2;
        }
        if (m % stride == 0) {
            int r = m / stride;
            System.arraycopy(y, 0, row(r), 0, n);
            keptRows = Math.max(keptRows, r + 1);
        }
    }

    /**
     * Makes cache c hold {@link #segmentLength} steps' dense output (grown only past every earlier size; the second
     * cache is made only when a solve has two segments).
     */
    private void ensureSegment(int c) {
        if (segmentY[c].length >= segmentLength) return;
        segmentY[c] = new float[segmentLength][n];
        segmentK[c] = new float[segmentLength][s][n];
    }

    /**
     * Replays the steps of segment j (from the state kept for its first step) into the least recently used cache;
     * returns the cache.
     */
    private int load(int j) {
        int c = lru;
        ensureSegment(c);
        int first = j * segmentLength, end = Math.min(first + segmentLength, count);
        float[][] y = segmentY[c];
        System.arraycopy(pool[first / stride], 0, y[0], 0, n);
        backwardNfe += replay.begin(ts, hs, first, y[0]);
        for (int m = first; m < end; m++) {
            int local = m - first;
            backwardNfe += replay.step(ts[m], hs[m], tEnds[m], y[local], m + 1 < end ? y[local + 1] : segmentEnd,
                    segmentK[c][local]);
        }
        stepsRecomputed += end - first;
        cachedSegment[c] = j;
        return c;
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
            float[] ym;
            float[][] km;
            if (full) {
                ym = ys[m];
                km = ks[m];
            } else {
                int j = m / segmentLength;
                int c = cachedSegment[0] == j ? 0 : cachedSegment[1] == j ? 1 : load(j);
                lru = 1 - c;
                ym = segmentY[c][m - j * segmentLength];
                km = segmentK[c][m - j * segmentLength];
            }
            interpolant.weights((t - ts[m]) / hs[m], weights);
            StageKernelsF32.combine(ym, 0, hs[m], weights, interpolant.weightCount(), km, 0, z, 0, n);
            System.arraycopy(y, 0, a, 0, n);
            Arrays.fill(thetaBar, 0.0f);
            field.vjpUnchecked(t, z, a, zBar, thetaBar, null, rows, ws);
            for (int j = 0; j < n; j++) dyOut[j] = -zBar[j];
            for (int j = 0; j < p; j++) dyOut[n + j] = -thetaBar[j];
        }
    }
}
