package dev.panode.solvers;

/**
 * Per-solve scratch of {@link MultistepSolver#integrate} for one method, one field and up to {@code maxRows} rows:
 * the method's {@link Stepper} (history of the last k states and derivatives, the starter's stages) and the field's
 * own workspace. Create once, reuse for many solves; never share between threads.
 */
public final class MultistepWorkspace {
    final LinearMultistep method;
    final StepwiseField field;
    final int dim;
    final int maxRows;
    final MultistepStepper stepper;
    final StepControl control = new StepControl().configureUniform();

    /** Scratch for solving {@code field} with {@code method} on up to {@code maxRows} rows. */
    public MultistepWorkspace(LinearMultistep method, StepwiseField field, int maxRows) {
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (field.dim() < 1) throw new IllegalArgumentException("field.dim() must be >= 1, got " + field.dim());
        this.method = method;
        this.field = field;
        this.dim = field.dim();
        this.maxRows = maxRows;
        this.stepper = new MultistepStepper(method, method, field, maxRows, dim);
    }

    /** The field's workspace held here (for callers that evaluate the same field between solves). */
    public FieldWorkspace fieldWorkspace() {
        return stepper.fieldWorkspace;
    }
}
