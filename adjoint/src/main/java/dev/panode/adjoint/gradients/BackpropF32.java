package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableFloatField;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.solvers.ButcherTableau;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.FloatField;
import dev.panode.solvers.FloatStepObserver;
import dev.panode.solvers.Interpolant;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveException;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspaceF32;
import dev.panode.solvers.TorchdiffeqConventions;
import java.util.Arrays;

/**
 * Backprop through a float32 solve: the discrete adjoint of the float Runge–Kutta steps the solver took
 * (docs/ALGORITHMS.md §7, as {@link Backprop} in double), for a {@link DifferentiableFloatField} such as
 * {@code MlpF32}. A session for one field, batch size, method and options; each {@link #compute} solves forward in
 * float ({@link Solver#solveInto} with a step observer that stores every accepted state and its stage inputs),
 * evaluates the {@link Loss} in double on the widened saved states, then walks the steps backwards and runs the float
 * VJPs ({@link DifferentiableFloatField#vjpUnchecked}) at the recorded stage inputs, seeding the stage cotangents
 * through the interpolant for observations inside a step. Cotangents, ∂L/∂y0 and ∂L/∂θ are accumulated in float.
 *
 * <p>Supported: explicit {@link RungeKutta} methods whose interpolant has no extra stages (all but dop853-dense);
 * save times as the problem's grid; no time gradients. Memory: every accepted state and its s stage inputs
 * ({@code (s + 1) × steps × rows × dim} floats, on the heap, grown as needed), and with saved stages
 * ({@link #stagesSaved()}) each stage's saved evaluation, {@code s × steps × savedLength(rows)} floats at most (a
 * stage shared by two steps is kept once), written in place by the field's layers and read in place. Cost: the
 * forward solve, then per step up to s VJPs (an FSAL step's last stage, live only through observations inside the
 * step, joins the next step's first VJP, docs/ALGORITHMS.md §7): from the saved evaluations when the field saves them
 * ({@link DifferentiableFloatField#savedLength} &gt; 0; for an MLP every layer's output) and {@link StageSaving} says
 * so, two matrix products per layer; otherwise each VJP makes its own forward pass. Both give the same bits.
 * Once a session has run a problem of its size, {@link #computeInto} allocates nothing. Accuracy: the gradient of the
 * float solution to float rounding; against the double gradient of the same model, float rounding amplified by the
 * flow (the tests derive the bound). When not to use: when the gradient needs more than about 5 significant digits,
 * or the number of steps times the state size does not fit the heap (use the double {@link Backprop} with a budget).
 * Not thread-safe: one session per thread.
 */
public final class BackpropF32 {
    private final DifferentiableFloatField field;
    private final RungeKutta method;
    private final ButcherTableau tableau;
    private final Interpolant interpolant;
    private final SolveOptions options;
    private final int rows, dim, n, s, p;
    private final double[][] a;
    private final SolverWorkspaceF32 ws = new SolverWorkspaceF32();
    private final FieldWorkspace fws;
    private final FloatStepObserver recorder;
    /** The field the forward solve evaluates: {@link #field}, or with saved stages a recorder of its evaluations. */
    private final FloatField forward;
    private final FloatStageRecorder stageRecorder;
    /** Floats per saved evaluation; 0 when stages are rebuilt inside the VJPs. */
    private final int saved;
    /** Stage i of step m's saved evaluation: the recorder's block {@code savedStages[m·s + i]} (not copied). */
    private float[][] savedStages;
    // the recorded steps: start t, signed h, end time; state m at ys[m·n], the last end state at ys[count·n]
    private double[] ts = new double[16], hs = new double[16], tEnds = new double[16];
    private float[] ys;
    /** The stage inputs Y_0..Y_{s−1} of step m at {@code stages[(m·s + i)·n]}, copied from the solver's stepper. */
    private float[] stages;
    private int count;
    private final FloatObservations obs;
    // the reverse pass
    private final float[][] stageIn, kBar;
    private final boolean[] seeded, live;
    private final float[] yBar, yBarStart, stageYBar, gF;
    private final double[] weights;
    /** The tableau is FSAL: a step's last stage may be the next step's first evaluation ({@link #sharesLastStage}). */
    private final boolean fsal;
    private long forwardNfe, backwardNfe;

    private BackpropF32(DifferentiableFloatField field, RungeKutta method, int rows, SolveOptions options,
                        StageSaving stageSaving) {
        this.field = field;
        this.method = method;
        this.tableau = method.tableau();
        this.interpolant = method.interpolant();
        this.options = options;
        this.rows = rows;
        this.dim = field.dim();
        this.n = Math.multiplyExact(rows, dim);
        this.s = tableau.stages();
        this.p = field.parameterCount();
        this.a = tableau.a();
        this.fsal = tableau.isFsal();
        this.fws = field.newWorkspace(rows);
        this.ys = new float[17 * n];
        this.stages = new float[16 * s * n];
        this.stageIn = new float[s][n];
        this.kBar = new float[s + 1][n];
        this.seeded = new boolean[s + 1];
        this.live = new boolean[s];
        this.yBar = new float[n];
        this.yBarStart = new float[n];
        this.stageYBar = new float[n];
        this.gF = new float[n];
        this.weights = new double[s + 1];
        this.recorder = this::record;
        this.obs = new FloatObservations(options, rows, dim, p);
        int length = field.savedLength(rows);
        this.saved = savesStages(stageSaving, field, rows, length, s) ? length : 0;
        this.stageRecorder = saved > 0 ? new FloatStageRecorder(field, rows) : null;
        this.forward = saved > 0 ? stageRecorder : field;
        this.savedStages = new float[saved > 0 ? 16 * s : 0][];
    }

    /**
     * {@link StageSaving}'s rule in float: AUTO saves when one step's saved stages fit the cached size, or when an
     * MLP's forward multiply–adds per saved float reach {@link StageSaving#MULTIPLY_ADDS_PER_SAVED_DOUBLE} (the layers
     * write their outputs straight into the saved blocks, as in double).
     */
    private static boolean savesStages(StageSaving rule, DifferentiableFloatField field, int rows, int length,
                                       int stages) {
        if (length <= 0 || rule == StageSaving.NEVER) return false;
        if (rule == StageSaving.ALWAYS) return true;
        if ((long) stages * length * Float.BYTES <= StageSaving.CACHED_STEP_BYTES) return true;
        if (!(field instanceof MlpF32 mlp)) return true;
        MlpArchitecture a = mlp.architecture();
        long perRow = 0;
        for (int l = 0; l < a.layerCount(); l++) perRow += (long) a.inputs(l) * a.outputs(l);
        return perRow * rows >= StageSaving.MULTIPLY_ADDS_PER_SAVED_DOUBLE * length;
    }

    /**
     * A session.
     *
     * @param field   the float field (its {@code dim()} must be known)
     * @param rows    the batch size, ≥ 1
     * @param method  an explicit Runge–Kutta method without extra interpolation stages
     * @param options tolerances, controller and conventions; the save policy must be left unset (the grid of each
     *                call is the save policy) and failures must throw
     * @throws IllegalArgumentException naming the argument and its value
     */
    public static BackpropF32 session(DifferentiableFloatField field, int rows, OdeMethod method, SolveOptions options) {
        return session(field, rows, method, options, StageSaving.AUTO);
    }

    /**
     * A session that keeps stage evaluations as {@code stageSaving} says ({@link StageSaving#AUTO} in
     * {@link #session(DifferentiableFloatField, int, OdeMethod, SolveOptions)}); the gradients have the same bits
     * either way.
     *
     * @throws IllegalArgumentException naming the argument and its value
     */
    public static BackpropF32 session(DifferentiableFloatField field, int rows, OdeMethod method, SolveOptions options,
                                      StageSaving stageSaving) {
        if (stageSaving == null) throw new IllegalArgumentException("stageSaving must be non-null");
        FloatObservations.checkSession(field, rows, options);
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (!(method instanceof RungeKutta rk) || rk.interpolant().extraStages() > 0) {
            throw new IllegalArgumentException("method must be an explicit Runge–Kutta method without extra "
                    + "interpolation stages in float32 backprop, got " + method.name());
        }
        return new BackpropF32(field, TorchdiffeqConventions.method(rk, options), rows, options, stageSaving);
    }

    /** The loss and gradients of one float32 solve on the grid {@code times} (t_0 first); allocates the result. */
    public GradientResultF32 compute(float[] y0, double[] times, Loss loss) {
        float[] dLdy0 = new float[n];
        float[] dLdTheta = new float[p];
        double l = computeInto(y0, times, loss, dLdy0, dLdTheta);
        return new GradientResultF32(l, obs.savedStates(), dLdy0, dLdTheta, forwardNfe, backwardNfe, count, count);
    }

    /**
     * As {@link #compute}, writing ∂L/∂y0 into {@code dLdy0[0..rows·dim)} and ∂L/∂θ into {@code dLdTheta[0..P)}
     * (both overwritten) and returning L. Allocates nothing once the session has seen a solve of this many steps
     * on a grid of this length.
     *
     * @throws IllegalArgumentException on a wrong-sized or non-finite argument, a bad grid, or a non-finite loss
     * @throws SolveException           when the forward solve fails
     */
    public double computeInto(float[] y0, double[] times, Loss loss, float[] dLdy0, float[] dLdTheta) {
        obs.begin(y0, times, loss, dLdy0, dLdTheta, false);
        count = 0;
        if (stageRecorder != null) stageRecorder.reset();
        Result r = Solver.solveInto(forward, y0, rows, times[0], times[times.length - 1], method, obs.onGrid, ws,
                obs.saved, recorder);
        if (r != Result.SUCCESSFUL) throw new IllegalStateException("the forward solve ended with " + r);
        forwardNfe = ws.lastNfe();
        double l = obs.loss(loss);
        backwardNfe = 0;
        Arrays.fill(dLdTheta, 0, p, 0.0f);
        Arrays.fill(yBar, 0.0f);
        reverse(times, dLdTheta);
        add(yBar, obs.grads[0]);
        System.arraycopy(yBar, 0, dLdy0, 0, n);
        return l;
    }

    /** Field evaluations of the last forward solve. */
    public long lastForwardNfe() {
        return forwardNfe;
    }

    /** Whether the VJPs run from saved stage evaluations (decided when the session was made). */
    public boolean stagesSaved() {
        return saved > 0;
    }

    /** Evaluations and VJPs of the last reverse pass. */
    public long lastBackwardNfe() {
        return backwardNfe;
    }

    private void record(double t, double h, double tEnd, float[] yBefore, float[] yAfter) {
        if (count + 1 >= ts.length) {
            int cap = 2 * ts.length;
            ts = Arrays.copyOf(ts, cap);
            hs = Arrays.copyOf(hs, cap);
            tEnds = Arrays.copyOf(tEnds, cap);
        }
        if ((long) (count + 2) * n > ys.length) ys = Arrays.copyOf(ys, Math.multiplyExact(2 * (count + 2), n));
        ts[count] = t;
        hs[count] = h;
        tEnds[count] = tEnd;
        System.arraycopy(yBefore, 0, ys, count * n, n);
        System.arraycopy(yAfter, 0, ys, (count + 1) * n, n);
        if ((long) (count + 1) * s * n > stages.length) {
            stages = Arrays.copyOf(stages, Math.multiplyExact(2 * (count + 1), s * n));
        }
        float[][] in = ws.stageInputs();
        for (int i = 0; i < s; i++) System.arraycopy(in[i], 0, stages, (count * s + i) * n, n);
        if (saved > 0) {
            if ((count + 1) * s > savedStages.length) {
                savedStages = Arrays.copyOf(savedStages, Math.multiplyExact(2 * (count + 1), s));
            }
            float[][] k = ws.stages();
            for (int i = 0; i < s; i++) savedStages[count * s + i] = stageRecorder.keep(k[i]);
        }
        count++;
    }

    /** The reverse sweep over the recorded steps, observations t_N..t_1 added where they fall. */
    private void reverse(double[] times, float[] thetaBar) {
        double dir = Math.signum(times[times.length - 1] - times[0]);
        int o = times.length - 1;
        boolean lastCarried = false;
        for (int m = count - 1; m >= 0; m--) {
            Arrays.fill(seeded, false);
            Arrays.fill(yBarStart, 0.0f);
            // the observations in step m: at its end (a jump of the adjoint), or inside (through the interpolant)
            while (o >= 1 && dir * (times[o] - ts[m]) > 0) {
                double[] g = obs.grads[o];
                if (times[o] == tEnds[m]) {
                    add(yBar, g);
                } else {
                    seedInterpolated(m, (times[o] - ts[m]) / hs[m], g, thetaBar, lastCarried);
                }
                o--;
            }
            lastCarried = m > 0 && sharesLastStage(m - 1) && carryLastStageSeeds(m - 1, o, times, dir);
            reverseStep(m, thetaBar);
            for (int j = 0; j < n; j++) yBar[j] += yBarStart[j];
        }
    }

    /**
     * Whether step m's last stage is step m + 1's first (FSAL, {@link ButcherTableau#isFsal}): the same input bits at
     * the same time, one evaluation in the forward solve. The VJP is linear in its cotangent, so the last stage's
     * seeds can join the first stage's cotangent of step m + 1 and step m need not run a VJP for that stage (its
     * weight {@code b_{s−1}} is 0 and no later stage reads it; what reaches y_{m+1} = Y_{s−1} flows on through
     * {@code b_q = a_{s−1,q}} as its own VJP's result would have).
     */
    private boolean sharesLastStage(int m) {
        if (!fsal || m + 1 >= count) return false;
        if (ts[m] + tableau.c(s - 1) * hs[m] != ts[m + 1] + tableau.c(0) * hs[m + 1]) return false;
        int last = (m * s + s - 1) * n, first = (m + 1) * s * n;
        return Arrays.equals(stages, last, last + n, stages, first, first + n);
    }

    /**
     * The seeds the observations inside step m ({@code times[o]}, {@code times[o − 1]}, … while inside it) give its
     * last stage, added to the cotangent of step m + 1's first stage, which is about to be reversed; true when there
     * were any (the interpolant weighs the last stage).
     */
    private boolean carryLastStageSeeds(int m, int o, double[] times, double dir) {
        if (interpolant.weightCount() < s) return false;
        boolean any = false;
        float[] kb = kBar[0];
        for (; o >= 1 && dir * (times[o] - ts[m]) > 0; o--) {
            if (times[o] == tEnds[m]) continue;
            interpolant.weights((times[o] - ts[m]) / hs[m], weights);
            float c = (float) (hs[m] * weights[s - 1]);
            if (c == 0.0f) continue;
            double[] g = obs.grads[o];
            if (!seeded[0]) {
                Arrays.fill(kb, 0.0f);
                seeded[0] = true;
            }
            for (int j = 0; j < n; j++) kb[j] += c * (float) g[j];
            any = true;
        }
        return any;
    }

    /**
     * y(θ) = y_m + h Σ w_i(θ) k_i: its cotangent g goes to y_m directly and to the stages (and f at the end); the
     * last stage's share is left out when {@code lastCarried} (it went to step m + 1's first stage).
     */
    private void seedInterpolated(int m, double theta, double[] g, float[] thetaBar, boolean lastCarried) {
        interpolant.weights(theta, weights);
        double h = hs[m];
        for (int j = 0; j < n; j++) yBarStart[j] += (float) g[j];
        int w = interpolant.weightCount();
        for (int i = 0; i < Math.min(w, lastCarried ? s - 1 : s); i++) {
            float c = (float) (h * weights[i]);
            if (c == 0.0f) continue;
            float[] kb = kBar[i];
            if (!seeded[i]) {
                Arrays.fill(kb, 0.0f);
                seeded[i] = true;
            }
            for (int j = 0; j < n; j++) kb[j] += c * (float) g[j];
        }
        if (w > s && weights[s] != 0.0) { // f(t_end, y_{m+1}) of a Hermite interpolant: its VJP lands on y_{m+1}
            float c = (float) (h * weights[s]);
            for (int j = 0; j < n; j++) gF[j] = c * (float) g[j];
            System.arraycopy(ys, (m + 1) * n, stageIn[0], 0, n);
            field.vjpUnchecked(tEnds[m], stageIn[0], gF, stageYBar, thetaBar, null, rows, fws);
            backwardNfe++;
            for (int j = 0; j < n; j++) yBar[j] += stageYBar[j];
        }
    }

    /** The discrete adjoint of step m: on entry yBar = ∂L/∂y_{m+1}, on exit ∂L/∂y_m (before the direct terms). */
    private void reverseStep(int m, float[] thetaBar) {
        double t = ts[m], h = hs[m];
        int lastLive = -1;
        for (int i = s - 1; i >= 0; i--) {
            boolean l = tableau.b(i) != 0.0 || seeded[i];
            for (int j = i + 1; j < s && !l; j++) l = live[j] && a[j][i] != 0.0;
            live[i] = l;
            if (l && lastLive < 0) lastLive = i;
        }
        if (lastLive < 0) return;
        // the stage inputs the forward pass computed (recorded with the step)
        for (int i = 0; i <= lastLive; i++) System.arraycopy(stages, (m * s + i) * n, stageIn[i], 0, n);
        for (int i = 0; i <= lastLive; i++) {
            if (!live[i]) continue;
            float[] kb = kBar[i];
            float w = (float) (h * tableau.b(i));
            if (seeded[i]) {
                for (int j = 0; j < n; j++) kb[j] += w * yBar[j];
            } else {
                for (int j = 0; j < n; j++) kb[j] = w * yBar[j];
            }
        }
        for (int i = lastLive; i >= 0; i--) {
            if (!live[i]) continue;
            double ti = t + tableau.c(i) * h;
            if (saved > 0) {
                field.vjpFromSavedUnchecked(ti, stageIn[i], savedStages[m * s + i], 0, kBar[i], stageYBar,
                        thetaBar, rows, fws);
            } else {
                field.vjpUnchecked(ti, stageIn[i], kBar[i], stageYBar, thetaBar, null, rows, fws);
            }
            backwardNfe++;
            for (int j = 0; j < n; j++) yBar[j] += stageYBar[j];
            for (int q = 0; q < i; q++) {
                if (!live[q] || a[i][q] == 0.0) continue;
                float w = (float) (h * a[i][q]);
                float[] kb = kBar[q];
                for (int j = 0; j < n; j++) kb[j] += w * stageYBar[j];
            }
        }
    }

    private void add(float[] acc, double[] g) {
        for (int j = 0; j < n; j++) acc[j] += (float) g[j];
    }
}
