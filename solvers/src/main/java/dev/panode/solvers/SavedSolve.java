package dev.panode.solvers;

import java.util.Arrays;

/**
 * What every solve's result holds apart from its states: the saved times, the batch shape, the statistics and how the
 * solve ended — the part {@link Solution} (double states) and {@link SolutionF32} (float states) share. The states
 * stay in the subclasses, typed, so no state is boxed or converted.
 */
abstract class SavedSolve {
    final double[] times;
    final int size;
    final int rows, dim;
    private final Stats stats;
    private final Result result;
    final String message;

    SavedSolve(double[] times, int size, int rows, int dim, Stats stats, Result result, String message) {
        this.times = times;
        this.size = size;
        this.rows = rows;
        this.dim = dim;
        this.stats = stats;
        this.result = result;
        this.message = message;
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

    /** The index of the last saved state; refuses a solve that saved none, naming its message. */
    final int lastIndex() {
        if (size == 0) throw new IllegalStateException("no state was saved: " + message);
        return size - 1;
    }

    final void checkIndex(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + i + " of " + size + " saved states");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + result + ", " + size + " saved, " + stats
                + (message.isEmpty() ? "" : ", " + message) + "]";
    }
}
