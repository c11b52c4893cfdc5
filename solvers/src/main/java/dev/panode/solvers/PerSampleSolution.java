package dev.panode.solvers;

/**
 * The result of a {@link PerSampleSolver} solve: for every sample its own save times and states (ragged), its own
 * {@link Stats} and {@link Result}; for the batch, how many field calls were made and how many rows they covered.
 * Accessors return copies. A solution from a solve without workspace is immutable; one from a solve through a
 * {@link PerSampleWorkspace} is a view of that workspace, overwritten by its next solve (read or copy what you need
 * first).
 */
public final class PerSampleSolution {
    private int rows, dim;
    private double[][] times, states;
    private int[] counts;
    private long[] nfe, accepted, rejected;
    private Result[] results;
    private String[] messages;
    private long fieldCalls, rowsEvaluated;

    /** An empty view, filled by {@link #set}. */
    PerSampleSolution() {}

    /** A solution over the given arrays (of at least {@code rows} entries each; kept, not copied). */
    PerSampleSolution(int rows, int dim, double[][] times, double[][] states, int[] counts, long[] nfe, long[] accepted,
                      long[] rejected, Result[] results, String[] messages, long fieldCalls, long rowsEvaluated) {
        set(rows, dim, times, states, counts, nfe, accepted, rejected, results, messages, fieldCalls, rowsEvaluated);
    }

    void set(int rows, int dim, double[][] times, double[][] states, int[] counts, long[] nfe, long[] accepted,
             long[] rejected, Result[] results, String[] messages, long fieldCalls, long rowsEvaluated) {
        this.rows = rows;
        this.dim = dim;
        this.times = times;
        this.states = states;
        this.counts = counts;
        this.nfe = nfe;
        this.accepted = accepted;
        this.rejected = rejected;
        this.results = results;
        this.messages = messages;
        this.fieldCalls = fieldCalls;
        this.rowsEvaluated = rowsEvaluated;
    }

    /** The number of samples. */
    public int rows() {
        return rows;
    }

    /** The state dimension of one sample. */
    public int dim() {
        return dim;
    }

    /** The number of saved points of sample {@code r} (fewer than asked when it failed). */
    public int count(int r) {
        return counts[check(r)];
    }

    /** The save times reached by sample {@code r}. */
    public double[] times(int r) {
        return java.util.Arrays.copyOf(times[check(r)], counts[r]);
    }

    /** The saved states of sample {@code r}, {@code count(r) × dim} row-major. */
    public double[] states(int r) {
        return java.util.Arrays.copyOf(states[check(r)], counts[r] * dim);
    }

    /** The state of sample {@code r} at its i-th save time. */
    public double[] state(int r, int i) {
        check(r);
        if (i < 0 || i >= counts[r])
            throw new IllegalArgumentException("i must be in [0, " + counts[r] + "), got " + i);
        return java.util.Arrays.copyOfRange(states[r], i * dim, (i + 1) * dim);
    }

    /**
     * Statistics of sample {@code r}: {@code nfe} counts the field evaluations that included this sample's row (the
     * initial-step heuristic included), exactly what a solve of this sample alone reports.
     */
    public Stats stats(int r) {
        check(r);
        return new Stats(nfe[r], accepted[r], rejected[r]);
    }

    /** The result code of sample {@code r}. */
    public Result result(int r) {
        return results[check(r)];
    }

    /** The failure message of sample {@code r} ({@code ""} on success). */
    public String message(int r) {
        return messages[check(r)];
    }

    /** True when every sample succeeded. */
    public boolean isSuccess() {
        for (int r = 0; r < rows; r++) if (!results[r].isSuccess()) return false;
        return true;
    }

    /** The calls of the vector field (each over a packed block of rows). */
    public long fieldCalls() {
        return fieldCalls;
    }

    /** The rows covered by all field calls: the cost that compaction reduces. */
    public long rowsEvaluated() {
        return rowsEvaluated;
    }

    /** Σ_r stats(r).nfe(): the rows that did useful work. */
    public long totalNfe() {
        long s = 0;
        for (int r = 0; r < rows; r++) s += nfe[r];
        return s;
    }

    private int check(int r) {
        if (r < 0 || r >= rows) throw new IllegalArgumentException("r must be in [0, " + rows + "), got " + r);
        return r;
    }
}
