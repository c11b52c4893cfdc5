package dev.panode.solvers;

import java.util.Arrays;

/**
 * The result of a solve: the saved times and states, the statistics and the result code.
 *
 * <p>States are stored flat, {@code size() × rows × dim}, row-major. On failure (with {@code throwOnFailure(false)})
 * the solution holds what was saved before the failure: {@link #size()} may be smaller than requested.
 * Immutable once returned.
 */
public final class Solution {
    private final double[] times;
    private final double[] states;
    private final int size;
    private final int rows, dim;
    private final Stats stats;
    private final Result result;
    private final String message;
    private final DenseTrajectory dense;

    Solution(double[] times, double[] states, int size, int rows, int dim, Stats stats, Result result, String message,
             DenseTrajectory dense) {
        this.times = times;
        this.states = states;
        this.size = size;
        this.rows = rows;
        this.dim = dim;
        this.stats = stats;
        this.result = result;
        this.message = message;
        this.dense = dense;
    }

    /** The number of saved states. */
    public int size() {
        return size;
    }

    /** The number of samples in the batch. */
    public int rows() {
        return rows;
    }

    /** The dimension of one sample. */
    public int dim() {
        return dim;
    }

    /** The i-th saved time. */
    public double time(int i) {
        checkIndex(i);
        return times[i];
    }

    /** A copy of the saved times. */
    public double[] times() {
        return Arrays.copyOf(times, size);
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
        if (size == 0) throw new IllegalStateException("no state was saved: " + message);
        return state(size - 1);
    }

    /** The statistics. */
    public Stats stats() {
        return stats;
    }

    /** How the solve ended. */
    public Result result() {
        return result;
    }

    /** True when the solve reached t1. */
    public boolean isSuccess() {
        return result.isSuccess();
    }

    /** A message: empty on success, otherwise the failure with what to do about it. */
    public String message() {
        return message;
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

    private void checkIndex(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + i + " of " + size + " saved states");
    }

    @Override
    public String toString() {
        return "Solution[" + result + ", " + size + " saved, " + stats + (message.isEmpty() ? "" : ", " + message) + "]";
    }
}
