package dev.panode.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The checked facade allocates nothing per call after warm-up (heap segments are scalar-replaced by the JIT). */
class BlasAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void dgemmDgemvDaxpyDdotAllocateNothingAfterWarmUp() {
        double[] a = new double[16 * 50], b = new double[50 * 2], c = new double[16 * 2], x = new double[50], y = new double[16];
        float[] af = new float[16 * 50], bf = new float[50 * 2], cf = new float[16 * 2];
        java.util.Arrays.fill(a, 0.5);
        java.util.Arrays.fill(b, 0.25);
        double sink = 0;
        for (int i = 0; i < 150_000; i++) { // warm-up: C2 must compile the path for the segments to be scalar-replaced
            sink += round(a, b, c, x, y, af, bf, cf);
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            sink += round(a, b, c, x, y, af, bf, cf);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated over 10 000 rounds (sink " + sink + ")");
    }

    private static double round(double[] a, double[] b, double[] c, double[] x, double[] y, float[] af, float[] bf, float[] cf) {
        Blas.dgemm(Transpose.NO, Transpose.NO, 16, 2, 50, 1.0, a, 0, 50, b, 0, 2, 0.0, c, 0, 2);
        Blas.sgemm(Transpose.NO, Transpose.NO, 16, 2, 50, 1.0f, af, 0, 50, bf, 0, 2, 0.0f, cf, 0, 2);
        Blas.dgemv(Transpose.NO, 16, 50, 1.0, a, 0, 50, x, 0, 1, 0.0, y, 0, 1);
        Blas.daxpy(16, 0.5, y, 0, 1, x, 0, 1);
        return Blas.ddot(16, x, 0, 1, y, 0, 1) + c[0] + cf[0];
    }
}
