package dev.panode.solvers;

/**
 * A vector field that also supplies its Jacobian ∂f/∂y, for the implicit methods ({@link Esdirk}, {@link Rosenbrock}).
 * A field that does not implement it gets a finite-difference Jacobian (dim extra evaluations per Jacobian), which is
 * usually good enough for the simplified Newton iteration of an ESDIRK method but costs a Rosenbrock method accuracy
 * when the differences are poor.
 *
 * <p>The samples of a batch are independent, so the Jacobian of the batch is block diagonal: one {@code dim × dim}
 * block per row.
 */
public interface JacobianField extends VectorField {
    /**
     * Writes ∂f/∂y at (t, y) for rows {@code 0..rows-1}: {@code jacOut[r·dim² + i·dim + j] = ∂f_i/∂y_j} of row r
     * (each block row-major). Must not allocate.
     *
     * @param t      the time
     * @param y      states, {@code rows·dim} long, row-major
     * @param jacOut the blocks, at least {@code rows·dim²} long
     * @param rows   the number of samples
     * @param ws     a workspace from {@link #newWorkspace}
     */
    void jacobian(double t, double[] y, double[] jacOut, int rows, FieldWorkspace ws);

    /**
     * True when f does not depend on t; a Rosenbrock method then skips the finite difference in t (one evaluation per
     * step). The default, false, is always safe.
     */
    default boolean isAutonomous() {
        return false;
    }
}
