package dev.panode.blas;

import dev.panode.blas.ffi.FortranLapack;

/**
 * The checked facade over LAPACK's LU routines ({@code ?getrf}: factorise, {@code ?getrs}: solve), column-major as
 * LAPACK stores matrices, on heap arrays with offsets and leading dimensions. Each routine validates every dimension,
 * leading dimension, offset, array length and (for the solves) every pivot once, then makes one native call, so that
 * nothing wrong-sized reaches the library:
 * <ul>
 *   <li>{@link IllegalArgumentException}: a null array or transpose flag, a negative dimension, a leading dimension
 *       shorter than a column, a pivot outside [1, n];</li>
 *   <li>{@link IndexOutOfBoundsException}: a negative offset, or an operand that would reach past its array.</li>
 * </ul>
 * Each message names the routine, the argument and its value: {@code "dgetrf: m must be >= 0, got -1"}.
 *
 * <p><b>Singular matrices</b> are a result, not an error: {@code dgetrf} returns LAPACK's {@code info}, 0 when every
 * pivot is non-zero, or the 1-based index i of the first exactly zero pivot U(i, i). The factorisation is then
 * complete but U is singular, and a solve with it would divide by zero: check the value first, or let
 * {@link #requireNonsingular} turn it into an {@link ArithmeticException} naming the pivot.
 *
 * <p><b>Backend.</b> The Fortran symbols {@code dgetrf_}, {@code dgetrs_}, {@code sgetrf_}, {@code sgetrs_} of the
 * OpenBLAS library that {@link Blas} loaded (Debian's OpenBLAS exports them; LAPACKE it does not), bound in
 * {@link FortranLapack}. The operands are copied to a per-thread off-heap scratch and back (O(n²) beside the O(n³)
 * factorisation) so that a call allocates nothing after a thread's first call at its largest size. Without the library,
 * or with {@code -Dpanode.blas.disable=true}, or when it lacks LAPACK, a pure-Java LAPACK {@code dgetf2} (unblocked
 * partial pivoting, the same pivot choice) computes the same factors up to rounding: {@link #isAvailable()} tells
 * which.
 *
 * <p><b>Dispatch by size.</b> A native call has a fixed cost of a few microseconds (measured on 2 cores: dgetrs of order
 * 3 or 8 takes 1.5–3 µs through OpenBLAS, 0.02–0.05 µs in Java; dgetrf of order 8 4–11 µs against 2 µs; at order 32
 * the two factorisations are level), so matrices of order below {@value #DEFAULT_NATIVE_MIN_ORDER} — the iteration
 * matrices of small ODE systems — go to the Java LU even when the library is loaded, and larger ones to OpenBLAS.
 * {@code -Dpanode.lapack.nativeMinOrder=N} moves the threshold (0: always native when available).
 *
 * <p>Thread-safe. Reference: E. Anderson et al., LAPACK Users' Guide, 3rd ed. (SIAM 1999), {@code DGETRF},
 * {@code DGETRS}; Golub and Van Loan, Matrix Computations, §3.4 (partial pivoting).
 */
public final class Lapack {
    private Lapack() {}

    private static final boolean NATIVE = Blas.isAvailable()
            && FortranLapack.SYMBOLS.stream().allMatch(s -> OpenBlasLoader.symbolLookup().find(s).isPresent());

    /** {@value}: the smallest matrix order sent to the native library (see the class comment). */
    public static final String NATIVE_MIN_ORDER_PROPERTY = "panode.lapack.nativeMinOrder";
    /** The default of {@link #NATIVE_MIN_ORDER_PROPERTY}. */
    public static final int DEFAULT_NATIVE_MIN_ORDER = 64;
    private static final int NATIVE_MIN_ORDER = nativeMinOrder(System.getProperty(NATIVE_MIN_ORDER_PROPERTY));

    static int nativeMinOrder(String value) {
        if (value == null) return DEFAULT_NATIVE_MIN_ORDER;
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        System.getLogger("dev.panode.blas").log(System.Logger.Level.WARNING, "-D" + NATIVE_MIN_ORDER_PROPERTY + " = "
                + value + " is not an integer >= 0; using " + DEFAULT_NATIVE_MIN_ORDER);
        return DEFAULT_NATIVE_MIN_ORDER;
    }

    /** @return true when the native LAPACK routines are loaded (used from order {@link #nativeMinOrder()} on) */
    public static boolean isAvailable() {
        return NATIVE;
    }

    /** @return the smallest matrix order sent to the native library */
    public static int nativeMinOrder() {
        return NATIVE_MIN_ORDER;
    }

    private static boolean useNative(int order) {
        return NATIVE && order >= NATIVE_MIN_ORDER;
    }

    /**
     * Checked LU factorisation with partial pivoting, {@code A = P·L·U}, of the m×n column-major matrix A stored from
     * {@code aOff} with column stride {@code lda} ≥ max(1, m): L (unit diagonal, not stored) and U overwrite A, and the
     * 1-based row interchanges go to {@code ipiv[ipivOff .. ipivOff + min(m, n))} (row i was swapped with row
     * {@code ipiv[ipivOff + i]}). Cost about mn² − n³/3 flops (2n³/3 for a square matrix).
     *
     * @return 0, or i &gt; 0 when U(i, i) (1-based) is exactly zero: A is singular
     */
    public static int dgetrf(int m, int n, double[] a, int aOff, int lda, int[] ipiv, int ipivOff) {
        LapackChecks.getrf("dgetrf", m, n, BlasChecks.length("dgetrf", "a", a), aOff, lda, ipiv, ipivOff);
        if (m == 0 || n == 0) {
            return 0;
        }
        return useNative(Math.max(m, n)) ? NativeLapack.dgetrf(m, n, a, aOff, lda, ipiv, ipivOff)
                : JavaLapack.dgetrf(m, n, a, aOff, lda, ipiv, ipivOff);
    }

    /**
     * Checked solve {@code op(A)·X = B} with the factors of {@link #dgetrf} of an n×n A: B, n×nrhs column-major from
     * {@code bOff} with column stride {@code ldb} ≥ max(1, n), is overwritten by X. {@code trans == YES} solves with Aᵀ.
     * The factors must be of a non-singular matrix (dgetrf returned 0), else the result holds infinities or NaNs.
     * Cost 2n² flops per right-hand side.
     */
    public static void dgetrs(Transpose trans, int n, int nrhs, double[] a, int aOff, int lda, int[] ipiv, int ipivOff,
                              double[] b, int bOff, int ldb) {
        LapackChecks.getrs("dgetrs", trans, n, nrhs, BlasChecks.length("dgetrs", "a", a), aOff, lda, ipiv, ipivOff,
                BlasChecks.length("dgetrs", "b", b), bOff, ldb);
        if (n == 0 || nrhs == 0) {
            return;
        }
        if (useNative(n)) {
            NativeLapack.dgetrs(trans == Transpose.YES, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
        } else {
            JavaLapack.dgetrs(trans == Transpose.YES, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
        }
    }

    /** Checked single-precision LU factorisation; the same layout, rules and result as {@link #dgetrf}. */
    public static int sgetrf(int m, int n, float[] a, int aOff, int lda, int[] ipiv, int ipivOff) {
        LapackChecks.getrf("sgetrf", m, n, BlasChecks.length("sgetrf", "a", a), aOff, lda, ipiv, ipivOff);
        if (m == 0 || n == 0) {
            return 0;
        }
        return useNative(Math.max(m, n)) ? NativeLapack.sgetrf(m, n, a, aOff, lda, ipiv, ipivOff)
                : JavaLapack.sgetrf(m, n, a, aOff, lda, ipiv, ipivOff);
    }

    /** Checked single-precision solve; the same layout and rules as {@link #dgetrs}. */
    public static void sgetrs(Transpose trans, int n, int nrhs, float[] a, int aOff, int lda, int[] ipiv, int ipivOff,
                              float[] b, int bOff, int ldb) {
        LapackChecks.getrs("sgetrs", trans, n, nrhs, BlasChecks.length("sgetrs", "a", a), aOff, lda, ipiv, ipivOff,
                BlasChecks.length("sgetrs", "b", b), bOff, ldb);
        if (n == 0 || nrhs == 0) {
            return;
        }
        if (useNative(n)) {
            NativeLapack.sgetrs(trans == Transpose.YES, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
        } else {
            JavaLapack.sgetrs(trans == Transpose.YES, n, nrhs, a, aOff, lda, ipiv, ipivOff, b, bOff, ldb);
        }
    }

    /**
     * Turns a {@code getrf} result into an exception when the matrix is singular.
     *
     * @param routine the routine that returned {@code info}, for the message
     * @param info    what {@code dgetrf} or {@code sgetrf} returned
     * @throws ArithmeticException naming the zero pivot U(info, info) when {@code info > 0}
     */
    public static void requireNonsingular(String routine, int info) {
        if (info > 0) {
            throw new ArithmeticException(routine + ": the matrix is singular: pivot U(" + info + ", " + info
                    + ") (1-based) is exactly zero, info = " + info);
        }
    }
}
