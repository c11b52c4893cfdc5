package dev.panode.blas;

import dev.panode.blas.ffi.Libc;
import java.lang.foreign.MemorySegment;

/**
 * Where a heap array lies relative to the 64-byte cache lines, now: what a vector kernel needs to place its data so
 * that no vector load straddles two lines (with AVX-512 every load of a misaligned array does, and such a kernel
 * runs about a third slower). The JVM does not reveal addresses; a critical downcall that receives the array does, so
 * this asks C's {@code memset} to write zero bytes at the array and return where that was.
 *
 * <p>The answer holds until the garbage collector next moves the array, which for a long-lived buffer is rare: probe
 * before each use, not once. Cost: one downcall, a few nanoseconds. Use it only where alignment pays (products of more
 * than about 10⁴ multiply-adds); correctness never depends on it.
 */
public final class HeapAlignment {
    private HeapAlignment() {}

    /** The cache line size assumed, in bytes. */
    public static final int CACHE_LINE = 64;
    private static final boolean AVAILABLE = probeWorks();

    /**
     * Whether heap addresses can be probed here.
     *
     * @return whether addresses can be probed (native access enabled and {@code memset} found)
     */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /**
     * Where a heap array starts within its cache line.
     *
     * @param array a heap segment over a Java array ({@code MemorySegment.ofArray}), kept by the caller so that
     *              probing allocates nothing
     * @return the address of the array's first element modulo {@value #CACHE_LINE}, in bytes, or -1 when addresses
     *         cannot be probed
     * @throws IllegalArgumentException when the segment is not a heap segment or is empty
     */
    public static int cacheLineOffset(MemorySegment array) {
        if (array.isNative() || array.byteSize() == 0) {
            throw new IllegalArgumentException("array must be a non-empty heap segment, got " + array);
        }
        if (!AVAILABLE) return -1;
        return (int) (Libc.memset(array, 0, 0L) & (CACHE_LINE - 1));
    }

    /**
     * The first element of a heap array that starts a cache line.
     *
     * @return the first index {@code i < CACHE_LINE / 8} at which {@code array[i]} starts a cache line, now, or 0 when
     *         addresses cannot be probed
     */
    public static int firstAlignedIndex(MemorySegment array) {
        int offset = cacheLineOffset(array);
        return offset < 0 ? 0 : ((CACHE_LINE - offset) & (CACHE_LINE - 1)) / Double.BYTES;
    }

    private static boolean probeWorks() {
        try {
            double[] x = new double[16];
            long a = Libc.memset(MemorySegment.ofArray(x), 0, 0L);
            long b = Libc.memset(MemorySegment.ofArray(x).asSlice(Double.BYTES), 0, 0L);
            return b - a == Double.BYTES && (a & (Double.BYTES - 1)) == 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
