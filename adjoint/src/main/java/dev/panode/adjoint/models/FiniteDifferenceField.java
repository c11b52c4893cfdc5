package dev.panode.adjoint.models;

import dev.panode.blas.Arguments;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.VectorField;

/**
 * An <b>approximate</b> {@link DifferentiableField} for a user field that has no hand-written VJP: vᵀ∂f/∂y and
 * vᵀ∂f/∂t by central differences (docs/ALGORITHMS.md §6). The field has no trainable parameters (P = 0).
 *
 * <p>Rows are independent samples, so perturbing component i of every row at once yields column i of every row's
 * Jacobian: one VJP costs {@code 2·dim} batch evaluations (+2 for ∂f/∂t, +1 for f). The step for an entry x is
 * {@code ε^{1/3}·max(1, |x|)}, giving about 10⁻¹⁰ relative accuracy on smooth fields; kinks (ReLU) and stiff fields
 * make it worse. Use it to get started or to check a hand-written VJP, not for production gradients or large dim.
 */
public final class FiniteDifferenceField implements DifferentiableField {
    private static final double STEP = Math.cbrt(Math.ulp(1.0));
    private static final double[] NO_PARAMETERS = new double[0];
    private final VectorField field;
    private final int dim;

    /** Wraps {@code field}, whose {@link VectorField#dim()} must be known (≥ 1). */
    public FiniteDifferenceField(VectorField field) {
        this(field, Arguments.nonNull(field, "field").dim());
    }

    /** Wraps a component-wise {@code field} (dim −1) for states of dimension {@code dim}. */
    public FiniteDifferenceField(VectorField field, int dim) {
        this.field = Arguments.nonNull(field, "field");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (field.dim() != -1 && field.dim() != dim) {
            throw new IllegalArgumentException("dim must equal field.dim() " + field.dim() + ", got " + dim);
        }
        this.dim = dim;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int parameterCount() {
        return 0;
    }

    @Override
    public double[] parameters() {
        return NO_PARAMETERS;
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        return new Scratch(field.newWorkspace(maxRows), maxRows, dim);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        field.evaluate(t, y, dyOut, rows, check(ws, rows).inner);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                      int rows, boolean wantTime, FieldWorkspace ws) {
        Scratch s = check(ws, rows);
        FieldChecks.vjpArguments(y, v, yBar, thetaBar, fOut, rows, dim, 0);
        if (rows == 0) return 0.0;
        int n = rows * dim;
        if (fOut != null) field.evaluate(t, y, fOut, rows, s.inner);
        System.arraycopy(y, 0, s.shifted, 0, n);
        for (int i = 0; i < dim; i++) {
            for (int r = 0; r < rows; r++) {
                int k = r * dim + i;
                double h = STEP * Math.max(1.0, Math.abs(y[k]));
                s.shifted[k] = y[k] + h;
                s.down[k] = y[k] - h;
                s.width[k] = s.shifted[k] - s.down[k];
            }
            field.evaluate(t, s.shifted, s.fPlus, rows, s.inner);
            for (int r = 0; r < rows; r++) s.shifted[r * dim + i] = s.down[r * dim + i];
            field.evaluate(t, s.shifted, s.fMinus, rows, s.inner);
            for (int r = 0; r < rows; r++) {
                double acc = 0.0;
                for (int j = 0; j < dim; j++) acc += v[r * dim + j] * (s.fPlus[r * dim + j] - s.fMinus[r * dim + j]);
                int k = r * dim + i;
                yBar[k] = acc / s.width[k];
                s.shifted[k] = y[k];
            }
        }
        if (!wantTime) return 0.0;
        double h = STEP * Math.max(1.0, Math.abs(t));
        double up = t + h;
        double down = t - h;
        field.evaluate(up, y, s.fPlus, rows, s.inner);
        field.evaluate(down, y, s.fMinus, rows, s.inner);
        double acc = 0.0;
        for (int k = 0; k < n; k++) acc += v[k] * (s.fPlus[k] - s.fMinus[k]);
        return acc / (up - down);
    }

    private Scratch check(FieldWorkspace ws, int rows) {
        if (!(ws instanceof Scratch s) || s.dim != dim) {
            throw new IllegalArgumentException("ws must come from newWorkspace of this FiniteDifferenceField, got " + ws);
        }
        if (rows < 0 || rows > s.maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + s.maxRows + "] for this workspace, got " + rows);
        }
        return s;
    }

    /** The wrapped field's workspace and the perturbed states and values. */
    private static final class Scratch implements FieldWorkspace {
        final FieldWorkspace inner;
        final int maxRows;
        final int dim;
        final double[] shifted;
        final double[] down;
        final double[] width;
        final double[] fPlus;
        final double[] fMinus;

        Scratch(FieldWorkspace inner, int maxRows, int dim) {
            this.inner = inner;
            this.maxRows = maxRows;
            this.dim = dim;
            this.shifted = new double[maxRows * dim];
            this.down = new double[maxRows * dim];
            this.width = new double[maxRows * dim];
            this.fPlus = new double[maxRows * dim];
            this.fMinus = new double[maxRows * dim];
        }
    }
}
