package dev.panode.solvers;

/**
 * The right-hand side f(t, y) of dy/dt = f(t, y), evaluated over a batch.
 *
 * <p>State layout: a batch of {@code rows} samples is one contiguous row-major {@code double[]} of {@code rows × dim}
 * (sample-major). {@link #evaluate} writes f into the caller's buffer and never allocates. A field is immutable and
 * may be shared across threads; whatever scratch it needs lives in the {@link FieldWorkspace} it creates, one per
 * solve.
 */
@FunctionalInterface
public interface VectorField {
    /**
     * Writes {@code f(t, y)} for rows {@code 0..rows-1} of {@code y} into {@code dyOut}.
     *
     * @param t     the time
     * @param y     states, at least {@code rows·dim()} long, row-major
     * @param dyOut the output, at least {@code rows·dim()} long; must not alias {@code y}
     * @param rows  the number of samples to evaluate
     * @param ws    a workspace from {@link #newWorkspace} with room for at least {@code rows} rows
     */
    void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws);

    /**
     * {@link #evaluate} without its argument checks: what the solvers call inside their step loops, having checked
     * once, at their entry, that {@code y} and {@code dyOut} hold {@code rows·dim()} values and differ, and that
     * {@code ws} came from {@link #newWorkspace} with room for {@code rows}. A field whose {@code evaluate} checks its
     * arguments overrides this with the evaluation alone; the default is {@link #evaluate}.
     */
    default void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluate(t, y, dyOut, rows, ws);
    }

    /** The state dimension of one sample; {@code -1} (the default) means "any", for fields defined component-wise. */
    default int dim() {
        return -1;
    }

    /**
     * How many leading components of a one-row state the field reads; the default, {@link #dim()}, means all of them
     * (and -1 means "any dimension", so all as well). A field whose trailing components are quadratures — integrated,
     * never read, like a continuous adjoint's parameter and time adjoints — returns fewer, and the solver's explicit
     * Runge–Kutta steps then form only those components of the inner stage inputs Y_i (the step's result, its error
     * estimate and every stage derivative keep all components, so the solution is the same bit for bit); the
     * other components of those stage inputs are left stale. Not for a field that reads them, nor for a solve
     * whose observer reads stage inputs.
     */
    default int componentsRead() {
        return dim();
    }

    /**
     * {@link #evaluateUnchecked} of which the caller reads only the first {@code leading} components of a one-row
     * {@code dyOut}; the others may be left stale. An explicit Runge–Kutta step calls it, with {@code leading} at least
     * {@link #componentsRead}, for a stage whose derivative only feeds later stage inputs and the error estimate (b_i
     * = 0 and no dense-output weight, such as dopri5's k_1), when the field reads fewer than all its components. A
     * field whose trailing quadratures cost work of their own (a continuous adjoint's parameter adjoint: the weight
     * gradients, a third of each VJP's matrix products) overrides it to skip them; the default evaluates them all.
     * The same contract as {@link #componentsRead}: not for a solve whose observer reads stages.
     */
    default void evaluateLeadingUnchecked(double t, double[] y, double[] dyOut, int leading, int rows,
                                          FieldWorkspace ws) {
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    /** Creates the scratch needed to evaluate up to {@code maxRows} rows; the default needs none. */
    default FieldWorkspace newWorkspace(int maxRows) {
        return FieldWorkspace.NONE;
    }
}
