package dev.panode.blas;

/**
 * The one place where {@link Blas} arguments are checked. Dimensions and leading dimensions that break the BLAS rules
 * raise {@link IllegalArgumentException}; offsets and array lengths that would reach outside an array raise
 * {@link IndexOutOfBoundsException}; null arrays raise {@link NullPointerException}. Each message names the routine,
 * the argument and its value. Extents are computed in {@code long}, so no overflow hides a short array.
 */
final class BlasChecks {
    private BlasChecks() {}

    static void gemm(String routine, Transpose transA, Transpose transB, int m, int n, int k, double alpha, double beta,
                     int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                     int cLength, int cOff, int ldc) {
        notNull(routine, "transA", transA);
        notNull(routine, "transB", transB);
        nonNegative(routine, "m", m);
        nonNegative(routine, "n", n);
        nonNegative(routine, "k", k);
        finite(routine, "alpha", alpha);
        finite(routine, "beta", beta);
        // Row-major storage: A is m x k (k x m when transposed), B is k x n (n x k), C is m x n.
        int aRows = transA == Transpose.NO ? m : k, aCols = transA == Transpose.NO ? k : m;
        int bRows = transB == Transpose.NO ? k : n, bCols = transB == Transpose.NO ? n : k;
        leadingDimension(routine, "lda", lda, aCols, transA == Transpose.NO ? "k" : "m");
        leadingDimension(routine, "ldb", ldb, bCols, transB == Transpose.NO ? "n" : "k");
        leadingDimension(routine, "ldc", ldc, n, "n");
        extent(routine, "a", aLength, aOff, aRows, aCols, lda);
        extent(routine, "b", bLength, bOff, bRows, bCols, ldb);
        extent(routine, "c", cLength, cOff, m, n, ldc);
    }

    static void gemv(String routine, Transpose trans, int m, int n, double alpha, double beta,
                     int aLength, int aOff, int lda, int xLength, int xOff, int incx,
                     int yLength, int yOff, int incy) {
        notNull(routine, "trans", trans);
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

    private static void notNull(String routine, String name, Object value) {
        if (value == null) {
            throw new NullPointerException(routine + ": " + name + " is null");
        }
    }

    /** @return {@code array.length}, or a {@link NullPointerException} naming the argument */
    static int length(String routine, String name, double[] array) {
        if (array == null) {
            throw new NullPointerException(routine + ": " + name + " is null");
        }
        return array.length;
    }

    /** @return {@code array.length}, or a {@link NullPointerException} naming the argument */
    static int length(String routine, String name, float[] array) {
        if (array == null) {
            throw new NullPointerException(routine + ": " + name + " is null");
        }
        return array.length;
    }

    static void nonNegative(String routine, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(routine + ": " + name + " = " + value + " must be >= 0");
        }
    }

    private static void finite(String routine, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(routine + ": " + name + " = " + value + " must be finite");
        }
    }

    private static void leadingDimension(String routine, String name, int ld, int cols, String colsName) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(routine + ": " + name + " = " + ld + " must be >= max(1, " + colsName
                    + " = " + cols + "), the row length of the row-major matrix as stored");
        }
    }

    /** A rows x cols row-major matrix with row stride ld, starting at off, must lie inside [0, length). */
    private static void extent(String routine, String name, int length, int off, int rows, int cols, int ld) {
        if (off < 0) {
            throw new IndexOutOfBoundsException(routine + ": " + name + "Off = " + off + " must be >= 0");
        }
        long needed = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (needed > length) {
            throw new IndexOutOfBoundsException(routine + ": " + name + " needs " + needed + " elements (" + name + "Off = " + off
                    + ", " + rows + " x " + cols + " with row stride " + ld + ") but " + name + ".length = " + length);
        }
    }

    /** A vector of count elements with stride inc >= 1, starting at off, must lie inside [0, length). */
    private static void strided(String routine, String name, int length, int off, int inc, int count) {
        if (inc < 1) {
            throw new IllegalArgumentException(routine + ": inc" + name + " = " + inc
                    + " must be >= 1 (zero and negative increments are not supported)");
        }
        if (off < 0) {
            throw new IndexOutOfBoundsException(routine + ": " + name + "Off = " + off + " must be >= 0");
        }
        long needed = count == 0 ? off : off + (long) (count - 1) * inc + 1;
        if (needed > length) {
            throw new IndexOutOfBoundsException(routine + ": " + name + " needs " + needed + " elements (" + name + "Off = " + off
                    + ", " + count + " elements with increment " + inc + ") but " + name + ".length = " + length);
        }
    }
}
