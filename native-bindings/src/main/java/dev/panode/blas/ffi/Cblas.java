package dev.panode.blas.ffi;

import dev.panode.blas.OpenBlasLoader;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * CBLAS and OpenBLAS entry points, generated shape (see the package documentation for the jextract command).
 * Unchecked: a wrong dimension, leading dimension or segment size here can crash the JVM.
 */
@SuppressWarnings("unused")
public final class Cblas {
    private Cblas() {}

    // Hand edit 1 of 2 (docs/NATIVE.md): the loader chooses the library, instead of jextract's fixed --library name.
    static final SymbolLookup SYMBOL_LOOKUP = OpenBlasLoader.symbolLookup();

    /** {@code int} */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** {@code float} */
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    /** {@code double} */
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    /** {@code void*} / {@code char*} */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol + " (" + OpenBlasLoader.status() + ")"));
    }

    // Hand edit 2 of 2 (docs/NATIVE.md): the six BLAS routines are critical downcalls that may take heap segments.
    private static final Linker.Option CRITICAL = Linker.Option.critical(true);

    // enum CBLAS_ORDER {CblasRowMajor=101, CblasColMajor=102}
    private static final int CblasRowMajor = (int) 101L;
    /**
     * {@snippet lang = c :
     * enum CBLAS_ORDER.CblasRowMajor = 101
     * }
     */
    public static int CblasRowMajor() { return CblasRowMajor; }
    private static final int CblasColMajor = (int) 102L;
    /**
     * {@snippet lang = c :
     * enum CBLAS_ORDER.CblasColMajor = 102
     * }
     */
    public static int CblasColMajor() { return CblasColMajor; }

    // enum CBLAS_TRANSPOSE {CblasNoTrans=111, CblasTrans=112, CblasConjTrans=113, CblasConjNoTrans=114}
    private static final int CblasNoTrans = (int) 111L;
    /**
     * {@snippet lang = c :
     * enum CBLAS_TRANSPOSE.CblasNoTrans = 111
     * }
     */
    public static int CblasNoTrans() { return CblasNoTrans; }
    private static final int CblasTrans = (int) 112L;
    /**
     * {@snippet lang = c :
     * enum CBLAS_TRANSPOSE.CblasTrans = 112
     * }
     */
    public static int CblasTrans() { return CblasTrans; }

    private static class cblas_dgemm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT,
                Cblas.C_DOUBLE, Cblas.C_POINTER, Cblas.C_INT, Cblas.C_POINTER, Cblas.C_INT,
                Cblas.C_DOUBLE, Cblas.C_POINTER, Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("cblas_dgemm");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, CRITICAL);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void cblas_dgemm(const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA, const enum CBLAS_TRANSPOSE TransB, const blasint M, const blasint N, const blasint K, const double alpha, const double *A, const blasint lda, const double *B, const blasint ldb, const double beta, double *C, const blasint ldc)
     * }
     */
    public static FunctionDescriptor cblas_dgemm$descriptor() { return cblas_dgemm.DESC; }

    /** Downcall method handle (critical, heap access allowed) for {@code cblas_dgemm}. */
    public static MethodHandle cblas_dgemm$handle() { return cblas_dgemm.HANDLE; }

    /** Address of {@code cblas_dgemm}. */
    public static MemorySegment cblas_dgemm$address() { return cblas_dgemm.ADDR; }

    /**
     * {@snippet lang = c :
     * void cblas_dgemm(const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA, const enum CBLAS_TRANSPOSE TransB, const blasint M, const blasint N, const blasint K, const double alpha, const double *A, const blasint lda, const double *B, const blasint ldb, const double beta, double *C, const blasint ldc)
     * }
     */
    public static void cblas_dgemm(int Order, int TransA, int TransB, int M, int N, int K, double alpha,
                                   MemorySegment A, int lda, MemorySegment B, int ldb, double beta, MemorySegment C, int ldc) {
        var mh$ = cblas_dgemm.HANDLE;
        try {
            mh$.invokeExact(Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_sgemm {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT,
                Cblas.C_FLOAT, Cblas.C_POINTER, Cblas.C_INT, Cblas.C_POINTER, Cblas.C_INT,
                Cblas.C_FLOAT, Cblas.C_POINTER, Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("cblas_sgemm");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, CRITICAL);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void cblas_sgemm(const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA, const enum CBLAS_TRANSPOSE TransB, const blasint M, const blasint N, const blasint K, const float alpha, const float *A, const blasint lda, const float *B, const blasint ldb, const float beta, float *C, const blasint ldc)
     * }
     */
    public static FunctionDescriptor cblas_sgemm$descriptor() { return cblas_sgemm.DESC; }

    /** Downcall method handle (critical, heap access allowed) for {@code cblas_sgemm}. */
    public static MethodHandle cblas_sgemm$handle() { return cblas_sgemm.HANDLE; }

    /** Address of {@code cblas_sgemm}. */
    public static MemorySegment cblas_sgemm$address() { return cblas_sgemm.ADDR; }

    /**
     * {@snippet lang = c :
     * void cblas_sgemm(const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA, const enum CBLAS_TRANSPOSE TransB, const blasint M, const blasint N, const blasint K, const float alpha, const float *A, const blasint lda, const float *B, const blasint ldb, const float beta, float *C, const blasint ldc)
     * }
     */
    public static void cblas_sgemm(int Order, int TransA, int TransB, int M, int N, int K, float alpha,
                                   MemorySegment A, int lda, MemorySegment B, int ldb, float beta, MemorySegment C, int ldc) {
        var mh$ = cblas_sgemm.HANDLE;
        try {
            mh$.invokeExact(Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_dgemv {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT,
                Cblas.C_DOUBLE, Cblas.C_POINTER, Cblas.C_INT, Cblas.C_POINTER, Cblas.C_INT,
                Cblas.C_DOUBLE, Cblas.C_POINTER, Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("cblas_dgemv");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, CRITICAL);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void cblas_dgemv(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans, const blasint m, const blasint n, const double alpha, const double *a, const blasint lda, const double *x, const blasint incx, const double beta, double *y, const blasint incy)
     * }
     */
    public static FunctionDescriptor cblas_dgemv$descriptor() { return cblas_dgemv.DESC; }

    /** Downcall method handle (critical, heap access allowed) for {@code cblas_dgemv}. */
    public static MethodHandle cblas_dgemv$handle() { return cblas_dgemv.HANDLE; }

    /** Address of {@code cblas_dgemv}. */
    public static MemorySegment cblas_dgemv$address() { return cblas_dgemv.ADDR; }

    /**
     * {@snippet lang = c :
     * void cblas_dgemv(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans, const blasint m, const blasint n, const double alpha, const double *a, const blasint lda, const double *x, const blasint incx, const double beta, double *y, const blasint incy)
     * }
     */
    public static void cblas_dgemv(int order, int trans, int m, int n, double alpha, MemorySegment a, int lda,
                                   MemorySegment x, int incx, double beta, MemorySegment y, int incy) {
        var mh$ = cblas_dgemv.HANDLE;
        try {
            mh$.invokeExact(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_sgemv {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Cblas.C_INT, Cblas.C_INT, Cblas.C_INT, Cblas.C_INT,
                Cblas.C_FLOAT, Cblas.C_POINTER, Cblas.C_INT, Cblas.C_POINTER, Cblas.C_INT,
                Cblas.C_FLOAT, Cblas.C_POINTER, Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("cblas_sgemv");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, CRITICAL);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void cblas_sgemv(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans, const blasint m, const blasint n, const float alpha, const float *a, const blasint lda, const float *x, const blasint incx, const float beta, float *y, const blasint incy)
     * }
     */
    public static FunctionDescriptor cblas_sgemv$descriptor() { return cblas_sgemv.DESC; }

    /** Downcall method handle (critical, heap access allowed) for {@code cblas_sgemv}. */
    public static MethodHandle cblas_sgemv$handle() { return cblas_sgemv.HANDLE; }

    /** Address of {@code cblas_sgemv}. */
    public static MemorySegment cblas_sgemv$address() { return cblas_sgemv.ADDR; }

    /**
     * {@snippet lang = c :
     * void cblas_sgemv(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE trans, const blasint m, const blasint n, const float alpha, const float *a, const blasint lda, const float *x, const blasint incx, const float beta, float *y, const blasint incy)
     * }
     */
    public static void cblas_sgemv(int order, int trans, int m, int n, float alpha, MemorySegment a, int lda,
                                   MemorySegment x, int incx, float beta, MemorySegment y, int incy) {
        var mh$ = cblas_sgemv.HANDLE;
        try {
            mh$.invokeExact(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_daxpy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
                Cblas.C_INT, Cblas.C_DOUBLE, Cblas.C_POINTER, Cblas.C_INT, Cblas.C_POINTER, Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("cblas_daxpy");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, CRITICAL);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void cblas_daxpy(const blasint n, const double alpha, const double *x, const blasint incx, double *y, const blasint incy)
     * }
     */
    public static FunctionDescriptor cblas_daxpy$descriptor() { return cblas_daxpy.DESC; }

    /** Downcall method handle (critical, heap access allowed) for {@code cblas_daxpy}. */
    public static MethodHandle cblas_daxpy$handle() { return cblas_daxpy.HANDLE; }

    /** Address of {@code cblas_daxpy}. */
    public static MemorySegment cblas_daxpy$address() { return cblas_daxpy.ADDR; }

    /**
     * {@snippet lang = c :
     * void cblas_daxpy(const blasint n, const double alpha, const double *x, const blasint incx, double *y, const blasint incy)
     * }
     */
    public static void cblas_daxpy(int n, double alpha, MemorySegment x, int incx, MemorySegment y, int incy) {
        var mh$ = cblas_daxpy.HANDLE;
        try {
            mh$.invokeExact(n, alpha, x, incx, y, incy);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cblas_ddot {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                Cblas.C_DOUBLE, Cblas.C_INT, Cblas.C_POINTER, Cblas.C_INT, Cblas.C_POINTER, Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("cblas_ddot");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, CRITICAL);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * double cblas_ddot(const blasint n, const double *x, const blasint incx, const double *y, const blasint incy)
     * }
     */
    public static FunctionDescriptor cblas_ddot$descriptor() { return cblas_ddot.DESC; }

    /** Downcall method handle (critical, heap access allowed) for {@code cblas_ddot}. */
    public static MethodHandle cblas_ddot$handle() { return cblas_ddot.HANDLE; }

    /** Address of {@code cblas_ddot}. */
    public static MemorySegment cblas_ddot$address() { return cblas_ddot.ADDR; }

    /**
     * {@snippet lang = c :
     * double cblas_ddot(const blasint n, const double *x, const blasint incx, const double *y, const blasint incy)
     * }
     */
    public static double cblas_ddot(int n, MemorySegment x, int incx, MemorySegment y, int incy) {
        var mh$ = cblas_ddot.HANDLE;
        try {
            return (double) mh$.invokeExact(n, x, incx, y, incy);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_set_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("openblas_set_num_threads");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void openblas_set_num_threads(int num_threads)
     * }
     */
    public static FunctionDescriptor openblas_set_num_threads$descriptor() { return openblas_set_num_threads.DESC; }

    /** Downcall method handle for {@code openblas_set_num_threads}. */
    public static MethodHandle openblas_set_num_threads$handle() { return openblas_set_num_threads.HANDLE; }

    /** Address of {@code openblas_set_num_threads}. */
    public static MemorySegment openblas_set_num_threads$address() { return openblas_set_num_threads.ADDR; }

    /**

     * {@snippet lang = c :

     * void openblas_set_num_threads(int num_threads)

     * }

     */
    public static void openblas_set_num_threads(int num_threads) {
        var mh$ = openblas_set_num_threads.HANDLE;
        try {
            mh$.invokeExact(num_threads);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(Cblas.C_INT);
        public static final MemorySegment ADDR = Cblas.findOrThrow("openblas_get_num_threads");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * int openblas_get_num_threads(void)
     * }
     */
    public static FunctionDescriptor openblas_get_num_threads$descriptor() { return openblas_get_num_threads.DESC; }

    /** Downcall method handle for {@code openblas_get_num_threads}. */
    public static MethodHandle openblas_get_num_threads$handle() { return openblas_get_num_threads.HANDLE; }

    /** Address of {@code openblas_get_num_threads}. */
    public static MemorySegment openblas_get_num_threads$address() { return openblas_get_num_threads.ADDR; }

    /**

     * {@snippet lang = c :

     * int openblas_get_num_threads(void)

     * }

     */
    public static int openblas_get_num_threads() {
        var mh$ = openblas_get_num_threads.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_config {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(Cblas.C_POINTER);
        public static final MemorySegment ADDR = Cblas.findOrThrow("openblas_get_config");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * char *openblas_get_config(void)
     * }
     */
    public static FunctionDescriptor openblas_get_config$descriptor() { return openblas_get_config.DESC; }

    /** Downcall method handle for {@code openblas_get_config}. */
    public static MethodHandle openblas_get_config$handle() { return openblas_get_config.HANDLE; }

    /** Address of {@code openblas_get_config}. */
    public static MemorySegment openblas_get_config$address() { return openblas_get_config.ADDR; }

    /**

     * {@snippet lang = c :

     * char *openblas_get_config(void)

     * }

     */
    public static MemorySegment openblas_get_config() {
        var mh$ = openblas_get_config.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class openblas_get_corename {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(Cblas.C_POINTER);
        public static final MemorySegment ADDR = Cblas.findOrThrow("openblas_get_corename");
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * char *openblas_get_corename(void)
     * }
     */
    public static FunctionDescriptor openblas_get_corename$descriptor() { return openblas_get_corename.DESC; }

    /** Downcall method handle for {@code openblas_get_corename}. */
    public static MethodHandle openblas_get_corename$handle() { return openblas_get_corename.HANDLE; }

    /** Address of {@code openblas_get_corename}. */
    public static MemorySegment openblas_get_corename$address() { return openblas_get_corename.ADDR; }

    /**

     * {@snippet lang = c :

     * char *openblas_get_corename(void)

     * }

     */
    public static MemorySegment openblas_get_corename() {
        var mh$ = openblas_get_corename.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
