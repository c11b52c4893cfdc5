package dev.panode.solvers;

/**
 * Per-solve scratch of {@link MultistepSolver} for one method, one field and up to {@code maxRows} rows: the history of
 * the last k evaluations of f, the starter's stages and the field's own workspace. Create once, reuse for many solves;
 * never share between threads.
 */
public final class MultistepWorkspace {
    final LinearMultistep method;
    final int dim;
    final int maxRows;
    final double[][] history;
    final double[][] ordered;
    final double[][] stages;
    final double[] stageInput;
    final FieldWorkspace fieldWorkspace;

    /** Scratch for solving {@code field} with {@code method} on up to {@code maxRows} rows. */
    public MultistepWorkspace(LinearMultistep method, StepwiseField field, int maxRows) {
        if (method == null) throw new IllegalArgumentException("method must not be null");
        if (field == null) throw new IllegalArgumentException("field must not be null");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (field.dim() < 1) throw new IllegalArgumentException("field.dim() must be >= 1, got " + field.dim());
        this.method = method;
        this.dim = field.dim();
        this.maxRows = maxRows;
        int n = dim * maxRows;
        this.history = new double[method.steps()][n];
        this.ordered = new double[method.steps()][];
        this.stages = new double[method.starter().stages()][n];
        this.stageInput = new double[n];
        this.fieldWorkspace = field.newWorkspace(maxRows);
    }

    /** The field's workspace held here (for callers that evaluate the same field between solves). */
    public FieldWorkspace fieldWorkspace() {
        return fieldWorkspace;
    }
}
