package dev.panode.solvers;

/**
 * Another field seen through a wider interface: {@link #evaluate}, {@link #evaluateUnchecked}, {@link #dim} and
 * {@link #newWorkspace} go to it unchanged, and each subclass adds what its interface asks for. The adapters of
 * {@link RowTimeField#autonomous} and {@link StepwiseField#of}.
 */
abstract class FieldView implements VectorField {
    final VectorField field;

    FieldView(VectorField field) {
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
    static final class Autonomous extends FieldView implements RowTimeField {
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
    static final class EveryStep extends FieldView implements StepwiseField {
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
