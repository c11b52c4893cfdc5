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
import dev.panode.solvers.StepReplayF32;
import dev.panode.solvers.TorchdiffeqConventions;
import java.util.Arrays;

/**
 * Backprop through a float32 solve: the discrete adjoint of the float Runge–Kutta steps the solver took
 * (docs/ALGORITHMS.md §7, as {@link Backprop} in double), for a {@link DifferentiableFloatField} such as
 * {@code MlpF32}. A session for one field, batch size, method, options and {@link Checkpointing}; each
 * {@link #compute} solves forward in float ({@link Solver#solveInto} with a step observer that keeps what the
 * checkpointing allows), evaluates the {@link Loss} in double on the widened saved states, then walks the steps
 * backwards and runs the float VJPs ({@link DifferentiableFloatField#vjpUnchecked}) at the stage inputs of each step,
 * seeding the stage cotangents through the interpolant for observations inside a step. Cotangents, ∂L/∂y0 and ∂L/∂θ
 * are accumulated in float.
 *
 * <p>Supported: explicit {@link RungeKutta} methods whose interpolant has no extra stages (all but dop853-dense);
 * save times as the problem's grid; no time gradients.
 *
 * <p>Memory, on the heap in arrays the session keeps and reuses. With {@link Checkpointing#all()} (the default) every
 * accepted step's record: its starting state and stage inputs, {@code (s × steps + 1) × rows × dim} floats, and with
 * saved stages ({@link #stagesSaved()}) each stage's evaluation, {@code s × steps × savedLength(rows)} floats at most
 * (a stage shared by two steps is kept once), written in place by the field's layers and read in place. With a
 * {@link Checkpointing.Budget} of b bytes (or {@link Checkpointing.Binomial} with c slots: b = c·4·rows·dim) the
 * forward keeps, while they fit in b together, the saved evaluations (the steps that have them run their VJPs from
 * them), then the steps' records; past that only states, as many as fit beside the saved evaluations already kept
 * ({@code b / (4·rows·dim)} without them, y_0's included), and when the solve has more steps than that it reverses them with
 * Griewank's binomial schedule ({@link Revolve}, as {@link Backprop}), recomputing forward steps between the kept
 * states. The steps are recomputed by the solver's own float stepper ({@link StepReplayF32}) from a kept state with
 * the recorded (t, h) and the first stage the solve used, so they retrace the solve bit for bit, and the gradient has
 * the bits of {@link Checkpointing#all()} whatever the budget. A budget that cannot hold y_0 throws
 * {@link CheckpointBudgetExceededException} when the session is made.
 *
 * <p>Cost: the forward solve, then per step up to s VJPs (an FSAL step's last stage, live only through observations
 * inside the step, joins the next step's first VJP, docs/ALGORITHMS.md §7): from the saved evaluations when the field
 * saves them ({@link DifferentiableFloatField#savedLength} &gt; 0; for an MLP every layer's output) and
 * {@link StageSaving} says so, two matrix products per layer; otherwise each VJP makes its own forward pass. Both
 * give the same bits. When only states are kept, each step's stage inputs are rebuilt (s − 1 evaluations a step,
 * {@link #lastBackwardNfe}), and the binomial schedule recomputes T(n, c) forward steps ({@link #lastStepsRecomputed}).
 * Once a session has run a problem of its size, {@link #computeInto} allocates nothing. Accuracy: the gradient of the
 * float solution to float rounding; against the double gradient of the same model, float rounding amplified by the
 * flow (the tests derive the bound). When not to use: when the gradient needs more than about 5 significant digits
 * (use the double {@link Backprop}). Not thread-safe: one session per thread.
 */
public final class BackpropF32 {
    /** The most floats one array holds. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

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
    /** The steps 0..savedSteps−1 whose stage evaluations this gradient kept. */
    private int savedSteps;
    /** The byte budget of the kept states, stage inputs and saved evaluations; {@code Long.MAX_VALUE} for ALL. */
    private final long budget;
    // the recorded steps: start t, signed h, end time; whether step m's last stage is step m + 1's first evaluation
    private double[] ts = new double[16], hs = new double[16], tEnds = new double[16];
    private boolean[] shares = new boolean[16];
    /**
     * What the forward keeps. While {@link #full}: step m's stage inputs Y_0 = y_m, Y_1..Y_{s−1} at
     * {@code tape[(m·s + i)·n]}, the last end state at {@code count·s·n}. Otherwise state m in slot m at
     * {@code tape[m·n]}, for m &lt; {@link #slots}.
     */
    private float[] tape;
    private boolean full;
    private int slots;
    /** The floats of {@link #tape} this gradient wrote (its high-water mark). */
    private long keptFloats;
    /** Y_{s−1} of the last recorded step (FSAL), to decide {@link #shares}. */
    private final float[] lastStageIn;
    private int count;
    private final FloatObservations obs;
    // the reverse pass
    private final float[][] stageIn, kBar;
    private final boolean[] seeded, live;
    private final float[] yBar, yBarStart, stageYBar, gF;
    private final double[] weights;
    /** The tableau is FSAL: a step's last stage may be the next step's first evaluation ({@link #shares}). */
    private final boolean fsal;
    /** The steps recomputed from kept states (null with {@link Checkpointing#all()}). */
    private final StepReplayF32 replay;
    private final Schedule schedule;
    private final Revolve.Runner runner;
    /** The state at the step being reversed or recomputed, and the next one (states-only reversal). */
    private float[] working, next;
    /** Whether the step being reversed was replayed whole (its stage inputs in the replay's buffers). */
    private boolean replayedWhole;
    private double[] grid;
    private double dir;
    private int o;
    private boolean lastCarried;
    private float[] thetaBar;
    private long forwardNfe, backwardNfe, stepsRecomputed;

    private BackpropF32(DifferentiableFloatField field, RungeKutta method, int rows, SolveOptions options,
                        StageSaving stageSaving, Checkpointing checkpointing) {
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
        this.budget = budgetBytes(checkpointing, n);
        this.fws = field.newWorkspace(rows);
        this.tape = new float[(int) Math.min((budget == Long.MAX_VALUE ? 16L * s + 1 : s + 1) * n,
                Math.min(MAX_ARRAY, budget / Float.BYTES))];
        this.lastStageIn = fsal ? new float[n] : null;
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
        this.saved = savesStages(stageSaving, field, rows, length, s)
                && budget / ((long) length * Float.BYTES) >= s ? length : 0;
        this.stageRecorder = saved > 0 ? new FloatStageRecorder(field, rows) : null;
        this.forward = saved > 0 ? stageRecorder : field;
        this.savedStages = new float[saved > 0 ? 16 * s : 0][];
        boolean bounded = budget != Long.MAX_VALUE;
        this.replay = bounded ? new StepReplayF32(method, field, rows, dim) : null;
        this.schedule = bounded ? new Schedule() : null;
        this.runner = bounded ? new Revolve.Runner() : null;
        this.working = bounded ? new float[n] : null;
        this.next = bounded ? new float[n] : null;
    }

    /**
     * The bytes {@code checkpointing} allows for float states of n floats: c slots of 4n bytes for a binomial one,
     * {@code Long.MAX_VALUE} for {@link Checkpointing#all()}.
     *
     * @throws CheckpointBudgetExceededException when that cannot hold one state
     */
    static long budgetBytes(Checkpointing checkpointing, int n) {
        long budget = checkpointing.budgetBytesForSlotsOf((long) n * Float.BYTES);
        if (budget < (long) n * Float.BYTES) {
            throw new CheckpointBudgetExceededException("checkpoint budget of " + budget
                    + " bytes cannot hold one slot of " + n + " floats (" + (long) n * Float.BYTES + " bytes)");
        }
        return budget;
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
     * A session keeping every step ({@link Checkpointing#all()}) and saving stages where it pays
     * ({@link StageSaving#AUTO}).
     *
     * @param field   the float field (its {@code dim()} must be known)
     * @param rows    the batch size, ≥ 1
     * @param method  an explicit Runge–Kutta method without extra interpolation stages
     * @param options tolerances, controller and conventions; the save policy must be left unset (the grid of each
     *                call is the save policy) and failures must throw
     * @throws IllegalArgumentException naming the argument and its value
     */
    public static BackpropF32 session(DifferentiableFloatField field, int rows, OdeMethod method, SolveOptions options) {
        return session(field, rows, method, options, StageSaving.AUTO, Checkpointing.all());
    }

    /**
     * A session keeping every step and the stage evaluations as {@code stageSaving} says ({@link StageSaving#AUTO}
     * in {@link #session(DifferentiableFloatField, int, OdeMethod, SolveOptions)}); the gradients have the same bits
     * either way.
     *
     * @throws IllegalArgumentException naming the argument and its value
     */
    public static BackpropF32 session(DifferentiableFloatField field, int rows, OdeMethod method, SolveOptions options,
                                      StageSaving stageSaving) {
        return session(field, rows, method, options, stageSaving, Checkpointing.all());
    }

    /**
     * A session keeping forward states as {@code checkpointing} says (see the class comment: a byte budget or c
     * binomial slots of {@code 4·rows·dim} bytes bound what it keeps) and stage evaluations as {@code stageSaving}
     * says, within that budget; the gradients have the bits of {@link Checkpointing#all()} whatever the choice.
     *
     * @throws IllegalArgumentException          naming the argument and its value
     * @throws CheckpointBudgetExceededException when the budget cannot hold y_0 ({@code 4·rows·dim} bytes)
     */
    public static BackpropF32 session(DifferentiableFloatField field, int rows, OdeMethod method, SolveOptions options,
                                      StageSaving stageSaving, Checkpointing checkpointing) {
        if (stageSaving == null) throw new IllegalArgumentException("stageSaving must be non-null");
        if (checkpointing == null) throw new IllegalArgumentException("checkpointing must be non-null");
        FloatObservations.checkSession(field, rows, options);
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (!(method instanceof RungeKutta rk) || rk.interpolant().extraStages() > 0) {
            throw new IllegalArgumentException("method must be an explicit Runge–Kutta method without extra "
                    + "interpolation stages in float32 backprop, got " + method.name());
        }
        return new BackpropF32(field, TorchdiffeqConventions.method(rk, options), rows, options, stageSaving,
                checkpointing);
    }

    /** The loss and gradients of one float32 solve on the grid {@code times} (t_0 first); allocates the result. */
    public GradientResultF32 compute(float[] y0, double[] times, Loss loss) {
        float[] dLdy0 = new float[n];
        float[] dLdTheta = new float[p];
        double l = computeInto(y0, times, loss, dLdy0, dLdTheta);
        return new GradientResultF32(l, obs.savedStates(), dLdy0, dLdTheta, forwardNfe, backwardNfe, count, count,
                lastCheckpointBytes(), lastSavedStageBytes(), stepsRecomputed);
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
        full = true;
        slots = 0;
        keptFloats = 0;
        savedSteps = 0;
        if (stageRecorder != null) stageRecorder.reset();
        Result r = Solver.solveInto(forward, y0, rows, times[0], times[times.length - 1], method, obs.onGrid, ws,
                obs.saved, recorder);
        if (r != Result.SUCCESSFUL) throw new IllegalStateException("the forward solve ended with " + r);
        forwardNfe = ws.lastNfe();
        double l = obs.loss(loss);
        backwardNfe = 0;
        stepsRecomputed = 0;
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

    /** Whether the VJPs may run from saved stage evaluations (decided when the session was made). */
    public boolean stagesSaved() {
        return saved > 0;
    }

    /** Evaluations and VJPs of the last reverse pass (stage rebuilds and recomputed steps included). */
    public long lastBackwardNfe() {
        return backwardNfe;
    }

    /** Forward steps the last reverse pass recomputed from kept states (the binomial schedule's; 0 when all fit). */
    public long lastStepsRecomputed() {
        return stepsRecomputed;
    }

    /**
     * Heap bytes of the states and stage inputs the last gradient kept; with {@link #lastSavedStageBytes} at most the
     * budget.
     */
    public long lastCheckpointBytes() {
        return keptFloats * Float.BYTES;
    }

    /** Heap bytes of the stage evaluations the last gradient kept (0 when none). */
    public long lastSavedStageBytes() {
        return stageRecorder == null ? 0 : stageRecorder.bytesTaken();
    }

    /** Whether the last reverse pass ran every step's VJPs from saved stage evaluations. */
    public boolean lastStagesSaved() {
        return savedSteps > 0 && savedSteps == count;
    }

    private void record(double t, double h, double tEnd, float[] yBefore, float[] yAfter) {
        int m = count;
        if (m + 1 >= ts.length) {
            int cap = 2 * ts.length;
            ts = Arrays.copyOf(ts, cap);
            hs = Arrays.copyOf(hs, cap);
            tEnds = Arrays.copyOf(tEnds, cap);
            shares = Arrays.copyOf(shares, cap);
        }
        ts[m] = t;
        hs[m] = h;
        tEnds[m] = tEnd;
        shares[m] = false;
        float[][] in = ws.stageInputs();
        if (fsal) {
            // the same input bits at the same time: one evaluation in the forward solve
            if (m > 0) {
                shares[m - 1] = ts[m - 1] + tableau.c(s - 1) * hs[m - 1] == t + tableau.c(0) * h
                        && Arrays.equals(lastStageIn, 0, n, in[0], 0, n);
            }
            System.arraycopy(in[s - 1], 0, lastStageIn, 0, n);
        }
        if (full) {
            long end = ((long) (m + 1) * s + 1) * n;
            if (stageRecorder != null && stageRecorder.recording()
                    && Float.BYTES * (Math.max(end, tape.length) + (long) s * saved) + stageRecorder.bytesTaken()
                    > budget) {
                stageRecorder.stopRecording();
            }
            if (Float.BYTES * end + lastSavedStageBytes() > budget) {
                keepStatesOnly(m);
            } else {
                ensureTape(end);
                for (int i = 0; i < s; i++) System.arraycopy(in[i], 0, tape, (m * s + i) * n, n);
                System.arraycopy(yAfter, 0, tape, (m + 1) * s * n, n);
                keptFloats = end;
                if (stageRecorder != null && stageRecorder.recording()) keepStages(m);
            }
        }
        if (!full && m < slots) {
            ensureTape((long) (m + 1) * n);
            System.arraycopy(yBefore, 0, tape, m * n, n);
            keptFloats = Math.max(keptFloats, (long) (m + 1) * n);
        }
        count++;
    }

    /** Keeps step m's stage evaluations (the recorder's blocks, not copied). */
    private void keepStages(int m) {
        if ((m + 1) * s > savedStages.length) {
            savedStages = Arrays.copyOf(savedStages, Math.multiplyExact(2 * (m + 1), s));
        }
        float[][] k = ws.stages();
        for (int i = 0; i < s; i++) savedStages[m * s + i] = stageRecorder.keep(k[i]);
        savedSteps = m + 1;
    }

    /**
     * From step m on, only states are kept, as many as the budget holds beside the saved evaluations already taken:
     * the states of steps 0..m−1 move from their records to their slots.
     */
    private void keepStatesOnly(int m) {
        full = false;
        if (stageRecorder != null) stageRecorder.stopRecording();
        long left = budget - lastSavedStageBytes();
        slots = (int) Math.min(MAX_ARRAY / n, Math.max(1, left / ((long) n * Float.BYTES)));
        int moved = Math.min(m, slots);
        for (int j = 1; j < moved; j++) System.arraycopy(tape, j * s * n, tape, j * n, n);
    }

    /**
     * Makes {@link #tape} hold {@code floats}: doubling, within what the budget leaves beside the saved stages; while
     * stages are still being saved under a budget, exactly (the saved stages' room is decided on the tape's length).
     */
    private void ensureTape(long floats) {
        if (floats <= tape.length) return;
        long cap = Math.min(MAX_ARRAY, Math.max(floats, 2L * tape.length));
        if (budget != Long.MAX_VALUE) {
            boolean saving = stageRecorder != null && stageRecorder.recording();
            cap = saving ? floats : Math.max(floats, Math.min(cap, (budget - lastSavedStageBytes()) / Float.BYTES));
        }
        tape = Arrays.copyOf(tape, Math.toIntExact(cap));
    }

    /** The heap bytes the session holds for kept states, stage inputs and saved evaluations (its pools). */
    long heldBytes() {
        return (long) tape.length * Float.BYTES + (stageRecorder == null ? 0 : stageRecorder.bytesHeld());
    }

    /** The reverse sweep over the recorded steps, observations t_N..t_1 added where they fall. */
    private void reverse(double[] times, float[] thetaBar) {
        this.grid = times;
        this.thetaBar = thetaBar;
        this.dir = Math.signum(times[times.length - 1] - times[0]);
        this.o = times.length - 1;
        this.lastCarried = false;
        if (full) {
            for (int m = count - 1; m >= 0; m--) reverseStep(m);
        } else if (count <= slots) {
            for (int m = count - 1; m >= 0; m--) {
                System.arraycopy(tape, m * n, working, 0, n);
                reverseStep(m);
            }
        } else {
            stepsRecomputed = Revolve.run(count, Math.min(slots, BackpropGradient.MAX_SCHEDULE_SLOTS), schedule,
                    false, runner);
        }
        this.grid = null;
        this.thetaBar = null;
    }

    /** Reverses step m (with only states kept, {@link #working} holds y_m): on exit yBar = ∂L/∂y_m. */
    private void reverseStep(int m) {
        double[] times = grid;
        Arrays.fill(seeded, false);
        Arrays.fill(yBarStart, 0.0f);
        replayedWhole = false;
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
        lastCarried = m > 0 && shares[m - 1] && carryLastStageSeeds(m - 1, o, times, dir);
        reverseStages(m, thetaBar);
        for (int j = 0; j < n; j++) yBar[j] += yBarStart[j];
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
            endState(m, stageIn[0]);
            field.vjpUnchecked(tEnds[m], stageIn[0], gF, stageYBar, thetaBar, null, rows, fws);
            backwardNfe++;
            for (int j = 0; j < n; j++) yBar[j] += stageYBar[j];
        }
    }

    /** y_{m+1} into {@code out}: from step m's record, or by replaying step m whole from {@link #working}. */
    private void endState(int m, float[] out) {
        if (full) {
            System.arraycopy(tape, (m + 1) * s * n, out, 0, n);
            return;
        }
        if (!replayedWhole) {
            backwardNfe += replay.begin(ts, hs, m, working);
            backwardNfe += replay.step(ts[m], hs[m], tEnds[m], working, next);
            replayedWhole = true;
        }
        System.arraycopy(next, 0, out, 0, n);
    }

    /** The discrete adjoint of step m's stages: on entry yBar = ∂L/∂y_{m+1}, on exit ∂L/∂y_m (before the direct terms). */
    private void reverseStages(int m, float[] thetaBar) {
        double t = ts[m], h = hs[m];
        int lastLive = -1;
        for (int i = s - 1; i >= 0; i--) {
            boolean l = tableau.b(i) != 0.0 || seeded[i];
            for (int j = i + 1; j < s && !l; j++) l = live[j] && a[j][i] != 0.0;
            live[i] = l;
            if (l && lastLive < 0) lastLive = i;
        }
        if (lastLive < 0) return;
        // the stage inputs the forward pass computed: recorded with the step, or recomputed from its state
        float[][] in = stageIn;
        if (full) {
            for (int i = 0; i <= lastLive; i++) System.arraycopy(tape, (m * s + i) * n, stageIn[i], 0, n);
        } else {
            if (!replayedWhole) {
                backwardNfe += replay.begin(ts, hs, m, working);
                backwardNfe += replay.stageInputs(t, h, working, lastLive);
            }
            in = replay.stageInputs();
        }
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
            if (m < savedSteps) {
                field.vjpFromSavedUnchecked(ti, in[i], savedStages[m * s + i], 0, kBar[i], stageYBar,
                        thetaBar, rows, fws);
            } else {
                field.vjpUnchecked(ti, in[i], kBar[i], stageYBar, thetaBar, null, rows, fws);
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

    /** The binomial schedule's actions on the kept states: slot c at {@code tape[c·n]}, the working state. */
    private final class Schedule implements Revolve.Actions {
        @Override
        public void store(int slot, int step) {
            System.arraycopy(working, 0, tape, slot * n, n);
            keptFloats = Math.max(keptFloats, (long) (slot + 1) * n);
        }

        @Override
        public void restore(int slot, int step) {
            System.arraycopy(tape, slot * n, working, 0, n);
        }

        @Override
        public void advance(int fromStep, int toStep) {
            backwardNfe += replay.begin(ts, hs, fromStep, working);
            for (int m = fromStep; m < toStep; m++) {
                backwardNfe += replay.step(ts[m], hs[m], tEnds[m], working, next);
                float[] tmp = working;
                working = next;
                next = tmp;
            }
        }

        @Override
        public void reverse(int step) {
            reverseStep(step);
        }
    }
}
