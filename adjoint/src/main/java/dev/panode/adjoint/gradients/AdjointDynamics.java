package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.simd.StateKernels;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.JacobianField;

/**
 * The augmented dynamics of a continuous adjoint over one flat state ({@link AugmentedLayout}), one "row":
 * <pre>
 * dy/dt   =  f(t, y)            (backsolve only; the interpolating adjoint reads y from a {@link DenseTrajectory})
 * da/dt   = −aᵀ ∂f/∂y
 * da_θ/dt = −aᵀ ∂f/∂θ
 * da_t/dt = −aᵀ ∂f/∂t           (only when time gradients are wanted, else 0)
 * </pre>
 * One evaluation is one VJP of the field. One instance per gradient computation; allocation-free.
 *
 * <p>For the implicit methods it is a {@link JacobianField}: the Jacobian of the augmented system, one dense block over
 * the whole augmented state, assembled from VJPs rather than differenced over its 2n + P + 1 components. The columns of
 * a are exact: the VJP with the unit cotangent e_j gives row j of ∂f/∂y, of ∂f/∂θ and ∂f_j/∂t at once, so
 * ∂(da/dt)/∂a = −Jᵀ, ∂(da_θ/dt)/∂a = −(∂f/∂θ)ᵀ and ∂(da_t/dt)/∂a = −(∂f/∂t)ᵀ cost n VJPs. The backsolve adjoint adds the
 * columns of y: ∂f/∂y (from the same VJPs) and the second-derivative blocks ∂(−aᵀ∂f/∂(y, θ, t))/∂y by forward
 * differences of the VJP with cotangent a (n + 1 more VJPs). The columns of a_θ and a_t are zero (they do not feed
 * back). Cost: n (interpolating) or 2n + 1 (backsolve) VJPs per Jacobian, against 2n + P + 1 evaluations for
 * differences; P, the parameter count, is usually the largest.
 */
final class AdjointDynamics implements JacobianField {
    private static final double SQRT_U = Math.sqrt(Math.ulp(1.0) / 2);

    private final DifferentiableField field;
    private final AugmentedLayout layout;
    private final DenseTrajectory trajectory;
    private final int rows;
    private final boolean wantTime;
    private final FieldWorkspace ws;
    private final double[] y;
    private final double[] a;
    private final double[] yBar;
    private final double[] f;
    private final double[] thetaBar;
    private final double[] unit, thetaRow, yShifted, yBarBase, thetaBase;
    /**
     * Interpolating adjoint over a batch, with a field that saves its evaluations: the forward pass of the last VJP
     * ({@link DifferentiableField#evaluateSaving}) at (savedT, savedY), reused while the point repeats (the last two
     * stages of dopri5 or tsit5 share a time, and the next interval starts where the last one ended). Split, a VJP
     * costs what the whole one does for a batch, but more for a single row, whose fused one-row VJP is cheaper
     * (0.46 against 0.34 µs on the SciML spiral's MLP): a single row keeps the whole VJP. Null otherwise.
     */
    private final double[] saved, savedY, savedF;
    private double savedT;
    private boolean savedValid;
    /**
     * Whether {@link #thetaBar} may hold a partial accumulation (a VJP that did not finish): it is otherwise left
     * cleared by the pass that moves it out, so the next VJP needs no fill of its own.
     */
    private boolean thetaBarDirty;
    private long evaluations, jacobianVjps;

    /** @param trajectory null for the backsolve adjoint (y is part of the state) */
    AdjointDynamics(DifferentiableField field, AugmentedLayout layout, DenseTrajectory trajectory, int rows,
                    boolean wantTime) {
        if (layout.withY() == (trajectory != null)) {
            throw new IllegalArgumentException("y comes either from the state or from a trajectory");
        }
        this.field = field;
        this.layout = layout;
        this.trajectory = trajectory;
        this.rows = rows;
        this.wantTime = wantTime;
        this.ws = field.newWorkspace(rows);
        int n = layout.n();
        this.y = new double[n];
        this.a = new double[n];
        this.yBar = new double[n];
        this.f = layout.withY() ? new double[n] : null;
        this.thetaBar = new double[layout.parameterCount()];
        this.unit = new double[n];
        this.thetaRow = new double[layout.parameterCount()];
        this.yShifted = layout.withY() ? new double[n] : null;
        this.yBarBase = layout.withY() ? new double[n] : null;
        this.thetaBase = layout.withY() ? new double[layout.parameterCount()] : null;
        int savedLength = trajectory == null || rows == 1 ? 0 : field.savedLength(rows);
        this.saved = savedLength > 0 ? new double[savedLength] : null;
        this.savedY = saved != null ? new double[n] : null;
        this.savedF = saved != null ? new double[n] : null;
    }

    long evaluations() {
        return evaluations;
    }

    /**
     * Holds the field's parameters for a backward solve ({@link FieldWorkspace#holdParameters}): they do not change
     * during a gradient, so each VJP need not check what the field derived from them.
     */
    void holdParameters() {
        ws.holdParameters();
        savedValid = false;
    }

    /** Ends {@link #holdParameters}. */
    void releaseParameters() {
        ws.releaseParameters();
        savedValid = false;
    }

    /** The VJPs spent on Jacobians so far (the solver counts the evaluations only). */
    long jacobianVjps() {
        return jacobianVjps;
    }

    @Override
    public int dim() {
        return layout.length();
    }

    /**
     * y (backsolve) and a: a_θ and a_t are quadratures that nothing reads, so the explicit steps skip them in their
     * inner stage inputs.
     */
    @Override
    public int componentsRead() {
        return layout.thetaOffset();
    }

    @Override
    public void evaluate(double t, double[] state, double[] out, int unusedRows, FieldWorkspace unused) {
        evaluate(t, state, out, true);
    }

    /**
     * Without a_θ and a_t when the step reads no more than y and a of this stage (dopri5's k_1 under the seminorm,
     * whose b_1 and dense-output weight are 0): the VJP then skips every weight and bias gradient, a third of its
     * matrix products. The components read have the same bits as a full evaluation's.
     */
    @Override
    public void evaluateLeadingUnchecked(double t, double[] state, double[] out, int leading, int unusedRows,
                                         FieldWorkspace unused) {
        evaluate(t, state, out, leading > layout.thetaOffset());
    }

    private void evaluate(double t, double[] state, double[] out, boolean quadratures) {
        int n = layout.n();
        if (trajectory == null) {
            System.arraycopy(state, layout.yOffset(), y, 0, n);
        } else {
            trajectory.evaluate(t, y);
        }
        System.arraycopy(state, layout.aOffset(), a, 0, n);
        double[] pBar = quadratures ? thetaBar : null;
        boolean time = quadratures && wantTime;
        if (pBar != null) {
            if (thetaBarDirty) java.util.Arrays.fill(pBar, 0.0);
            thetaBarDirty = true;
        }
        double tBar;
        if (saved == null) {
            tBar = field.vjpUnchecked(t, y, a, yBar, pBar, f, rows, time, ws);
        } else {
            // the same bits as vjpUnchecked (vjpFromSaved's contract); the forward pass only when the point is new
            if (!savedValid || t != savedT || java.util.Arrays.mismatch(y, 0, n, savedY, 0, n) >= 0) {
                field.evaluateSavingUnchecked(t, y, savedF, saved, rows, ws);
                System.arraycopy(y, 0, savedY, 0, n);
                savedT = t;
                savedValid = true;
            }
            tBar = field.vjpFromSavedUnchecked(t, saved, a, yBar, pBar, rows, time, ws);
        }
        evaluations++;
        if (f != null) System.arraycopy(f, 0, out, layout.yOffset(), n);
        int ao = layout.aOffset();
        for (int j = 0; j < n; j++) out[ao + j] = -yBar[j];
        if (!quadratures) return;
        StateKernels.moveNegated(thetaBar, out, layout.thetaOffset(), thetaBar.length);
        thetaBarDirty = false;
        out[layout.timeOffset()] = wantTime ? -tBar : 0.0;
    }

    @Override
    public void jacobian(double t, double[] state, double[] jacOut, int unusedRows, FieldWorkspace unused) {
        int n = layout.n(), len = layout.length(), pc = layout.parameterCount();
        int yo = layout.yOffset(), ao = layout.aOffset(), to = layout.thetaOffset(), tt = layout.timeOffset();
        java.util.Arrays.fill(jacOut, 0, len * len, 0.0);
        if (trajectory == null) {
            System.arraycopy(state, yo, y, 0, n);
        } else {
            trajectory.evaluate(t, y);
        }
        java.util.Arrays.fill(unit, 0.0);
        for (int j = 0; j < n; j++) {
            unit[j] = 1.0;
            java.util.Arrays.fill(thetaRow, 0.0);
            double tBar = field.vjpUnchecked(t, y, unit, yBar, thetaRow, null, rows, wantTime, ws);
            evaluations++;
            jacobianVjps++;
            unit[j] = 0.0;
            int col = ao + j;
            for (int i = 0; i < n; i++) jacOut[(ao + i) * len + col] = -yBar[i];      // −Jᵀ
            for (int k = 0; k < pc; k++) jacOut[(to + k) * len + col] = -thetaRow[k]; // −(∂f/∂θ)ᵀ
            if (wantTime) jacOut[tt * len + col] = -tBar;
            if (trajectory == null) {
                for (int i = 0; i < n; i++) jacOut[(yo + j) * len + yo + i] = yBar[i]; // row j of J
            }
        }
        if (trajectory != null) return;
        // the second-derivative columns of y: forward differences of the VJP with cotangent a
        System.arraycopy(state, ao, a, 0, n);
        java.util.Arrays.fill(thetaBase, 0.0);
        double tBase = field.vjpUnchecked(t, y, a, yBarBase, thetaBase, null, rows, wantTime, ws);
        evaluations++;
        jacobianVjps++;
        System.arraycopy(y, 0, yShifted, 0, n);
        for (int k = 0; k < n; k++) {
            double target = y[k] + SQRT_U * Math.max(1e-5, Math.abs(y[k]));
            double delta = target - y[k];
            yShifted[k] = target;
            java.util.Arrays.fill(thetaRow, 0.0);
            double tBar = field.vjpUnchecked(t, yShifted, a, yBar, thetaRow, null, rows, wantTime, ws);
            evaluations++;
            jacobianVjps++;
            yShifted[k] = y[k];
            int col = yo + k;
            double inv = 1.0 / delta;
            for (int i = 0; i < n; i++) jacOut[(ao + i) * len + col] = -(yBar[i] - yBarBase[i]) * inv;
            for (int m = 0; m < pc; m++) jacOut[(to + m) * len + col] = -(thetaRow[m] - thetaBase[m]) * inv;
            if (wantTime) jacOut[tt * len + col] = -(tBar - tBase) * inv;
        }
    }
}
