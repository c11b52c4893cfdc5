package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.Interpolant;
import java.util.Arrays;

/**
 * The backward pass of {@link Backprop}: reverses the recorded steps from the last to the first, adding the loss
 * gradient of each observation where it enters (at a step end directly; inside a step through the interpolant's
 * stage weights, and through f(t_end, y_end) when the interpolant uses the end derivative). States come from the
 * {@link CheckpointStore}: every step stored, or Griewank's binomial schedule ({@link Revolve}). When every step's
 * stage evaluations were saved as well ({@link #useSavedStages}), the stored-all reversal runs each stage's VJP from
 * them instead of rebuilding the stages. Allocation-free after construction.
 */
final class BackpropPass implements Revolve.Actions {
    private final StepReversal rk;
    private final DifferentiableField field;
    private final StepRecord steps;
    private final CheckpointStore store;
    private final Interpolant interpolant;
    private final ObservationPlacement placement;
    private final double[][] gradients;
    private final int n;
    private final int rows;
    private final double[] working;
    private final double[] yBar;
    private final double[] thetaBar;
    private final double[] weights;
    private final double[] yEnd;
    private final double[] endBar;
    private final double[] scaled;
    private final dev.panode.solvers.FieldWorkspace ws;
    private long stepsRecomputed;
    private long reversed;
    private long extraVjps;
    /** The step whose last stage's seeds the previous {@link #reverse} gave to its first stage; −1 if none. */
    private int carried = -1;
    private double[][] savedStages;

    BackpropPass(StepReversal rk, DifferentiableField field, StepRecord steps, CheckpointStore store,
                 Interpolant interpolant, ObservationPlacement placement, double[][] gradients, int rows, int n,
                 double[] working) {
        this.rk = rk;
        this.field = field;
        this.steps = steps;
        this.store = store;
        this.interpolant = interpolant;
        this.placement = placement;
        this.gradients = gradients;
        this.rows = rows;
        this.n = n;
        this.working = working;
        this.yBar = new double[n];
        this.thetaBar = new double[field.parameterCount()];
        this.weights = interpolant == null ? null : new double[rk.stages() + 1];
        this.yEnd = new double[n];
        this.endBar = new double[n];
        this.scaled = new double[n];
        this.ws = rk.workspace();
    }

    /**
     * Makes {@link #runStoredAll} read stage i of step m from {@code saved[m·s + i]} (null: rebuild the stages from
     * the stored states).
     */
    void useSavedStages(double[][] saved) {
        this.savedStages = saved;
    }

    /** Runs the reversal with every step's starting state in slot = step index. */
    void runStoredAll() {
        clear();
        for (int m = steps.count() - 1; m >= 0; m--) {
            store.read(m, working, 0);
            reverse(m);
        }
        finish();
    }

    /** Runs the reversal with the binomial schedule over {@code slots} slots (slot 0 holds y_0). */
    void runBinomial(int slots) {
        clear();
        savedStages = null;
        stepsRecomputed += Revolve.run(steps.count(), slots, this);
        finish();
    }

    /**
     * Runs the reversal with the binomial schedule whose first forward sweep the forward pass already made: it
     * stored {@link Revolve#firstSweepCheckpoints} in slots 1.. and left the state at the last step in the working
     * buffer.
     */
    void runBinomialAfterSweep(int slots) {
        clear();
        savedStages = null;
        stepsRecomputed += Revolve.run(steps.count(), slots, this, true);
        finish();
    }

    double[] yBar() {
        return yBar;
    }

    double[] thetaBar() {
        return thetaBar;
    }

    long stepsRecomputed() {
        return stepsRecomputed;
    }

    long reversedSteps() {
        return reversed;
    }

    /** VJPs beyond the RK reversal's own (end derivatives of interpolants); their replays count in the reversal. */
    long extraNfe() {
        return extraVjps;
    }

    private void clear() {
        Arrays.fill(yBar, 0.0);
        Arrays.fill(thetaBar, 0.0);
        stepsRecomputed = 0;
        reversed = 0;
        extraVjps = 0;
        carried = -1;
    }

    private void finish() {
        double[] g0 = gradients[0];
        for (int j = 0; j < n; j++) yBar[j] += g0[j];
    }

    @Override
    public void store(int slot, int step) {
        store.write(slot, working, 0);
    }

    @Override
    public void restore(int slot, int step) {
        store.read(slot, working, 0);
    }

    @Override
    public void advance(int fromStep, int toStep) {
        for (int m = fromStep; m < toStep; m++) rk.advance(steps.t(m), steps.h(m), working, working);
    }

    @Override
    public void reverse(int step) {
        double t = steps.t(step);
        double h = steps.h(step);
        int count = gradients.length;
        // observations at the end of this step: their gradient is part of ∂L/∂y_{step+1}
        for (int i = count - 1; i >= 1; i--) {
            if (placement.step[i] == step && placement.atEnd[i]) add(yBar, gradients[i], 1.0);
        }
        rk.beginReverse();
        boolean interior = false;
        boolean endDerivative = false;
        int s = rk.stages();
        int seededStages = carried == step ? s - 1 : s; // the last stage's seeds went to step + 1's first VJP
        for (int i = count - 1; i >= 1; i--) {
            if (placement.step[i] != step || placement.atEnd[i]) continue;
            if (interpolant == null) {
                throw new IllegalStateException("observation " + i + " falls inside step " + step
                        + ", but this method's forward solve must land on every observation time");
            }
            interior = true;
            interpolant.weights(placement.theta[i], weights);
            for (int k = 0; k < seededStages; k++) rk.addStageCotangent(k, h * weights[k], gradients[i]);
            if (weights[rk.stages()] != 0.0) {
                if (!endDerivative) {
                    Arrays.fill(scaled, 0.0);
                    endDerivative = true;
                }
                add(scaled, gradients[i], h * weights[rk.stages()]);
            }
        }
        if (endDerivative) {
            // y(θ) depends on f(t_end, y_end): its cotangent flows into ∂L/∂y_end before the step is reversed
            rk.advance(t, h, working, yEnd);
            field.vjpUnchecked(steps.tEnd(step), yEnd, scaled, endBar, thetaBar, null, rows, false, ws);
            extraVjps++;
            add(yBar, endBar, 1.0);
        }
        carried = step > 0 && carryLastStage(step - 1) ? step - 1 : -1;
        rk.reverse(t, h, working, yBar, thetaBar, savedStages, step * rk.stages());
        if (interior) {
            for (int i = count - 1; i >= 1; i--) {
                if (placement.step[i] == step && !placement.atEnd[i]) add(yBar, gradients[i], 1.0);
            }
        }
        reversed++;
    }

    /**
     * When step m's last stage is step m + 1's first evaluation ({@link StepReversal#firstSameAsLast}, at the same
     * time), the seeds the observations inside step m give that stage are added to the first stage's cotangent of
     * step m + 1, which is being reversed: one VJP for both. Returns whether any was added.
     */
    private boolean carryLastStage(int m) {
        if (interpolant == null || !rk.firstSameAsLast() || steps.t(m) + steps.h(m) != steps.t(m + 1)) return false;
        int s = rk.stages();
        boolean any = false;
        for (int i = gradients.length - 1; i >= 1; i--) {
            if (placement.step[i] != m || placement.atEnd[i]) continue;
            interpolant.weights(placement.theta[i], weights);
            double w = steps.h(m) * weights[s - 1];
            if (w == 0.0) continue;
            rk.addStageCotangent(0, w, gradients[i]);
            any = true;
        }
        return any;
    }

    private void add(double[] acc, double[] v, double w) {
        for (int j = 0; j < n; j++) acc[j] += w * v[j];
    }
}
