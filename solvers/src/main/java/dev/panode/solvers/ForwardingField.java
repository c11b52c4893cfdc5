package dev.panode.solvers;

/**
 * A field that forwards to another: {@link #evaluate}, {@link #evaluateUnchecked}, {@link #dim} and
 * {@link #newWorkspace} go to {@link #field} unchanged, so that a subclass states only what it changes or adds (the
 * adapters of {@link RowTimeField#autonomous} and {@link StepwiseField#of}; a wrapper that observes or re-routes
 * evaluations). Costs one call level per evaluation; allocates nothing.
 */
public abstract class ForwardingField implements VectorField {
    /** The field evaluations go to. */
    protected final VectorField field;

    /**
     * Forwards to {@code field}.
     *
     * @throws IllegalArgumentException when {@code field} is null
     */
    protected ForwardingField(VectorField field) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        this.field = field;
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        field.evaluate(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        field.evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public int dim() {
        return field.dim();
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        return field.newWorkspace(maxRows);
    }

    /** An autonomous field as a {@link RowTimeField}: every block is one plain evaluation (at its first row's time). */
    static final class Autonomous extends ForwardingField implements RowTimeField {
        Autonomous(VectorField field) {
            super(field);
        }

        @Override
        public void evaluateRows(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            field.evaluate(tRows[0], y, dyOut, rows, ws);
        }

        @Override
        public void evaluateRowsUnchecked(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            field.evaluateUnchecked(tRows[0], y, dyOut, rows, ws);
        }

        @Override
        public String toString() {
            return "autonomous(" + field + ")";
        }
    }

    /** The same field on every step, as a {@link StepwiseField}. */
    static final class EveryStep extends ForwardingField implements StepwiseField {
        EveryStep(VectorField field) {
            super(field);
        }

        @Override
        public void evaluateAtStep(int step, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            field.evaluate(t, y, dyOut, rows, ws);
        }

        @Override
        public void evaluateAtStepUnchecked(int step, double t, double[] y, double[] dyOut, int rows,
                                            FieldWorkspace ws) {
            field.evaluateUnchecked(t, y, dyOut, rows, ws);
        }
    }
}
