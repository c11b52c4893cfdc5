package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What the checked facade allocates per call after warm-up. Target: nothing. The only objects on the call path are
 * the heap segments ({@code MemorySegment.ofArray(..).asSlice(..)}) that carry the arrays into the critical downcalls,
 * which C2's escape analysis usually scalar-replaces; measured on JDK 25 it does not do so reliably (some compiles of
 * the same code keep them, about 72 B per array operand per call, see docs/benchmarks/foundation.md). This test holds
 * the best bound that is met every time: no garbage beyond those wrappers (≤ 128 B per array operand, whatever the
 * sizes), and it prints the measured figure.
 */
class BlasAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final double[] a = new double[16 * 50], b = new double[50 * 2], c = new double[16 * 2], x = new double[50], y = new double[16];
    private final float[] af = new float[16 * 50], bf = new float[50 * 2], cf = new float[16 * 2];

    @Test
    void perCallGarbageIsAtMostTheSegmentWrappers() {
        java.util.Arrays.fill(a, 0.5);
        java.util.Arrays.fill(b, 0.25);
        double sink = 0;
        for (int i = 0; i < 4000; i++) { // warm-up: 100 000 rounds in 4000 calls, so that C2 compiles rounds() itself
            sink += rounds(25);
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 400; i++) {
            sink += rounds(25);
        }
        double perRound = (THREADS.getCurrentThreadAllocatedBytes() - before) / 10_000.0;
        System.out.printf("[BlasAllocationTest] %.1f bytes per round of 5 calls (13 array operands); target 0 (sink %s)%n", perRound, sink);
        assertTrue(perRound <= 13 * 128, "bytes per round = " + perRound + ", more than the segment wrappers of 13 operands");
    }

    private double rounds(int count) {
        double sink = 0;
        for (int i = 0; i < count; i++) {
            Blas.dgemm(Transpose.NO, Transpose.NO, 16, 2, 50, 1.0, a, 0, 50, b, 0, 2, 0.0, c, 0, 2);
            Blas.sgemm(Transpose.NO, Transpose.YES, 16, 2, 50, 1.0f, af, 0, 50, bf, 0, 50, 0.0f, cf, 0, 2);
            Blas.dgemv(Transpose.NO, 16, 50, 1.0, a, 0, 50, x, 0, 1, 0.0, y, 0, 1);
            Blas.daxpy(16, 0.5, y, 0, 1, x, 0, 1);
            sink += Blas.ddot(16, x, 0, 1, y, 0, 1) + c[0] + cf[0];
        }
        return sink;
    }
}
