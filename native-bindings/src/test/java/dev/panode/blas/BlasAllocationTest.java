package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import org.junit.jupiter.api.Test;

/**
 * What the checked facade allocates per call after warm-up: nothing. The heap segments that carry the arrays into the
 * critical downcalls are made once per (array, offset) and reused ({@code HeapSegments}); fresh wrappers per call
 * were scalar-replaced by most C2 compiles on JDK 25 but not all (72–112 B per array operand per call in the others,
 * docs/NATIVE.md), which kept small products off OpenBLAS. Also: operands at several offsets of one array, and a
 * segment made again after a collection clears the cached one.
 */
class BlasAllocationTest {
    private final double[] a = new double[16 * 50], b = new double[50 * 2], c = new double[16 * 2], x = new double[50], y = new double[16];
    private final float[] af = new float[16 * 50], bf = new float[50 * 2], cf = new float[16 * 2];
    private final double[] store = new double[64 * 16];

    @Test
    void callsOnTheSameBuffersAllocateNothing() {
        java.util.Arrays.fill(a, 0.5);
        java.util.Arrays.fill(b, 0.25);
        double[] sink = {0};
        Allocations.assertNoAllocation("a round of 5 BLAS calls (13 array operands)", 4000, 400,
                () -> sink[0] += rounds(25));
        assertTrue(Double.isFinite(sink[0]));
    }

    @Test
    void operandsAtManyOffsetsOfOneArrayAllocateNothingOnceSeen() {
        java.util.Arrays.fill(store, 0.125);
        double[] out = new double[16 * 16];
        Runnable sweep = () -> {
            for (int row = 0; row < 48; row++) {
                Blas.dgemm(Transpose.YES, Transpose.NO, 16, 16, 16, 1.0, store, row * 16, 16, store, 0, 16, 1.0, out,
                        0, 16);
            }
        };
        Allocations.assertNoAllocation("48 products reading rows at 48 offsets of one array", 200, 20, sweep);
        assertTrue(out[0] > 0 && Double.isFinite(out[0]));
    }

    @Test
    void aCollectionDoesNotChangeTheResult() {
        double[] left = {1, 2, 3, 4}, right = {5, 6, 7, 8}, product = new double[4];
        for (int round = 0; round < 3; round++) {
            Blas.dgemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1.0, left, 0, 2, right, 0, 2, 0.0, product, 0, 2);
            assertArrayEquals(new double[] {19, 22, 43, 50}, product);
            Blas.dgemm(Transpose.NO, Transpose.NO, 1, 2, 2, 1.0, left, 2, 2, right, 0, 2, 0.0, product, 2, 2);
            assertArrayEquals(new double[] {19, 22, 43, 50}, product);
            System.gc();
        }
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
