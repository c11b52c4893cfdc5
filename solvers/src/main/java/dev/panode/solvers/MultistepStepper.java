package dev.panode.solvers;

import dev.panode.simd.StageKernels;

/**
 * The {@link Stepper} of a {@link LinearMultistep} method: the starter's Runge–Kutta steps first, then one evaluation
 * and one stage combination per step. It keeps its own copies of the last k states and derivatives, because the
 * solver swaps its state buffers between steps. A field that is a {@link StepwiseField} is evaluated with the step
 * index (per-step parameters); any other field ignores it. Dense output is cubic Hermite from (z, f) at both ends of
 * the step; the end derivative it needs is the next step's history entry, so it costs no extra evaluation overall.
 */
final class MultistepStepper extends AbstractStepper {
    private final LinearMultistep method;
    private final OdeMethod owner;
    private final VectorField field;
    private final StepwiseField stepwise;
    private final int dim;
    private final int maxRows;
    private final int k;
    private final double[][] history;
    private final double[][] states;
    private final double[][] ordered;
    private final double[][] stages;
    private final double[] stageInput;
    private final double[][] starterRows;
    private final double[] starterWeights;
    final FieldWorkspace fieldWorkspace;

    private int n;
    /** The index m of the step the next attempt takes (z_m is the current state). */
    private int step;
    private boolean endValid;

    /**
     * @param owner the {@link OdeMethod} the solver was given
     */
    MultistepStepper(LinearMultistep method, OdeMethod owner, VectorField field, int maxRows, int dim) {
        this.method = method;
        this.owner = owner;
        this.field = field;
        this.stepwise = field instanceof StepwiseField sf ? sf : null;
        this.dim = dim;
        this.maxRows = maxRows;
        this.k = method.steps();
        int size = Math.multiplyExact(maxRows, dim);
        Starter st = method.starter();
        int s = st.stages();
        this.history = new double[k + 1][size];
        this.states = new double[k][size];
        this.ordered = new double[k][];
        this.stages = new double[s][size];
        this.stageInput = new double[size];
        this.starterRows = new double[s][];
        for (int i = 0; i < s; i++) {
            starterRows[i] = new double[i];
            for (int j = 0; j < i; j++) starterRows[i][j] = st.a(i, j);
        }
        this.starterWeights = new double[s];
        for (int i = 0; i < s; i++) starterWeights[i] = st.b(i);
        this.fieldWorkspace = field.newWorkspace(maxRows);
    }

    int maxRows() {
        return maxRows;
    }

    /** The history slot of F_m (k+1 slots: the k the formula reads plus the end derivative of dense output). */
    private double[] f(int m) {
        return history[m % (k + 1)];
    }

    private void eval(int m, double time, double[] z, double[] out) {
        if (stepwise != null) {
            stepwise.evaluateAtStepUnchecked(Math.min(m, stepwise.steps() - 1), time, z, out, rows, fieldWorkspace);
        } else {
            field.evaluateUnchecked(time, z, out, rows, fieldWorkspace);
        }
    }

    @Override
    public boolean fits(OdeMethod m, VectorField f, int rows, int dim) {
        return owner.equals(m) && f == field && dim == this.dim && rows <= maxRows;
    }

    @Override
    public int start(double t0, double[] y0, int rows) {
        this.rows = rows;
        this.n = rows * dim;
        this.step = 0;
        this.t = t0;
        eval(0, t0, y0, f(0));
        endValid = false;
        return 1;
    }

    @Override
    public double[] derivative() {
        return f(step);
    }

    @Override
    public void evaluate(double time, double[] z, double[] out) {
        eval(step, time, z, out);
    }

    @Override
    public int attempt(double t, double h, double tEnd, double[] y, double[] yOut, double[] errOut) {
        int m = step;
        int nfe = 0;
        if (m > 0 && !endValid) {
            eval(m, t, y, f(m));
            nfe++;
        }
        endValid = false;
        System.arraycopy(y, 0, states[m % k], 0, n);
        ordered[0] = f(m);
        if (m < k - 1) {
            nfe += starterStep(m, t, h, y, yOut);
        } else {
            for (int j = 0; j < k; j++) ordered[j] = f(m - j);
            int anchor = method.anchor();
            double[] base;
            if (anchor >= 0) {
                base = states[(m - anchor) % k];
            } else {
                double[] alpha = method.alphaArray();
                for (int i = 0; i < n; i++) {
                    double acc = 0.0;
                    for (int j = 0; j < k; j++) acc += alpha[j] * states[(m - j) % k][i];
                    yOut[i] = acc;
                }
                base = yOut;
            }
            StageKernels.combine(base, 0, h, method.betaArray(), k, ordered, 0, yOut, 0, n);
        }
        recordAttempt(t, h, tEnd, y, yOut);
        return nfe;
    }

    /** One step of the starter from z_m, its first stage being F_m (already in the history). Returns s − 1. */
    private int starterStep(int m, double t, double h, double[] z, double[] out) {
        int s = stages.length;
        System.arraycopy(f(m), 0, stages[0], 0, n);
        for (int i = 1; i < s; i++) {
            StageKernels.combine(z, 0, h, starterRows[i], i, stages, 0, stageInput, 0, n);
            eval(m, t + method.starter().c(i) * h, stageInput, stages[i]);
        }
        StageKernels.combine(z, 0, h, starterWeights, s, stages, 0, out, 0, n);
        return s - 1;
    }

    @Override
    public int interpolate(double theta, double[] out, int outOff) {
        int nfe = 0;
        if (!endValid) {
            eval(step + 1, tEnd, yOut, f(step + 1));
            endValid = true;
            nfe = 1;
        }
        HermiteCubic.interpolate(theta, h, y, f(step), yOut, f(step + 1), out, outOff, n);
        return nfe;
    }

    @Override
    public void accept() {
        step++;
    }

    /** The state index of the current point (the number of accepted steps). */
    int stepIndex() {
        return step;
    }

    // ------------------------------------------------------------------ StepView

    @Override
    public OdeMethod method() {
        return owner;
    }

    @Override
    public int dim() {
        return dim;
    }

    /** Starter steps: the starter's s stages; afterwards k, the derivatives f_m, f_{m−1}, … the formula combined. */
    @Override
    public int stageCount() {
        return step < k - 1 ? stages.length : k;
    }

    @Override
    public double[][] stages() {
        return step < k - 1 ? stages : ordered;
    }

    /** Null: a multistep step has no stage inputs. */
    @Override
    public double[][] stageInputs() {
        return null;
    }
}
