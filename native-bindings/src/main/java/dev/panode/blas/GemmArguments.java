package dev.panode.blas;

/**
 * The argument rules of a row-major GEMM, {@code C = α·op(A)·op(B) + β·C} with op(A) m×k, op(B) k×n and C m×n, in one
 * place for every checked product ({@link Blas#dgemm}, {@link Blas#sgemm} and simd-core's dispatcher):
 * <ul>
 *   <li>the transpose flags and the arrays are non-null; m, n, k ≥ 0; α and β are finite;</li>
 *   <li>each leading dimension is at least {@code max(1, row length of the matrix as stored)}: {@code lda ≥ k}
 *       (m when A is transposed), {@code ldb ≥ n} (k), {@code ldc ≥ n};</li>
 *   <li>offsets are ≥ 0, and a non-empty matrix {@code rows × cols} with row stride ld lies inside its array:
 *       {@code off + (rows − 1)·ld + cols ≤ length} (computed in {@code long}); an empty one reads nothing;</li>
 *   <li>C does not overlap A or B when it shares their array (the spans [first, last element] are compared).</li>
 * </ul>
 * {@link #valid} decides them all (branch-free unless C shares an array), the whole cost of a checked call that
 * passes (it matters for products of a fraction of a microsecond); {@link #explain} is called only when it fails and
 * throws the exception naming the first broken rule: {@link IllegalArgumentException} for a bad value
 * ({@code "NAME must be …, got VALUE"}), {@link IndexOutOfBoundsException} for an offset or a length that leaves the
 * array.
 */
public final class GemmArguments {
    private GemmArguments() {}

    /**
     * True when the arguments keep every rule, arrays given by their lengths (the caller checks them for null first)
     * and by whether C shares its array with A ({@code cIsA}) or with B ({@code cIsB}), legal when the two matrices
     * do not overlap (C in the same array as A, after it, is how a backprop pass writes a layer's pre-activation beside
     * its input). Allocates nothing, so that a legal call never runs {@link #explain}. Branch-free but for the shared
     * case; its rules kept under C2's inlining limit for hot methods (325 bytes of bytecode): as one larger method the
     * check was called, not inlined, and cost 10–13 ns instead of 2–3.
     */
    public static boolean valid(Transpose ta, Transpose tb, int m, int n, int k, double alpha, double beta,
                                int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                                int cLength, int cOff, int ldc, boolean cIsA, boolean cIsB) {
        if (!rulesHold(ta, tb, m, n, k, alpha, beta, aLength, aOff, lda, bLength, bOff, ldb, cLength, cOff, ldc)) {
            return false;
        }
        if (!(cIsA | cIsB) || m == 0 || n == 0) return true;
        boolean aNo = ta == Transpose.NO, bNo = tb == Transpose.NO;
        long cEnd = cOff + (long) (m - 1) * ldc + n;
        return !(cIsA && overlaps(aOff, aNo ? m : k, aNo ? k : m, lda, cOff, cEnd))
                && !(cIsB && overlaps(bOff, bNo ? k : n, bNo ? n : k, ldb, cOff, cEnd));
    }

    /** Every rule but the overlap rule. */
    private static boolean rulesHold(Transpose ta, Transpose tb, int m, int n, int k, double alpha, double beta,
                                     int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                                     int cLength, int cOff, int ldc) {
        boolean aNo = ta == Transpose.NO, bNo = tb == Transpose.NO;
        // α·0 + β·0 is 0 exactly when both are finite (∞·0 and NaN·0 are NaN)
        return ta != null & tb != null & (m | n | k | aOff | bOff | cOff) >= 0 & alpha * 0.0 + beta * 0.0 == 0.0
                & fits(aLength, aOff, aNo ? m : k, aNo ? k : m, lda)
                & fits(bLength, bOff, bNo ? k : n, bNo ? n : k, ldb)
                & fits(cLength, cOff, m, n, ldc);
    }

    /** Whether a non-empty rows × cols matrix from off with stride ld meets C's span [cOff, cEnd). */
    private static boolean overlaps(int off, int rows, int cols, int ld, int cOff, long cEnd) {
        return rows > 0 && cols > 0 && cOff < off + (long) (rows - 1) * ld + cols && off < cEnd;
    }

    /** Whether a rows × cols matrix with leading dimension ld ≥ max(1, cols) from off (≥ 0) lies within length. */
    private static boolean fits(int length, int off, int rows, int cols, int ld) {
        return ld >= Math.max(1, cols) & (rows == 0 | cols == 0 || off + (long) (rows - 1) * ld + cols <= length);
    }

    /**
     * Checks rule by rule and throws the exception that names the first broken one, the message prefixed with
     * {@code routine}; returns when there is none (C shares an array with A or B without overlapping them).
     *
     * @param a the array of A: a {@code double[]} or a {@code float[]} (likewise b, c)
     */
    public static void explain(String routine, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                               double beta, Object a, int aOff, int lda, Object b, int bOff, int ldb,
                               Object c, int cOff, int ldc) {
        BlasChecks.nonNull(routine, "ta", ta);
        BlasChecks.nonNull(routine, "tb", tb);
        int aLength = BlasChecks.length(routine, "a", a);
        int bLength = BlasChecks.length(routine, "b", b);
        int cLength = BlasChecks.length(routine, "c", c);
        BlasChecks.nonNegative(routine, "m", m);
        BlasChecks.nonNegative(routine, "n", n);
        BlasChecks.nonNegative(routine, "k", k);
        BlasChecks.finite(routine, "alpha", alpha);
        BlasChecks.finite(routine, "beta", beta);
        boolean aNo = ta == Transpose.NO, bNo = tb == Transpose.NO;
        int aRows = aNo ? m : k, aCols = aNo ? k : m;
        int bRows = bNo ? k : n, bCols = bNo ? n : k;
        BlasChecks.leadingDimension(routine, "lda", lda, aCols, "ta = " + ta + ", " + (aNo ? "k" : "m") + " = " + aCols);
        BlasChecks.leadingDimension(routine, "ldb", ldb, bCols, "tb = " + tb + ", " + (bNo ? "n" : "k") + " = " + bCols);
        BlasChecks.leadingDimension(routine, "ldc", ldc, n, "n = " + n);
        long aEnd = BlasChecks.extent(routine, "a", aLength, aOff, aRows, aCols, lda);
        long bEnd = BlasChecks.extent(routine, "b", bLength, bOff, bRows, bCols, ldb);
        long cEnd = BlasChecks.extent(routine, "c", cLength, cOff, m, n, ldc);
        if (m > 0 && n > 0) {
            disjoint(routine, c == a && overlaps(aOff, aRows, aCols, lda, cOff, cEnd), "a", aOff, aEnd, cOff, cEnd);
            disjoint(routine, c == b && overlaps(bOff, bRows, bCols, ldb, cOff, cEnd), "b", bOff, bEnd, cOff, cEnd);
        }
    }

    private static void disjoint(String routine, boolean overlap, String name, int off, long end, int cOff, long cEnd) {
        if (overlap) {
            throw new IllegalArgumentException(routine + ": c must not overlap " + name + ", got c[" + cOff + ", "
                    + cEnd + ") and " + name + "[" + off + ", " + end + ") in the same array");
        }
    }
}
