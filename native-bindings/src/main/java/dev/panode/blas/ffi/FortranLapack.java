package dev.panode.blas.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * LAPACK's LU routines through their Fortran ABI, as OpenBLAS exports them ({@code dgetrf_}, {@code dgetrs_},
 * {@code sgetrf_}, {@code sgetrs_}; Debian's OpenBLAS is built without LAPACKE), in jextract's shape. Fortran passes
 * every argument by reference, so every parameter is a pointer: integers as {@code int*} (32-bit {@code blasint}),
 * matrices column-major, and a character argument followed by its hidden length ({@code size_t}, gfortran's
 * convention, last in the list; a C implementation of the routine ignores it).
 *
 * <p>Unchecked: a wrong dimension, leading dimension, pivot or segment size here can crash the JVM. Use
 * {@link dev.panode.blas.Lapack}, which checks everything first.
 *
 * <p>Regenerating: from the reference {@code lapack.h} that OpenBLAS installs, with the string lengths at the end,
 * <pre>{@code
 * jextract --target-package dev.panode.blas.ffi --header-class-name FortranLapack -D LAPACK_FORTRAN_STRLEN_END \
 *     --include-function dgetrf_ --include-function dgetrs_ --include-function sgetrf_ --include-function sgetrs_ \
 *     --output native-bindings/src/main/java "$OPENBLAS_INCLUDE/lapack.h"
 * }</pre>
 * then one hand edit: {@code findOrThrow} delegates to {@link Cblas}'s, whose lookup is {@code OpenBlasLoader.symbolLookup()}. The
 * handles are ordinary (not critical) downcalls: the facade passes off-heap segments.
 */
@SuppressWarnings("unused")
public final class FortranLapack {
    private FortranLapack() {}

    /** {@code size_t}, the hidden length of a Fortran character argument. */
    public static final ValueLayout.OfLong C_SIZE_T = ValueLayout.JAVA_LONG;
    /** {@code int*}, {@code double*}, {@code float*}, {@code char*} */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    /** The four symbols bound here, for callers that must know whether a library has them. */
    public static final java.util.List<String> SYMBOLS = java.util.List.of("dgetrf_", "dgetrs_", "sgetrf_", "sgetrs_");

    // Hand edit (docs/NATIVE.md): Cblas's lookup, so the loader chooses the library, instead of jextract's fixed --library name.
    static MemorySegment findOrThrow(String symbol) {
        return Cblas.findOrThrow(symbol);
    }

    private static final FunctionDescriptor GETRF = FunctionDescriptor.ofVoid(
            C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER);
    private static final FunctionDescriptor GETRS = FunctionDescriptor.ofVoid(
            C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_SIZE_T);

    private static class dgetrf_ {
        public static final FunctionDescriptor DESC = GETRF;
        public static final MemorySegment ADDR = FortranLapack.findOrThrow("dgetrf_");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info)
     * }
     */
    public static FunctionDescriptor dgetrf_$descriptor() { return dgetrf_.DESC; }

    /** Downcall method handle for {@code dgetrf_}. */
    public static MethodHandle dgetrf_$handle() { return dgetrf_.HANDLE; }

    /** Address of {@code dgetrf_}. */
    public static MemorySegment dgetrf_$address() { return dgetrf_.ADDR; }

    /**
     * {@snippet lang = c :
     * void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info)
     * }
     */
    public static void dgetrf_(MemorySegment m, MemorySegment n, MemorySegment a, MemorySegment lda,
                               MemorySegment ipiv, MemorySegment info) {
        var mh$ = dgetrf_.HANDLE;
        try {
            mh$.invokeExact(m, n, a, lda, ipiv, info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class dgetrs_ {
        public static final FunctionDescriptor DESC = GETRS;
        public static final MemorySegment ADDR = FortranLapack.findOrThrow("dgetrs_");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void dgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda, const int *ipiv, double *b, const int *ldb, int *info, size_t trans_len)
     * }
     */
    public static FunctionDescriptor dgetrs_$descriptor() { return dgetrs_.DESC; }

    /** Downcall method handle for {@code dgetrs_}. */
    public static MethodHandle dgetrs_$handle() { return dgetrs_.HANDLE; }

    /** Address of {@code dgetrs_}. */
    public static MemorySegment dgetrs_$address() { return dgetrs_.ADDR; }

    /**
     * {@snippet lang = c :
     * void dgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda, const int *ipiv, double *b, const int *ldb, int *info, size_t trans_len)
     * }
     */
    public static void dgetrs_(MemorySegment trans, MemorySegment n, MemorySegment nrhs, MemorySegment a, MemorySegment lda,
                               MemorySegment ipiv, MemorySegment b, MemorySegment ldb, MemorySegment info, long trans_len) {
        var mh$ = dgetrs_.HANDLE;
        try {
            mh$.invokeExact(trans, n, nrhs, a, lda, ipiv, b, ldb, info, trans_len);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class sgetrf_ {
        public static final FunctionDescriptor DESC = GETRF;
        public static final MemorySegment ADDR = FortranLapack.findOrThrow("sgetrf_");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void sgetrf_(const int *m, const int *n, float *a, const int *lda, int *ipiv, int *info)
     * }
     */
    public static FunctionDescriptor sgetrf_$descriptor() { return sgetrf_.DESC; }

    /** Downcall method handle for {@code sgetrf_}. */
    public static MethodHandle sgetrf_$handle() { return sgetrf_.HANDLE; }

    /** Address of {@code sgetrf_}. */
    public static MemorySegment sgetrf_$address() { return sgetrf_.ADDR; }

    /**
     * {@snippet lang = c :
     * void sgetrf_(const int *m, const int *n, float *a, const int *lda, int *ipiv, int *info)
     * }
     */
    public static void sgetrf_(MemorySegment m, MemorySegment n, MemorySegment a, MemorySegment lda,
                               MemorySegment ipiv, MemorySegment info) {
        var mh$ = sgetrf_.HANDLE;
        try {
            mh$.invokeExact(m, n, a, lda, ipiv, info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class sgetrs_ {
        public static final FunctionDescriptor DESC = GETRS;
        public static final MemorySegment ADDR = FortranLapack.findOrThrow("sgetrs_");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void sgetrs_(const char *trans, const int *n, const int *nrhs, const float *a, const int *lda, const int *ipiv, float *b, const int *ldb, int *info, size_t trans_len)
     * }
     */
    public static FunctionDescriptor sgetrs_$descriptor() { return sgetrs_.DESC; }

    /** Downcall method handle for {@code sgetrs_}. */
    public static MethodHandle sgetrs_$handle() { return sgetrs_.HANDLE; }

    /** Address of {@code sgetrs_}. */
    public static MemorySegment sgetrs_$address() { return sgetrs_.ADDR; }

    /**
     * {@snippet lang = c :
     * void sgetrs_(const char *trans, const int *n, const int *nrhs, const float *a, const int *lda, const int *ipiv, float *b, const int *ldb, int *info, size_t trans_len)
     * }
     */
    public static void sgetrs_(MemorySegment trans, MemorySegment n, MemorySegment nrhs, MemorySegment a, MemorySegment lda,
                               MemorySegment ipiv, MemorySegment b, MemorySegment ldb, MemorySegment info, long trans_len) {
        var mh$ = sgetrs_.HANDLE;
        try {
            mh$.invokeExact(trans, n, nrhs, a, lda, ipiv, b, ldb, info, trans_len);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
