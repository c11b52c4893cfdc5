package dev.panode.adjoint.gradients;

import dev.panode.solvers.ConstantStep;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.StepView;
import dev.panode.solvers.TorchdiffeqConventions;
import java.util.Arrays;

/**
 * {@link Backprop}: forward solve with checkpoints (and, when they fit the budget, every stage's saved evaluation),
 * then the reversal of every recorded step.
 */
final class BackpropGradient extends GradientEngine implements ForwardPass.StepHook {
    /**
     * The most slots the binomial schedule uses (its recursion is as deep as the slots). 4096 slots reverse
     * β(4096, 2) ≈ 8.4 million steps with at most two recomputations each; beyond, extra slots barely help.
     */
    static final int MAX_SCHEDULE_SLOTS = 4096;

    private final int n;
    private final int configuredSlots;
    private final long budget;
    private final int knownSteps;
    private final double[] working;
    private final CheckpointStore store;
    private final StageRecorder recorder;
    /** Stage i of step m's saved evaluation at {@code m·s + i} (blocks of the recorder's pool), when saving. */
    private double[][] savedStages = new double[0][];
    private final StepReversal reverse;
    private final ObservationPlacement placement;
    private final BackpropPass pass;
    private final double[] timeScratch;
    private final double[] flow;
    private final FieldWorkspace timeWs;
    private int[] chain = new int[0];
    private int chainSlots = -1;
    // per call
    private int storable;
    private boolean sweep;
    private int next;
    private boolean recording;

    /** @param shared whether the off-heap stores may be used and closed from any thread (one at a time) */
    BackpropGradient(GradientProblem p, Backprop method, boolean shared) {
        this(p, method, new StageRecorder(p.field(), p.rows()), shared);
    }

    private BackpropGradient(GradientProblem p, Backprop method, StageRecorder recorder, boolean shared) {
        super(p, new ForwardPass(p, savesStages(p, method, recorder) ? recorder : p.field(), null,
                !(p.method() instanceof RungeKutta)));
        fwd.hook(this);
        this.n = p.n();
        this.configuredSlots = method.checkpointing().slotsFor(n);
        this.budget = method.checkpointing().budgetBytesFor(n);
        ConstantStep fixed = p.options().controller() instanceof ConstantStep cs && cs.steps() > 0 ? cs : null;
        this.knownSteps = fixed == null ? -1 : fixed.steps();
        this.working = new double[n];
        this.reverse = StepReversal.of(p);
        RungeKutta rk = p.method() instanceof RungeKutta given ? methodFor(given, p) : null;
        boolean saving = rk != null && savesStages(p, method, recorder)
                && budget / CheckpointStore.slotBytes(recorder.length()) >= reverse.stages();
        this.recorder = saving ? recorder : null;
        this.store = new CheckpointStore(n, budget, shared);
        this.placement = new ObservationPlacement(p.times().length);
        this.pass = new BackpropPass(reverse, p.field(), fwd.steps, store, rk == null ? null : rk.interpolant(),
                placement, fwd.gradients, p.rows(), n, working);
        this.timeScratch = p.wantTime() ? new double[n] : null;
        this.flow = p.wantTime() ? new double[n] : null;
        this.timeWs = p.wantTime() ? p.field().newWorkspace(p.rows()) : null;
    }

    /** Whether the method's choice keeps the stages of this problem (before the budget is asked). */
    private static boolean savesStages(GradientProblem p, Backprop method, StageRecorder recorder) {
        int stages = p.method() instanceof RungeKutta rk ? rk.tableau().stages() : 0;
        return stages > 0 && method.stageSaving().saves(p.field(), p.rows(), recorder.length(), stages);
    }

    /** The method the forward solve steps with (torchdiffeq's variant when the options ask for its convention). */
    private static RungeKutta methodFor(RungeKutta rk, GradientProblem p) {
        return TorchdiffeqConventions.method(rk, p.options());
    }

    @Override
    void compute() {
        storable = stateSlots();
        int slots = Math.min(storable, MAX_SCHEDULE_SLOTS);
        sweep = knownSteps > storable;
        if (sweep && chainSlots != slots) {
            chain = Revolve.firstSweepCheckpoints(knownSteps, slots);
            chainSlots = slots;
        }
        next = 0;
        store.reset();
        recording = recorder != null && !sweep;
        if (recorder != null) {
            recorder.reset();
            recorder.recording(recording);
        }
        reverse.resetCounters();
        fwd.run();
        int count = fwd.steps.count();
        placement.place(p.times(), fwd.steps);
        slots = Math.min(storable, MAX_SCHEDULE_SLOTS);
        boolean saved = recording && count <= storable;
        pass.useSavedStages(saved ? savedStages : null);
        if (sweep && count == knownSteps) {
            pass.runBinomialAfterSweep(slots);
        } else if (count <= storable) {
            pass.runStoredAll();
        } else {
            pass.runBinomial(slots);
        }
        System.arraycopy(pass.yBar(), 0, dLdy0, 0, n);
        System.arraycopy(pass.thetaBar(), 0, dLdTheta, 0, dLdTheta.length);
        long extra = 0;
        if (p.wantTime()) {
            timeGradients();
            extra = p.times().length;
        }
        backwardNfe = reverse.evaluations() + reverse.vjps() + pass.extraNfe() + extra;
        checkpointBytes = store.bytesUsed();
        stepsRecomputed = pass.stepsRecomputed();
        backwardSteps = pass.reversedSteps();
        stagesSaved = saved;
        savedStageBytes = recorder == null ? 0 : recorder.bytesUsed();
    }

    /** The state slots this gradient may fill: the configured ones, less what the saved stages hold. */
    private int stateSlots() {
        if (budget == Long.MAX_VALUE || recorder == null) return configuredSlots;
        long left = budget - recorder.bytesUsed();
        return (int) Math.min(configuredSlots, Math.max(1, CheckpointStore.slotsWithin(left, n)));
    }

    @Override
    public void onStep(int index, StepView step) {
        double[] y = step.yBefore();
        if (sweep) {
            if (index == 0) store.write(0, y, 0);
            if (next < chain.length && chain[next] == index) store.write(++next, y, 0);
            if (index == knownSteps - 1) System.arraycopy(y, 0, working, 0, n);
        } else if (index < storable) {
            store.write(index, y, 0);
        }
        if (recording) recordStages(index, step);
    }

    /**
     * Keeps step {@code index}'s stage evaluations while the states and saved stages of all steps so far fit the
     * budget together; past that (or on a step the recorder did not see), stops recording for this gradient.
     */
    private void recordStages(int index, StepView step) {
        int s = reverse.stages();
        long perStep = CheckpointStore.slotBytes(n) + s * CheckpointStore.slotBytes(recorder.length());
        boolean fits = budget == Long.MAX_VALUE || (index + 1L) * perStep <= budget;
        double[][] stages = step.stages();
        if (fits && savedStages.length < (index + 1) * s) {
            savedStages = Arrays.copyOf(savedStages, Math.max((index + 1) * s, 2 * savedStages.length));
        }
        for (int i = 0; fits && i < s; i++) {
            double[] block = recorder.keep(stages[i]);
            if (block == null) {
                fits = false;
            } else {
                savedStages[index * s + i] = block;
            }
        }
        if (!fits) {
            recording = false;
            recorder.recording(false);
            storable = stateSlots();
        }
    }

    /**
     * dL/dt_i = g_i·f(t_i, y_i) for i ≥ 1 and dL/dt_0 = −(dL/dy_0 − g_0)·f(t_0, y_0): the derivatives of the flow,
     * evaluated with the discrete adjoint (consistent with the method's order).
     */
    private void timeGradients() {
        int count = p.times().length;
        for (int i = 1; i < count; i++) {
            dLdTimes[i] = ForwardPass.directTimeGradient(p, p.times()[i], fwd.states[i], fwd.gradients[i],
                    timeScratch, timeWs);
        }
        for (int j = 0; j < n; j++) flow[j] = dLdy0[j] - fwd.gradients[0][j];
        dLdTimes[0] = -ForwardPass.directTimeGradient(p, p.times()[0], fwd.states[0], flow, timeScratch, timeWs);
    }

    @Override
    public void close() {
        store.close();
    }
}
