package dev.panode.solvers;

/**
 * The right-hand side f(t, y) of dy/dt = f(t, y) in single precision: the float32 counterpart of
 * {@link VectorField}, evaluated over a batch of {@code float[]} states (what a float32 model in PyTorch computes).
 *
 * <p>Layout and contract as {@link VectorField}: a batch of {@code rows} samples is one row-major array of
 * {@code rows × dim}; {@link #evaluate} writes into the caller's buffer and never allocates; the field is immutable
 * and shareable, its scratch lives in the {@link FieldWorkspace} it creates. Time stays a double (a field that reads
 * it rounds it where it needs to).
 *
 * <p>The float solvers ({@link Solver#solve(OdeProblemF32, OdeMethod, SolveOptions, SolverWorkspaceF32)}) keep time,
 * step size and error norms in double and only the states and stages in float (docs/FLOAT32.md).
 */
@FunctionalInterface
public interface FloatField {
    /**
     * Writes {@code f(t, y)} for rows {@code 0..rows-1} of {@code y} into {@code dyOut}.
     *
     * @param t     the time
     * @param y     states, at least {@code rows·dim()} long, row-major
     * @param dyOut the output, at least {@code rows·dim()} long; must not alias {@code y}
     * @param rows  the number of samples to evaluate
     * @param ws    a workspace from {@link #newWorkspace} with room for at least {@code rows} rows
     */
    void evaluate(double t, float[] y, float[] dyOut, int rows, FieldWorkspace ws);

    /**
     * {@link #evaluate} without its argument checks, for the solvers' step loops (they checked once, at their entry);
     * the default is {@link #evaluate}.
     */
    default void evaluateUnchecked(double t, float[] y, float[] dyOut, int rows, FieldWorkspace ws) {
        evaluate(t, y, dyOut, rows, ws);
    }

    /** The state dimension of one sample; {@code -1} (the default) means "any". */
    default int dim() {
        return -1;
    }

    /** Creates the scratch needed to evaluate up to {@code maxRows} rows; the default needs none. */
    default FieldWorkspace newWorkspace(int maxRows) {
        return FieldWorkspace.NONE;
    }
}
