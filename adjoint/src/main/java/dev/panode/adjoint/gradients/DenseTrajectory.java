package dev.panode.adjoint.gradients;

import dev.panode.solvers.Interpolant;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.StepView;

/**
 * y(t) of a forward solve for the interpolating adjoint, read from the method's dense output
 * y(t_m + θh) = y_m + h Σ_i w_i(θ) k_i; y is never integrated backwards. Each step's data is its starting state and
 * its stages, held as {@code s + 1} rows (y_m, k_0 … k_{s−1}). It comes from one of two places:
 *
 * <ul>
 *   <li><b>the forward record</b> ({@link #startRecording}, {@link #record}): an explicit Runge–Kutta forward solve
 *       hands over every accepted step's state and stages, which are copied into heap blocks kept from one gradient
 *       to the next. Nothing is re-solved. The record counts against a byte budget; past it, it is dropped and the
 *       caller falls back to checkpoints;</li>
 *   <li><b>re-solved segments</b> ({@link #prepare}): the steps between two stored checkpoints are re-solved forward
 *       from the checkpoint with the recorded step sizes. Two segments are cached, so a backward step that straddles
 *       a segment boundary costs no second re-solve.</li>
 * </ul>
 *
 * Both give the same bits: a replayed step recomputes exactly the forward solve's stages ({@code InterpolatingRecordTest}).
 * The one exception is a field that reads t, after a step shortened to land on a time: the forward solve's FSAL stage
 * was evaluated at t + h, the replay's first stage of the next step at the landing time, which may differ in the
 * last bit. Allocation-free after warm-up (the record's blocks and the segment buffers grow to the longest solve
 * seen).
 */
final class DenseTrajectory {
    private final StepReversal stepper;
    private final StepRecord steps;
    private final CheckpointStore store;
    private final Interpolant interpolant;
    private final int n;
    private final int s;
    private final boolean endDerivative;
    /** Whether forward steps can be recorded at all: an explicit Runge–Kutta replay with this interpolant. */
    private final boolean recordable;
    private final long stepBytes;
    // re-solved segments: step data, the state after a segment's last step, f at each step's end
    private final double[][][][] segment = new double[2][][][];
    private final double[][] segmentEnd = new double[2][];
    private final double[][][] fEnd = new double[2][][];
    private final int[] cachedSegment = {-1, -1};
    // the forward record: step data, and the state after the last step with f there (end derivative only)
    private double[][][] recorded = new double[0][][];
    private int recordedSteps;
    private long recordLimit;
    private boolean fromRecord;
    private final double[] lastState;
    private final double[] lastDerivative;
    private final double[] weights;
    private int maxStride;
    private int stride;
    private int lru;
    private long stepsRecomputed;

    DenseTrajectory(StepReversal stepper, StepRecord steps, CheckpointStore store, Interpolant interpolant,
                    int n) {
        this.stepper = stepper;
        this.steps = steps;
        this.store = store;
        this.interpolant = interpolant;
        this.n = n;
        this.s = stepper.stages();
        this.endDerivative = interpolant.usesEndDerivative();
        this.recordable = stepper instanceof RungeKuttaReverse && interpolant.extraStages() == 0;
        this.stepBytes = (long) (s + 1) * n * Double.BYTES;
        this.lastState = endDerivative ? new double[n] : null;
        this.lastDerivative = endDerivative ? new double[n] : null;
        this.weights = new double[s + 1];
        this.stride = 1;
    }

    /**
     * Starts recording a forward solve, its step data within {@code budgetBytes}; returns false when this method
     * cannot be recorded (the caller then stores checkpoints from the start).
     */
    boolean startRecording(long budgetBytes) {
        recordedSteps = 0;
        fromRecord = false;
        recordLimit = recordable ? budgetBytes / stepBytes : 0;
        return recordLimit > 0;
    }

    /**
     * Copies accepted step {@code index} (steps arrive in order from 0) into the record; false, recording nothing,
     * when the budget is exhausted or the step's method is not the one this trajectory interpolates with (the
     * record is then abandoned: the caller stores checkpoints instead).
     */
    boolean record(int index, StepView step) {
        if (index >= recordLimit || !(step.method() instanceof RungeKutta rk) || rk.interpolant() != interpolant) {
            return false;
        }
        if (index == recorded.length) {
            recorded = java.util.Arrays.copyOf(recorded, Math.max(8, 2 * index));
        }
        if (recorded[index] == null) recorded[index] = new double[s + 1][n];
        double[][] d = recorded[index];
        System.arraycopy(step.yBefore(), 0, d[0], 0, n);
        double[][] k = step.stages();
        for (int i = 0; i < s; i++) System.arraycopy(k[i], 0, d[i + 1], 0, n);
        if (endDerivative) System.arraycopy(step.yAfter(), 0, lastState, 0, n);
        recordedSteps = index + 1;
        return true;
    }

    /** The starting state of recorded step {@code index} (to store as a checkpoint when the record is abandoned). */
    double[] recordedState(int index) {
        return recorded[index][0];
    }

    /** Reads the forward solve just recorded (every one of its steps went through {@link #record}). */
    void useRecord() {
        fromRecord = true;
        stepsRecomputed = 0;
        int last = recordedSteps - 1;
        if (endDerivative && last >= 0) stepper.evaluateField(steps.tEnd(last), lastState, lastDerivative);
    }

    /** The heap bytes of the record being read (0 when reading re-solved segments). */
    long recordBytes() {
        return fromRecord ? recordedSteps * stepBytes : 0;
    }

    /**
     * Starts reading a new forward solve from checkpoints: slot j holds the state at step j·stride; segments hold at
     * most {@code maxStride} steps, so {@code min(stride, steps) ≤ maxStride} is required. The segment buffers are
     * allocated only when {@code maxStride} exceeds every earlier one.
     */
    void prepare(int maxStride, int stride) {
        if (maxStride > this.maxStride) {
            for (int c = 0; c < 2; c++) {
                segment[c] = new double[maxStride][s + 1][n];
                segmentEnd[c] = new double[n];
                fEnd[c] = endDerivative ? new double[maxStride][n] : null;
            }
            this.maxStride = maxStride;
        }
        this.stride = stride;
        fromRecord = false;
        cachedSegment[0] = cachedSegment[1] = -1;
        lru = 0;
        stepsRecomputed = 0;
    }

    long stepsRecomputed() {
        return stepsRecomputed;
    }

    /** Writes y(time) into {@code out}. */
    void evaluate(double time, double[] out) {
        int step = steps.find(time);
        double[][] d;
        double[] fe = null;
        if (fromRecord) {
            d = recorded[step];
            if (endDerivative) fe = step + 1 < recordedSteps ? recorded[step + 1][1] : lastDerivative;
        } else {
            int segmentIndex = step / stride;
            int c = cachedSegment[0] == segmentIndex ? 0 : cachedSegment[1] == segmentIndex ? 1 : load(segmentIndex);
            int local = step - segmentIndex * stride;
            d = segment[c][local];
            if (endDerivative) fe = fEnd[c][local];
            lru = 1 - c;
        }
        double h = steps.h(step);
        double theta = h == 0.0 ? 0.0 : (time - steps.t(step)) / h;
        if (theta < 0.0) theta = 0.0;
        if (theta > 1.0) theta = 1.0;
        interpolant.weights(theta, weights);
        interpolate(d, fe, h, out);
    }

    /**
     * {@code out = y + h·(Σ_i w_i k_i + w_s f_end)}, the sum formed in stage order from 0 for every component (one
     * pass per stage over the components).
     */
    private void interpolate(double[][] d, double[] fe, double h, double[] out) {
        java.util.Arrays.fill(out, 0, n, 0.0);
        for (int i = 0; i < s; i++) addScaled(out, weights[i], d[i + 1], n);
        if (fe != null) addScaled(out, weights[s], fe, n);
        double[] y = d[0];
        for (int j = 0; j < n; j++) out[j] = y[j] + h * out[j];
    }

    /** {@code dst[j] += w·src[j]} for j < n. */
    private static void addScaled(double[] dst, double w, double[] src, int n) {
        for (int j = 0; j < n; j++) dst[j] += w * src[j];
    }

    private int load(int segmentIndex) {
        int c = lru;
        int first = segmentIndex * stride;
        int last = Math.min(first + stride, steps.count());
        double[][][] seg = segment[c];
        store.read(segmentIndex, seg[0][0], 0);
        for (int m = first; m < last; m++) {
            int local = m - first;
            double[] yOut = m + 1 < last ? seg[local + 1][0] : segmentEnd[c];
            stepper.advance(steps.t(m), steps.h(m), seg[local][0], yOut);
            for (int i = 0; i < s; i++) System.arraycopy(stepper.stage(i), 0, seg[local][i + 1], 0, n);
            stepsRecomputed++;
        }
        if (endDerivative) {
            for (int m = first; m < last; m++) {
                int local = m - first;
                if (m + 1 < last) {
                    System.arraycopy(seg[local + 1][1], 0, fEnd[c][local], 0, n);
                } else {
                    stepper.evaluateField(steps.tEnd(m), segmentEnd[c], fEnd[c][local]);
                }
            }
        }
        cachedSegment[c] = segmentIndex;
        return c;
    }
}
