package dev.panode.solvers;

/**
 * A right-hand side that may differ from step to step of a fixed-step method: f_n(t, y) on step n. This is a ResNet
 * read as an ODE, where step (layer) n has its own parameters θ_n; the step index, not the time, selects them.
 *
 * <p>Same conventions as {@link VectorField}: row-major batches, caller-owned output, no allocation, scratch in the
 * workspace. {@link #of(VectorField)} adapts an ordinary field, which ignores the step index.
 */
public interface StepwiseField extends VectorField {

    /** Writes f_step(t, y) for {@code rows} samples into {@code dyOut} (which must not alias {@code y}). */
    void evaluateAtStep(int step, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws);

    /**
     * {@link #evaluateAtStep} without its argument checks: what the multistep solver calls inside its loop, having
     * checked the shapes once at its entry (see {@link VectorField#evaluateUnchecked}). The default is
     * {@link #evaluateAtStep}.
     */
    default void evaluateAtStepUnchecked(int step, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluateAtStep(step, t, y, dyOut, rows, ws);
    }

    /** The state dimension of one sample (≥ 1). */
    @Override
    int dim();

    /**
     * Without a step index a per-step field is undefined, so this throws; the multistep methods pass the index.
     * Fields that do not depend on the step ({@link #of}) override it.
     */
    @Override
    default void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        throw new UnsupportedOperationException("a per-step field needs the step index: solve it with a multistep "
                + "method (Leapfrog, AdamsBashforth) or call evaluateAtStep");
    }

    /** The number of steps the field defines f_n for, or {@link Integer#MAX_VALUE} when it does not depend on n. */
    default int steps() {
        return Integer.MAX_VALUE;
    }

    /** The same field on every step. The field must declare its dimension. */
    static StepwiseField of(VectorField field) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (field.dim() < 1) {
            throw new IllegalArgumentException("field must declare its dimension (dim() >= 1), got " + field.dim());
        }
        return new ForwardingField.EveryStep(field);
    }
}
