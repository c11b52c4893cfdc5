package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class HeapAlignmentTest {

    @Test
    void probingWorksWithNativeAccessEnabled() {
        assertTrue(HeapAlignment.isAvailable(), "the test JVM enables native access, so memset must be reachable");
    }

    /** Slices one double further along move the reported offset by 8 bytes, modulo the line: the probe sees addresses. */
    @Test
    void offsetsFollowTheElementsOfOneArray() {
        double[] x = new double[64];
        MemorySegment whole = MemorySegment.ofArray(x);
        int first = HeapAlignment.cacheLineOffset(whole);
        assertEquals(0, first % Double.BYTES, "a double[] starts on an 8-byte boundary");
        for (int i = 1; i < 16; i++) {
            int expected = (first + i * Double.BYTES) % HeapAlignment.CACHE_LINE;
            assertEquals(expected, HeapAlignment.cacheLineOffset(whole.asSlice((long) i * Double.BYTES)), "index " + i);
        }
        int start = HeapAlignment.firstAlignedIndex(whole);
        assertTrue(start >= 0 && start < HeapAlignment.CACHE_LINE / Double.BYTES, "start " + start);
        assertEquals(0, HeapAlignment.cacheLineOffset(whole.asSlice((long) start * Double.BYTES)));
    }

    @Test
    void probingWritesNothing() {
        double[] x = {1.5, -2.5, 3.5};
        HeapAlignment.cacheLineOffset(MemorySegment.ofArray(x));
        assertEquals(1.5, x[0]);
        assertEquals(-2.5, x[1]);
        assertEquals(3.5, x[2]);
    }

    @Test
    void onlyNonEmptyHeapSegmentsAreAccepted() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(64);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> HeapAlignment.cacheLineOffset(offHeap))
                    .getMessage().contains("heap segment"));
        }
        assertThrows(IllegalArgumentException.class,
                () -> HeapAlignment.cacheLineOffset(MemorySegment.ofArray(new double[0])));
    }
}
