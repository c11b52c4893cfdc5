package dev.panode.adjoint.models.layers;

import dev.panode.solvers.HeapCheck;

/** The layers' workspace buffers: made with their length checked, and copied to and from a saved block. */
final class Buffers {
    private Buffers() {}

    /**
     * A buffer of {@code rows × width} doubles, refused with a clear message when one array cannot hold it (the
     * heap as a whole is checked by {@link LayerField#newWorkspace} before any buffer is made).
     */
    static double[] of(int rows, int width) {
        return padded(rows, width, 0);
    }

    /** {@link #of} with {@code padding} more doubles after the last row. */
    static double[] padded(int rows, int width, int padding) {
        return new double[HeapCheck.length("a layer buffer of " + rows + " rows × " + width + " columns",
                (long) rows * width + padding)];
    }

    /** {@code rows × width} as a count of doubles, saturating. */
    static long doubles(long count, int rows, int width) {
        return HeapCheck.doubles(count, rows, width);
    }

    /** {@code a + b}, saturating. */
    static long sum(long a, long b) {
        return HeapCheck.sum(a, b);
    }

    /** Copies {@code n} doubles from a workspace buffer to {@code saved} at {@code at} ({@code save}) or back. */
    static void copy(double[] buffer, int n, double[] saved, int at, boolean save) {
        if (save) System.arraycopy(buffer, 0, saved, at, n);
        else System.arraycopy(saved, at, buffer, 0, n);
    }

    /** {@code n} clamped to an int (an overlong saved length makes the field fall back to recomputing). */
    static int clamp(long n) {
        return (int) Math.min(n, Integer.MAX_VALUE);
    }
}
