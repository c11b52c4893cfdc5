package dev.panode.adjoint.models.layers;

/**
 * The time at which a block of rows is evaluated: one t for every row (a solve), or one t per row (the per-sample
 * solver's packed rows, see {@link dev.panode.solvers.RowTimeField}). Layers that read t ask {@link #at(int)}.
 *
 * <p>A {@link LayerField} keeps one instance in its workspace and resets it per call, so nothing is allocated per
 * evaluation; the instances made by {@link #of} and {@link #perRow} are for tests and for calling layers directly.
 */
public final class Times {
    private double t;
    private double[] perRow;

    private Times(double t, double[] perRow) {
        this.t = t;
        this.perRow = perRow;
    }

    /** Every row at time {@code t}. */
    public static Times of(double t) {
        return new Times(t, null);
    }

    /** Row r at time {@code tRows[r]} (the array is read, not copied). */
    public static Times perRow(double[] tRows) {
        if (tRows == null) throw new IllegalArgumentException("tRows must be non-null");
        return new Times(Double.NaN, tRows);
    }

    /** The time of row {@code row}. */
    public double at(int row) {
        return perRow == null ? t : perRow[row];
    }

    /** Whether the rows may sit at different times. */
    public boolean isPerRow() {
        return perRow != null;
    }

    void set(double t) {
        this.t = t;
        if (perRow != null) perRow = null; // no reference store (and GC barrier) on the common path
    }

    void setPerRow(double[] tRows) {
        this.t = Double.NaN;
        this.perRow = tRows;
    }

    @Override
    public String toString() {
        return perRow == null ? "t=" + t : "per-row times";
    }
}
