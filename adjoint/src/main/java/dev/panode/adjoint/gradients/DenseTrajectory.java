package dev.panode.adjoint.gradients;

import dev.panode.solvers.Interpolant;

/**
 * y(t) of a forward solve, rebuilt on demand for the interpolating adjoint: the steps between two stored
 * checkpoints (a segment) are re-solved forward from the checkpoint with the recorded step sizes, their stages kept
 * on the heap, and y(t) is read from the method's dense output. y is never integrated backwards. Two segments are
 * cached, so a backward step that straddles a segment boundary costs no second re-solve. Allocation-free after
 * construction.
 */
final class DenseTrajectory {
    private final StepReversal stepper;
    private final StepRecord steps;
    private final CheckpointStore store;
    private final Interpolant interpolant;
    private final int n;
    private final int s;
    private final boolean endDerivative;
    private final double[][][] yStart = new double[2][][];
    private final double[][][][] stages = new double[2][][][];
    private final double[][][] fEnd = new double[2][][];
    private final int[] cachedSegment = {-1, -1};
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
        this.weights = new double[s + 1];
        this.stride = 1;
    }

    /**
     * Starts reading a new forward solve whose slot j holds the state at step j·stride; segments hold at most
     * {@code maxStride} steps, so {@code min(stride, steps) ≤ maxStride} is required. The segment buffers are
     * allocated only when {@code maxStride} exceeds every earlier one.
     */
    void prepare(int maxStride, int stride) {
        if (maxStride > this.maxStride) {
            for (int c = 0; c < 2; c++) {
                yStart[c] = new double[maxStride + 1][n];
                stages[c] = new double[maxStride][s][n];
                fEnd[c] = endDerivative ? new double[maxStride][n] : null;
            }
            this.maxStride = maxStride;
        }
        this.stride = stride;
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
        int segment = step / stride;
        int c = cachedSegment[0] == segment ? 0 : cachedSegment[1] == segment ? 1 : load(segment);
        int local = step - segment * stride;
        double h = steps.h(step);
        double theta = h == 0.0 ? 0.0 : (time - steps.t(step)) / h;
        if (theta < 0.0) theta = 0.0;
        if (theta > 1.0) theta = 1.0;
        interpolant.weights(theta, weights);
        double[] y0 = yStart[c][local];
        double[][] k = stages[c][local];
        double[] fe = endDerivative ? fEnd[c][local] : null;
        for (int j = 0; j < n; j++) {
            double acc = 0.0;
            for (int i = 0; i < s; i++) acc += weights[i] * k[i][j];
            if (fe != null) acc += weights[s] * fe[j];
            out[j] = y0[j] + h * acc;
        }
        lru = 1 - c;
    }

    private int load(int segment) {
        int c = lru;
        int first = segment * stride;
        int last = Math.min(first + stride, steps.count());
        store.read(segment, yStart[c][0], 0);
        for (int m = first; m < last; m++) {
            int local = m - first;
            stepper.advance(steps.t(m), steps.h(m), yStart[c][local], yStart[c][local + 1]);
            double[][] k = stages[c][local];
            for (int i = 0; i < s; i++) System.arraycopy(stepper.stage(i), 0, k[i], 0, n);
            stepsRecomputed++;
        }
        if (endDerivative) {
            for (int m = first; m < last; m++) {
                int local = m - first;
                if (m + 1 < last) {
                    System.arraycopy(stages[c][local + 1][0], 0, fEnd[c][local], 0, n);
                } else {
                    stepper.evaluateField(steps.tEnd(m), yStart[c][local + 1], fEnd[c][local]);
                }
            }
        }
        cachedSegment[c] = segment;
        return c;
    }
}
