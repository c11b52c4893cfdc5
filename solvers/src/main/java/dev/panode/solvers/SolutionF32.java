package dev.panode.solvers;

import java.util.Arrays;

/**
 * The result of a float32 solve ({@link Solver#solve(OdeProblemF32, OdeMethod, SolveOptions, SolverWorkspaceF32)}):
 * the saved times (double) and states ({@code float}, flat {@code size × rows × dim}), the statistics and how the
 * solve ended. The float counterpart of {@link Solution}, without dense output. Immutable for its users.
 */
public final class SolutionF32 {
    private final double[] times;
    private final float[] states;
    private final int size;
    private final int rows, dim;
    private final Stats stats;
    private final Result result;
    private final String message;

    SolutionF32(double[] times, float[] states, int size, int rows, int dim, Stats stats, Result result,
                String message) {
        this.times = times;
        this.states = states;
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

    /** A copy of the i-th saved state, {@code rows·dim} values. */
    public float[] state(int i) {
        checkIndex(i);
        int n = rows * dim;
        return Arrays.copyOfRange(states, i * n, (i + 1) * n);
    }

    /** A copy of all saved states, flat {@code size() × rows × dim}. */
    public float[] states() {
        return Arrays.copyOf(states, size * rows * dim);
    }

    /** The last saved state (y(t1) when the solve succeeded). */
    public float[] lastState() {
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

    /** The same solution with every state widened to double (exactly), e.g. for {@link SolveException}. */
    public Solution widened() {
        int count = size * rows * dim;
        double[] d = new double[count];
        for (int i = 0; i < count; i++) d[i] = states[i];
        return new Solution(Arrays.copyOf(times, size), d, size, rows, dim, stats, result, message, null);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + i + " of " + size + " saved states");
    }

    @Override
    public String toString() {
        return "SolutionF32[" + result + ", " + size + " saved, " + stats + (message.isEmpty() ? "" : ", " + message)
                + "]";
    }
}
