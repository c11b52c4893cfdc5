package dev.panode.solvers;

import java.util.Arrays;

/**
 * The result of a solve: the saved times and states, the statistics and the result code.
 *
 * <p>States are stored flat, {@code size() × rows × dim}, row-major. On failure (with {@code throwOnFailure(false)})
 * the solution holds what was saved before the failure: {@link #size()} may be smaller than requested.
 * Immutable once returned.
 */
public final class Solution extends SavedSolve {
    private final double[] states;
    private final DenseTrajectory dense;

    Solution(double[] times, double[] states, int size, int rows, int dim, Stats stats, Result result, String message,
             DenseTrajectory dense) {
        super(times, size, rows, dim, stats, result, message);
        this.states = states;
        this.dense = dense;
    }

    /** A copy of the i-th saved state, {@code rows·dim} values. */
    public double[] state(int i) {
        checkIndex(i);
        int n = rows * dim;
        return Arrays.copyOfRange(states, i * n, (i + 1) * n);
    }

    /** Copies the i-th saved state into {@code out[0 .. rows·dim)}. Allocates nothing. */
    public void state(int i, double[] out) {
        checkIndex(i);
        int n = rows * dim;
        if (out == null || out.length < n) throw new IllegalArgumentException("out must have length >= " + n);
        System.arraycopy(states, i * n, out, 0, n);
    }

    /** One component: state {@code i}, sample {@code row}, component {@code comp}. */
    public double value(int i, int row, int comp) {
        checkIndex(i);
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        if (comp < 0 || comp >= dim) throw new IndexOutOfBoundsException("comp " + comp + " of " + dim);
        return states[(i * rows + row) * dim + comp];
    }

    /** A copy of all saved states, flat {@code size() × rows × dim}. */
    public double[] states() {
        return Arrays.copyOf(states, size * rows * dim);
    }

    /** The last saved state (for {@link SaveAt#t1()}: y(t1)). */
    public double[] lastState() {
        return state(lastIndex());
    }

    /** True when the solve saved dense output ({@link SaveAt#dense()}). */
    public boolean hasDenseOutput() {
        return dense != null;
    }

    /**
     * The interpolated state at any time inside the solved interval, into {@code out[0 .. rows·dim)}; needs
     * {@link SaveAt#dense()}. Uses the method's interpolant of the step that covers t.
     */
    public void evaluate(double t, double[] out) {
        if (dense == null) throw new IllegalStateException("evaluate needs SaveAt.dense(); this solve saved " + size + " states");
        if (out == null || out.length < rows * dim) throw new IllegalArgumentException("out must have length >= " + rows * dim);
        dense.evaluate(t, out);
    }

}
