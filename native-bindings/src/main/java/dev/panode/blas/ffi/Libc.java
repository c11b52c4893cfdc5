package dev.panode.blas.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The one C library function panode calls outside OpenBLAS, {@code memset}, in jextract's shape, from the C library
 * that the JVM itself is linked against ({@link Linker#defaultLookup()}). Used with a length of 0 it writes nothing
 * and returns its first argument: with a critical downcall that may take a heap segment, that is the current address
 * of a Java array, which the JVM does not otherwise reveal ({@code dev.panode.blas.HeapAlignment}).
 *
 * <p>Regenerating: {@code jextract --target-package dev.panode.blas.ffi --header-class-name Libc
 * --include-function memset --output native-bindings/src/main/java /usr/include/string.h}, then two hand edits: the
 * handle is a critical downcall that accepts heap segments, and the result is declared {@code long} rather than
 * {@code void*} (the same register in the C calling convention), so that no address segment is allocated for it.
 */
@SuppressWarnings("unused")
public final class Libc {
    private Libc() {}

    static final SymbolLookup SYMBOL_LOOKUP = Linker.nativeLinker().defaultLookup();

    private static class memset {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG);
        public static final MemorySegment ADDR = SYMBOL_LOOKUP.find("memset")
                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: memset"));
        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC,
                Linker.Option.critical(true));
    }

    /**
     * Function descriptor for:
     * {@snippet lang = c :
     * void *memset(void *s, int c, size_t n)
     * }
     */
    public static FunctionDescriptor memset$descriptor() { return memset.DESC; }

    /** Downcall method handle (critical, heap access allowed; result as {@code long}) for {@code memset}. */
    public static MethodHandle memset$handle() { return memset.HANDLE; }

    /** Address of {@code memset}. */
    public static MemorySegment memset$address() { return memset.ADDR; }

    /**
     * {@snippet lang = c :
     * void *memset(void *s, int c, size_t n)
     * }
     */
    public static long memset(MemorySegment s, int c, long n) {
        var mh$ = memset.HANDLE;
        try {
            return (long) mh$.invokeExact(s, c, n);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
