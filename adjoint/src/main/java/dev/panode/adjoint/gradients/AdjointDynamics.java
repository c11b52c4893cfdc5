package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.VectorField;

/**
 * The augmented dynamics of a continuous adjoint over one flat state ({@link AugmentedLayout}), one "row":
 * <pre>
 * dy/dt   =  f(t, y)            (backsolve only; the interpolating adjoint reads y from a {@link DenseTrajectory})
 * da/dt   = −aᵀ ∂f/∂y
 * da_θ/dt = −aᵀ ∂f/∂θ
 * da_t/dt = −aᵀ ∂f/∂t           (only when time gradients are wanted, else 0)
 * </pre>
 * One evaluation is one VJP of the field. One instance per gradient computation; allocation-free.
 */
final class AdjointDynamics implements VectorField {
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
    private long evaluations;

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
    }

    long evaluations() {
        return evaluations;
    }

    @Override
    public int dim() {
        return layout.length();
    }

    @Override
    public void evaluate(double t, double[] state, double[] out, int unusedRows, FieldWorkspace unused) {
        int n = layout.n();
        if (trajectory == null) {
            System.arraycopy(state, layout.yOffset(), y, 0, n);
        } else {
            trajectory.evaluate(t, y);
        }
        System.arraycopy(state, layout.aOffset(), a, 0, n);
        java.util.Arrays.fill(thetaBar, 0.0);
        double tBar = field.vjpUnchecked(t, y, a, yBar, thetaBar, f, rows, wantTime, ws);
        evaluations++;
        if (f != null) System.arraycopy(f, 0, out, layout.yOffset(), n);
        int ao = layout.aOffset();
        for (int j = 0; j < n; j++) out[ao + j] = -yBar[j];
        int to = layout.thetaOffset();
        for (int j = 0; j < thetaBar.length; j++) out[to + j] = -thetaBar[j];
        out[layout.timeOffset()] = wantTime ? -tBar : 0.0;
    }
}
