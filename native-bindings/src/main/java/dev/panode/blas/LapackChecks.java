package dev.panode.blas;

/**
 * The one place where {@link Lapack} arguments are checked, in the style of {@link BlasChecks}
 * ({@code "ROUTINE: NAME must be …, got VALUE"}): null arrays or flags, dimensions and leading dimensions that break
 * LAPACK's rules and pivots outside [1, n] raise {@link IllegalArgumentException}; offsets and array lengths that would
 * reach outside an array raise {@link IndexOutOfBoundsException}. Matrices are column-major.
 */
final class LapackChecks {
    private LapackChecks() {}

    static void getrf(String routine, int m, int n, int aLength, int aOff, int lda, int[] ipiv, int ipivOff) {
        BlasChecks.nonNegative(routine, "m", m);
        BlasChecks.nonNegative(routine, "n", n);
        leadingDimension(routine, "lda", lda, m, "m");
        columnMajor(routine, "a", aLength, aOff, m, n, lda);
        vector(routine, "ipiv", ipivLength(routine, ipiv), ipivOff, Math.min(m, n));
    }

    static void getrs(String routine, Transpose trans, int n, int nrhs, int aLength, int aOff, int lda,
                      int[] ipiv, int ipivOff, int bLength, int bOff, int ldb) {
        BlasChecks.nonNull(routine, "trans", trans);
        BlasChecks.nonNegative(routine, "n", n);
        BlasChecks.nonNegative(routine, "nrhs", nrhs);
        leadingDimension(routine, "lda", lda, n, "n");
        leadingDimension(routine, "ldb", ldb, n, "n");
        columnMajor(routine, "a", aLength, aOff, n, n, lda);
        vector(routine, "ipiv", ipivLength(routine, ipiv), ipivOff, n);
        columnMajor(routine, "b", bLength, bOff, n, nrhs, ldb);
        for (int i = 0; i < n; i++) { // a pivot outside [1, n] would make the native row swap read out of bounds
            int p = ipiv[ipivOff + i];
            if (p < 1 || p > n) {
                throw new IllegalArgumentException(routine + ": ipiv[" + (ipivOff + i) + "] must be in [1, n = " + n
                        + "] (a row index from getrf, 1-based), got " + p);
            }
        }
    }

    private static int ipivLength(String routine, int[] ipiv) {
        BlasChecks.nonNull(routine, "ipiv", ipiv);
        return ipiv.length;
    }

    private static void leadingDimension(String routine, String name, int ld, int rows, String rowsName) {
        if (ld < Math.max(1, rows)) {
            throw new IllegalArgumentException(routine + ": " + name + " must be >= max(1, " + rowsName + " = " + rows
                    + ") (the column length as stored), got " + ld);
        }
    }

    /** A rows × cols column-major matrix with column stride ld, starting at off, must lie inside [0, length). */
    private static void columnMajor(String routine, String name, int length, int off, int rows, int cols, int ld) {
        if (off < 0) {
            throw new IndexOutOfBoundsException(routine + ": " + name + "Off must be >= 0, got " + off);
        }
        long needed = rows == 0 || cols == 0 ? off : off + (long) (cols - 1) * ld + rows;
        if (needed > length) {
            throw new IndexOutOfBoundsException(routine + ": " + name + ".length must be >= " + needed + " (" + name
                    + " is " + rows + "×" + cols + " column-major with ld = " + ld + " from offset " + off + "), got "
                    + length);
        }
    }

    private static void vector(String routine, String name, int length, int off, int count) {
        if (off < 0) {
            throw new IndexOutOfBoundsException(routine + ": " + name + "Off must be >= 0, got " + off);
        }
        if ((long) off + count > length) {
            throw new IndexOutOfBoundsException(routine + ": " + name + ".length must be >= " + ((long) off + count)
                    + " (" + count + " pivots from offset " + off + "), got " + length);
        }
    }
}
