package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SegmentKernelsTest {

    static Stream<Arguments> cases() {
        return TestData.lengths().boxed().flatMap(n -> Stream.of(1, 7, 13).map(s -> Arguments.of(n, s)));
    }

    @ParameterizedTest(name = "n={0}, s={1}")
    @MethodSource("cases")
    void roundTripAndCombineFromACheckpoint(int n, int s) {
        SplittableRandom rnd = new SplittableRandom(n * 5L + s);
        double[] y = TestData.uniform(rnd, n + 2, 3.0);
        double[] c = StageKernelsTest.coefficients(rnd, s);
        double[][] k = StageKernelsTest.stages(rnd, s, n + 1);
        try (Arena arena = Arena.ofConfined()) {
            // a byte offset of 4: unaligned doubles must work too
            MemorySegment seg = arena.allocate((n + 3L) * Double.BYTES + 4).asSlice(4);
            SegmentKernels.copy(y, 2, seg, 1, n);
            double[] back = new double[n + 1];
            SegmentKernels.copy(seg, 1, back, 1, n);
            for (int j = 0; j < n; j++) assertEquals(y[2 + j], back[1 + j], 0.0);

            double[] got = new double[n];
            double[] onHeap = new double[n];
            double[] want = new double[n];
            SegmentKernels.combine(seg, 1, 0.3, c, s, k, 1, got, 0, n);
            StageKernels.combine(y, 2, 0.3, c, s, k, 1, onHeap, 0, n);
            SegmentKernels.combineScalar(seg, 1, 0.3, c, s, k, 1, want, 0, n);
            for (int j = 0; j < n; j++) {
                assertEquals(onHeap[j], got[j], 0.0, "bitwise as on-heap, j=" + j);
                double scale = Math.abs(y[2 + j]);
                for (int i = 0; i < s; i++) scale += Math.abs(0.3 * c[i] * k[i][1 + j]);
                assertEquals(want[j], got[j], 4 * (s + 1) * Math.ulp(scale), "j=" + j);
            }
        }
    }

    @Test
    void rangesAreChecked() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(10L * Double.BYTES);
            var e = assertThrows(IndexOutOfBoundsException.class, () -> SegmentKernels.copy(new double[20], 0, seg, 5, 6));
            assertTrue(e.getMessage().startsWith("dst[5 .. 5+6)"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> SegmentKernels.copy(seg, 0, new double[3], 0, 4));
            assertThrows(IllegalArgumentException.class,
                    () -> SegmentKernels.combine(seg, 0, 1, new double[2], 3, new double[3][4], 0, new double[4], 0, 4));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> SegmentKernels.combine(seg, 0, 1, new double[] {1}, 1, new double[][] {new double[3]}, 0,
                            new double[4], 0, 4));
        }
    }
}
