package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.JacobianField;

/**
 * A {@link DifferentiableField} seen as a {@link JacobianField} for the implicit methods: the Jacobian ∂f/∂y assembled
 * row by row from {@code dim} vector–Jacobian products with the unit cotangents e_i, one VJP per i for the whole batch
 * (the samples are independent, so e_i on every row gives row i of every sample's block). Exact to rounding, unlike
 * finite differences, at the cost of dim VJPs (about 2·dim evaluations) per Jacobian.
 *
 * <p>When not to use: fields of large dimension (dim VJPs per Jacobian, and a dense LU of dim × dim per sample);
 * an implicit method there is the wrong tool anyway.
 */
public final class VjpJacobianField implements JacobianField {
    private final DifferentiableField field;

    private VjpJacobianField(DifferentiableField field) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (field.dim() < 1) throw new IllegalArgumentException("field.dim() must be >= 1, got " + field.dim());
        this.field = field;
    }

    /** Wraps {@code field}; evaluations go to it unchanged. */
    public static VjpJacobianField of(DifferentiableField field) {
        return new VjpJacobianField(field);
    }

    /** The wrapped field. */
    public DifferentiableField field() {
        return field;
    }

    /** The field's workspace plus the cotangent and product buffers. */
    private record Workspace(FieldWorkspace inner, double[] v, double[] yBar) implements FieldWorkspace {}

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        int n = Math.multiplyExact(maxRows, field.dim());
        return new Workspace(field.newWorkspace(maxRows), new double[n], new double[n]);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        field.evaluate(t, y, dyOut, rows, ((Workspace) ws).inner());
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        field.evaluateUnchecked(t, y, dyOut, rows, ((Workspace) ws).inner());
    }

    @Override
    public void jacobian(double t, double[] y, double[] jacOut, int rows, FieldWorkspace ws) {
        Workspace w = (Workspace) ws;
        int d = field.dim(), n = rows * d, dd = d * d;
        double[] v = w.v(), yBar = w.yBar();
        for (int i = 0; i < d; i++) {
            java.util.Arrays.fill(v, 0, n, 0.0);
            for (int r = 0; r < rows; r++) v[r * d + i] = 1.0;
            field.vjp(t, y, v, yBar, null, null, rows, false, w.inner());
            for (int r = 0; r < rows; r++) System.arraycopy(yBar, r * d, jacOut, r * dd + i * d, d);
        }
    }

    @Override
    public int dim() {
        return field.dim();
    }
}
