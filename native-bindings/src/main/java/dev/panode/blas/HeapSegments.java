package dev.panode.blas;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;

/**
 * The heap segments that carry Java arrays into OpenBLAS's critical downcalls, made once per (array, offset) and
 * reused, so that a call on the same buffers allocates nothing after its first time, whatever C2's escape analysis
 * does with the wrappers ({@code MemorySegment.ofArray(a).asSlice(off)} was scalar-replaced by most compiles on JDK 25
 * but not all, costing 72–112 B per operand per call in those).
 *
 * <p>A set-associative table shared by all threads: {@value #SETS} sets of {@value #WAYS} ways, the set chosen by the
 * array's identity hash and the offset, first-in first-out within a set. Entries are immutable (a race between two
 * threads can at worst lose an entry, never return a wrong one) and hold the array and its segment only weakly, so the
 * cache never keeps an array alive: the garbage collector clears a segment that nothing else holds, and the next call
 * on that array makes it again (at most one segment per operand per collection). A lookup costs an identity hash and
 * one to {@value #WAYS} compares, a few nanoseconds against OpenBLAS's ≥ 100 ns per call.
 *
 * <p>A caller that cycles through more (array, offset) pairs than a set holds misses, and each miss allocates the
 * segment and its entry (about 150 B): correct, but not allocation-free. The table holds a few thousand pairs, e.g. a
 * backward pass reading a few hundred saved stages of each layer's input; a much longer one misses on some of them.
 */
final class HeapSegments {
    private HeapSegments() {}

    static final int SETS = 2048, WAYS = 4;
    private static final Entry[] TABLE = new Entry[SETS * WAYS];

    /** One cached slice: the segment weakly, and the array it was made from weakly (for the identity check). */
    private static final class Entry extends WeakReference<MemorySegment> {
        final WeakReference<Object> array;
        final long byteOffset;

        Entry(MemorySegment segment, Object array, long byteOffset) {
            super(segment);
            this.array = new WeakReference<>(array);
            this.byteOffset = byteOffset;
        }
    }

    /** @return the segment of {@code a} from element {@code off} to its end (the caller has checked the bounds) */
    static MemorySegment of(double[] a, int off) {
        long bytes = off * (long) Double.BYTES;
        int set = set(a, off);
        MemorySegment hit = find(set, a, bytes);
        return hit != null ? hit : remember(set, a, bytes, MemorySegment.ofArray(a).asSlice(bytes));
    }

    /** @return the segment of {@code a} from element {@code off} to its end (the caller has checked the bounds) */
    static MemorySegment of(float[] a, int off) {
        long bytes = off * (long) Float.BYTES;
        int set = set(a, off);
        MemorySegment hit = find(set, a, bytes);
        return hit != null ? hit : remember(set, a, bytes, MemorySegment.ofArray(a).asSlice(bytes));
    }

    private static int set(Object a, int off) {
        int h = System.identityHashCode(a) * 0x9E3779B9 + off * 0x85EBCA6B;
        return ((h ^ (h >>> 15)) & (SETS - 1)) * WAYS;
    }

    private static MemorySegment find(int set, Object a, long bytes) {
        Entry[] t = TABLE;
        for (int w = set; w < set + WAYS; w++) {
            Entry e = t[w];
            if (e != null && e.byteOffset == bytes && e.array.get() == a) {
                MemorySegment s = e.get();
                if (s != null) return s;
            }
        }
        return null;
    }

    private static MemorySegment remember(int set, Object a, long bytes, MemorySegment s) {
        Entry[] t = TABLE;
        int free = set + WAYS - 1;
        for (int w = set; w < set + WAYS; w++) {
            Entry e = t[w];
            if (e == null || e.get() == null || e.array.get() == a && e.byteOffset == bytes) {
                free = w;
                break;
            }
        }
        for (int w = free; w > set; w--) t[w] = t[w - 1];
        t[set] = new Entry(s, a, bytes);
        return s;
    }
}
