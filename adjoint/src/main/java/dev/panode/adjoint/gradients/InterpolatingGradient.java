package dev.panode.adjoint.gradients;

/**
 * {@link InterpolatingAdjoint}: forward solve, then (a, a_θ, a_t) backwards with y from a {@link DenseTrajectory}.
 * An explicit Runge–Kutta forward solve is recorded (every accepted step's state and stages, on the heap within the
 * checkpointing's byte budget and half the heap), so y(t) is read without re-solving anything. Otherwise — an implicit
 * method, or a record past its budget — the forward solve stores every k-th step's state off-heap (k doubling whenever
 * the slots run out) and the trajectory re-solves segments from them; with an implicit method the steps are replayed by
 * its {@link StepReversal} (stage equations solved exactly) and read through the stepper's own dense output, and the
 * backward system is solved by the same implicit method with the Jacobian from VJPs ({@link AdjointDynamics}).
 */
final class InterpolatingGradient extends GradientEngine implements ForwardPass.StepHook {
    private final CheckpointStore store;
    private final ThinningCheckpoints thinning;
    private final StepReversal stepper;
    private final DenseTrajectory trajectory;
    private final AdjointSweep sweep;
    /** The byte budget of the forward record: the checkpointing's, and at most half the heap. */
    private final long recordBudget;
    /** Whether the forward solve running now is being recorded (no checkpoints stored). */
    private boolean recording;

    /** @param shared whether the off-heap store may be used and closed from any thread (one at a time) */
    InterpolatingGradient(GradientProblem p, InterpolatingAdjoint method, boolean shared) {
        super(p, new ForwardPass(p, p.field(), null));
        int n = p.n();
        int slots = method.checkpointing().slotsFor(n);
        this.store = new CheckpointStore(n, method.checkpointing().budgetBytesFor(n), shared);
        this.thinning = new ThinningCheckpoints(store, slots, n);
        fwd.hook(this);
        this.stepper = StepReversal.of(p);
        this.trajectory = new DenseTrajectory(stepper, fwd.steps, store, stepper.interpolant(), n);
        this.recordBudget = Math.min(method.checkpointing().budgetBytesFor(n), Runtime.getRuntime().maxMemory() / 2);
        AugmentedLayout layout = AugmentedLayout.of(false, n, p.field());
        AdjointDynamics dynamics = new AdjointDynamics(p.field(), layout, trajectory, p.rows(), p.wantTime());
        this.sweep = new AdjointSweep(p, fwd, layout, dynamics, method.norm(), method.rtol(), method.atol(),
                method.method(), true);
    }

    @Override
    public void onStep(int index, dev.panode.solvers.StepView step) {
        if (recording) {
            if (trajectory.record(index, step)) return;
            // past the record's budget: from here on the forward solve keeps checkpoints, the earlier states first
            recording = false;
            for (int j = 0; j < index; j++) thinning.onStep(j, trajectory.recordedState(j));
        }
        thinning.onStep(index, step.yBefore());
    }

    @Override
    void compute() {
        store.reset();
        thinning.reset();
        stepper.resetCounters();
        recording = trajectory.startRecording(recordBudget);
        fwd.run();
        if (recording) {
            trajectory.useRecord();
        } else {
            trajectory.prepare(Math.max(1, Math.min(thinning.stride(), fwd.steps.count())), thinning.stride());
        }
        sweep.run(dLdy0, dLdTheta, dLdTimes);
        long timeEvals = p.wantTime() ? p.times().length - 1 : 0;
        backwardNfe = sweep.backwardNfe + stepper.evaluations() + timeEvals;
        checkpointBytes = store.bytesUsed();
        stepsRecomputed = trajectory.stepsRecomputed();
        stagesSaved = recording;
        savedStageBytes = trajectory.recordBytes();
        backwardSteps = sweep.backwardSteps;
    }

    @Override
    public void close() {
        store.close();
    }

    /** Keeps the state at every stride-th step in at most {@code slots} slots; stride doubles when they run out. */
    static final class ThinningCheckpoints {
        private final CheckpointStore store;
        private final int slots;
        private final double[] buffer;
        private int stride = 1;

        ThinningCheckpoints(CheckpointStore store, int slots, int n) {
            this.store = store;
            this.slots = slots;
            this.buffer = new double[n];
        }

        /** Starts a new forward pass. */
        void reset() {
            stride = 1;
        }

        void onStep(int index, double[] y) {
            while (index % stride == 0 && index / stride >= slots) {
                for (int j = 1; 2 * j < slots; j++) {
                    store.read(2 * j, buffer, 0);
                    store.write(j, buffer, 0);
                }
                stride *= 2;
            }
            if (index % stride == 0) store.write(index / stride, y, 0);
        }

        int stride() {
            return stride;
        }
    }
}
