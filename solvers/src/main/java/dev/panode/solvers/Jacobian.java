package dev.panode.solvers;

/**
 * The Jacobian blocks ∂f/∂y of a batch (one {@code dim × dim} block per row, row-major), from the field when it is a
 * {@link JacobianField}, else by forward differences. The differences perturb component j of every row at once (the
 * rows are independent), so a Jacobian costs {@code dim} evaluations whatever the batch size. The increment is
 * {@link ForwardDifference}'s (RADAU5's). Allocation-free after construction.
 */
final class Jacobian {
    private final VectorField field;
    private final JacobianField analytic;
    private final int dim;
    final double[] blocks;
    private final double[] yPerturbed, fPerturbed, delta;

    Jacobian(VectorField field, int maxRows, int dim) {
        this.field = field;
        this.analytic = field instanceof JacobianField j ? j : null;
        this.dim = dim;
        int n = Math.multiplyExact(maxRows, dim);
        this.blocks = new double[Math.multiplyExact(n, dim)];
        this.yPerturbed = analytic == null ? new double[n] : null;
        this.fPerturbed = analytic == null ? new double[n] : null;
        this.delta = analytic == null ? new double[maxRows] : null;
    }

    /** True when the field supplies the Jacobian itself. */
    boolean isAnalytic() {
        return analytic != null;
    }

    /** True when the field declares that it does not depend on t. */
    boolean isAutonomous() {
        return analytic != null && analytic.isAutonomous();
    }

    /**
     * Evaluates the blocks at (t, y), where {@code f0 = f(t, y)} is already known. Returns the field evaluations it
     * made (0 for an analytic Jacobian, dim for differences).
     */
    int evaluate(double t, double[] y, double[] f0, int rows, FieldWorkspace ws) {
        if (analytic != null) {
            analytic.jacobian(t, y, blocks, rows, ws);
            return 0;
        }
        int n = rows * dim, dd = dim * dim;
        System.arraycopy(y, 0, yPerturbed, 0, n);
        for (int j = 0; j < dim; j++) {
            for (int r = 0; r < rows; r++) {
                int at = r * dim + j;
                double yj = y[at];
                double target = ForwardDifference.perturbed(yj);
                yPerturbed[at] = target;
                delta[r] = target - yj;
            }
            field.evaluateUnchecked(t, yPerturbed, fPerturbed, rows, ws);
            for (int r = 0; r < rows; r++) {
                int row = r * dim, block = r * dd;
                double inv = 1.0 / delta[r];
                for (int i = 0; i < dim; i++) {
                    blocks[block + i * dim + j] = (fPerturbed[row + i] - f0[row + i]) * inv;
                }
                yPerturbed[row + j] = y[row + j];
            }
        }
        return dim;
    }
}
