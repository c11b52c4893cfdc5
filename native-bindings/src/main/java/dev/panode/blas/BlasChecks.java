package dev.panode.blas;

/**
 * The argument checks of {@link Blas} (the GEMM rules are {@link GemmArguments}). Messages read
 * {@code "ROUTINE: NAME must be …, got VALUE"}: a null, a negative dimension, a leading dimension shorter than the stored
 * row, an increment below 1 or a non-finite scalar raise {@link IllegalArgumentException}; offsets and array lengths
 * that would reach outside an array raise {@link IndexOutOfBoundsException}. Extents are computed in {@code long}, so
 * no overflow hides a short array.
 */
final class BlasChecks {
    private BlasChecks() {}

    static void gemv(String routine, Transpose trans, int m, int n, double alpha, double beta,
                     int aLength, int aOff, int lda, int xLength, int xOff, int incx,
                     int yLength, int yOff, int incy) {
        nonNull(routine, "trans", trans);
        nonNegative(routine, "m", m);
        nonNegative(routine, "n", n);
        finite(routine, "alpha", alpha);
        finite(routine, "beta", beta);
        leadingDimension(routine, "lda", lda, n, "n");
        extent(routine, "a", aLength, aOff, m, n, lda);
        boolean t = trans == Transpose.YES;
        strided(routine, "x", xLength, xOff, incx, t ? m : n);
        strided(routine, "y", yLength, yOff, incy, t ? n : m);
    }

    static void axpy(String routine, int n, double alpha, int xLength, int xOff, int incx,
                     int yLength, int yOff, int incy) {
        nonNegative(routine, "n", n);
        finite(routine, "alpha", alpha);
        strided(routine, "x", xLength, xOff, incx, n);
        strided(routine, "y", yLength, yOff, incy, n);
    }

    static void dot(String routine, int n, int xLength, int xOff, int incx, int yLength, int yOff, int incy) {
        nonNegative(routine, "n", n);
        strided(routine, "x", xLength, xOff, incx, n);
        strided(routine, "y", yLength, yOff, incy, n);
    }

    static void nonNull(String routine, String name, Object value) {
        if (value == null) throw new IllegalArgumentException(routine + ": " + name + " must be non-null");
    }

    /** @return the length of {@code array} (a {@code double[]} or {@code float[]}), which must be non-null */
    static int length(String routine, String name, Object array) {
        nonNull(routine, name, array);
        return array instanceof double[] d ? d.length : ((float[]) array).length;
    }

    static void nonNegative(String routine, String name, int value) {
        if (value < 0) throw new IllegalArgumentException(routine + ": " + name + " must be >= 0, got " + value);
    }

    static void finite(String routine, String name, double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException(routine + ": " + name + " must be finite, got " + value);
    }

    /** {@code ld ≥ max(1, cols)}, cols being the row length of the row-major matrix as stored ({@code why} says so). */
    static void leadingDimension(String routine, String name, int ld, int cols, String why) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(routine + ": " + name + " must be >= max(1, " + cols + ") (" + why
                    + ": the row length as stored), got " + ld);
        }
    }

    /**
     * A rows × cols row-major matrix with row stride ld from off must lie inside [0, length); an empty one reads
     * nothing, so only its offset is checked.
     *
     * @return one past the last element
     */
    static long extent(String routine, String name, int length, int off, int rows, int cols, int ld) {
        if (off < 0) throw new IndexOutOfBoundsException(routine + ": " + name + "Off must be >= 0, got " + off);
        if (rows == 0 || cols == 0) return off;
        long end = off + (long) (rows - 1) * ld + cols;
        if (end > length) {
            throw new IndexOutOfBoundsException(routine + ": " + name + ".length must be >= " + end + " (" + name
                    + " is " + rows + "×" + cols + " with ld = " + ld + " from offset " + off + "), got " + length);
        }
        return end;
    }

    /** A vector of count elements with stride inc ≥ 1 from off must lie inside [0, length). */
    private static void strided(String routine, String name, int length, int off, int inc, int count) {
        if (inc < 1) {
            throw new IllegalArgumentException(routine + ": inc" + name + " must be >= 1 (zero and negative increments "
                    + "are not supported), got " + inc);
        }
        if (off < 0) throw new IndexOutOfBoundsException(routine + ": " + name + "Off must be >= 0, got " + off);
        long needed = count == 0 ? off : off + (long) (count - 1) * inc + 1;
        if (needed > length) {
            throw new IndexOutOfBoundsException(routine + ": " + name + ".length must be >= " + needed + " (" + count
                    + " elements with increment " + inc + " from offset " + off + "), got " + length);
        }
    }
}
