package dev.panode.solvers;

/**
 * A {@link VectorField} that can evaluate a batch whose rows sit at different times: row r of {@code y} is evaluated at
 * {@code tRows[r]}. The per-sample solver ({@link PerSampleSolver}) needs it because every sample of its packed block
 * is at its own t; one call still covers the whole block (for an MLP: one GEMM per layer).
 *
 * <p>Autonomous fields (f independent of t, e.g. an MLP without time input) need no per-row times: wrap them with
 * {@link #autonomous}. A time-dependent field must implement {@link #evaluateRows} itself; with equal times it must
 * give what {@link #evaluate} gives.
 */
public interface RowTimeField extends VectorField {

    /**
     * Writes {@code f(tRows[r], y_r)} for rows {@code r < rows} into {@code dyOut}; allocates nothing.
     *
     * @param tRows the time of each row, at least {@code rows} long
     * @param y     states, at least {@code rows·dim()} long, row-major
     * @param dyOut the output, at least {@code rows·dim()} long; must not alias {@code y}
     * @param rows  the number of rows to evaluate
     * @param ws    a workspace from {@link #newWorkspace} with room for at least {@code rows} rows
     */
    void evaluateRows(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws);

    /** {@link #evaluateRows} without its argument checks (see {@link VectorField#evaluateUnchecked}). */
    default void evaluateRowsUnchecked(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluateRows(tRows, y, dyOut, rows, ws);
    }

    /**
     * Views an autonomous field (one whose value does not depend on t) as a {@code RowTimeField}: every block is one
     * plain {@link VectorField#evaluate} call. Wrapping a time-dependent field gives wrong results.
     */
    static RowTimeField autonomous(VectorField field) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (field instanceof RowTimeField r) return r;
        return new ForwardingField.Autonomous(field);
    }
}
