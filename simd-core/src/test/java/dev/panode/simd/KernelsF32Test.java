package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.Transpose;
import dev.panode.blas.testing.Allocations;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float kernels against their scalar twins for every length from 0 to four float vectors plus three, at offsets
 * 0–3: stage combinations, error norms and activations (also over many rows: the blocked bias-and-activation and
 * derivative-and-column-sum passes); and none of them (nor the float GEMM) allocates once warm.
 */
class KernelsF32Test {

    static final int MAX_LENGTH = 4 * Simd.FLOAT_LANES + 3;

    static Stream<Arguments> lengthsAndStages() {
        return IntStream.rangeClosed(0, MAX_LENGTH).boxed()
                .flatMap(n -> IntStream.of(1, 4, 7, 13).mapToObj(s -> Arguments.of(n, s)));
    }

    static Stream<Arguments> lengthsAndOffsets() {
        return IntStream.rangeClosed(0, MAX_LENGTH).boxed()
                .flatMap(n -> IntStream.rangeClosed(0, 3).mapToObj(off -> Arguments.of(n, off)));
    }

    static float[] floats(SplittableRandom rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (scale * (2 * rnd.nextDouble() - 1));
        return x;
    }

    @ParameterizedTest(name = "n={0}, s={1}")
    @MethodSource("lengthsAndStages")
    void stageCombinationsMatchScalarTwinsAndDoNotDependOnPosition(int n, int s) {
        SplittableRandom rnd = new SplittableRandom(31L * n + s);
        double[] c = TestData.uniform(rnd, s, 2.0);
        for (int i = 1; i < s; i += 3) c[i] = 0.0;
        int kOff = 2, yOff = 1, outOff = 3;
        float[][] k = new float[s][];
        for (int i = 0; i < s; i++) k[i] = floats(rnd, n + kOff, 10.0);
        float[] y = floats(rnd, n + yOff, 5.0);
        double h = 0.37;
        float[] got = new float[n + outOff], want = new float[n + outOff];
        StageKernelsF32.combine(y, yOff, h, c, s, k, kOff, got, outOff, n);
        StageKernelsF32.combineScalar(y, yOff, h, c, s, k, kOff, want, outOff, n);
        float[] err = new float[n], errWant = new float[n];
        StageKernelsF32.errorEstimate(h, c, s, k, kOff, err, 0, n);
        StageKernelsF32.errorEstimateScalar(h, c, s, k, kOff, errWant, 0, n);
        for (int j = 0; j < n; j++) {
            float scale = 0;
            for (int i = 0; i < s; i++) scale += Math.abs((float) h * (float) c[i] * k[i][kOff + j]);
            assertEquals(errWant[j], err[j], 4 * (s + 1) * Math.ulp(scale), "error estimate j=" + j);
            scale += Math.abs(y[yOff + j]);
            assertEquals(want[outOff + j], got[outOff + j], 4 * (s + 1) * Math.ulp(scale), "combine j=" + j);
        }
        for (int j = 0; j < outOff; j++) assertEquals(0.0f, got[j], "outside the output");

        // the same elements shifted by three: vector lanes and the scalar tail round alike
        float[][] kShift = new float[s][];
        for (int i = 0; i < s; i++) {
            kShift[i] = new float[n + 3];
            System.arraycopy(k[i], kOff, kShift[i], 3, n);
        }
        float[] yShift = new float[n + 3], shifted = new float[n + 3];
        System.arraycopy(y, yOff, yShift, 3, n);
        StageKernelsF32.combine(yShift, 3, h, c, s, kShift, 3, shifted, 3, n);
        for (int j = 0; j < n; j++) assertEquals(got[outOff + j], shifted[3 + j], 0.0f, "shifted j=" + j);
        // out may alias y
        StageKernelsF32.combine(y, yOff, h, c, s, k, kOff, y, yOff, n);
        for (int j = 0; j < n; j++) assertEquals(got[outOff + j], y[yOff + j], 0.0f, "in place j=" + j);
    }

    @ParameterizedTest(name = "n={0}, off={1}")
    @MethodSource("lengthsAndOffsets")
    void errorNormsMatchScalarTwins(int n, int off) {
        SplittableRandom rnd = new SplittableRandom(17L * n + off);
        float[] err = floats(rnd, n + off + 2, 1e-3), y0 = floats(rnd, n + off + 2, 10), y1 = floats(rnd, n + off + 2, 10);
        for (NormKind kind : NormKind.values()) {
            double want = ErrorNormsF32.scaledScalar(kind, err, y0, y1, off, n, 1e-6, 1e-4);
            double got = ErrorNormsF32.scaled(kind, err, y0, y1, off, n, 1e-6, 1e-4);
            if (kind == NormKind.MAX) assertEquals(want, got, 0.0, "MAX is exact");
            else assertEquals(want, got, 1e-14 * want, "RMS differs by summation order only");
            // the float norm is the double norm of the widened floats
            double[] e = new double[err.length], a = new double[err.length], b = new double[err.length];
            for (int i = 0; i < err.length; i++) {
                e[i] = err[i];
                a[i] = y0[i];
                b[i] = y1[i];
            }
            assertEquals(ErrorNorms.scaledScalar(kind, e, a, b, off, n, 1e-6, 1e-4), want, 1e-14 * want, kind + " vs f64");
        }
        if (n > 0) {
            err[off + n - 1] = Float.NaN;
            for (NormKind kind : NormKind.values()) {
                assertTrue(Double.isNaN(ErrorNormsF32.scaled(kind, err, y0, y1, off, n, 1e-6, 1e-4)), kind + " NaN");
            }
        }
    }

    @Test
    void perRowNormsAreTheRowsNorms() {
        SplittableRandom rnd = new SplittableRandom(4);
        int rows = 5;
        for (int dim = 0; dim <= MAX_LENGTH; dim++) {
            float[] err = floats(rnd, rows * dim, 1e-3), y0 = floats(rnd, rows * dim, 10), y1 = floats(rnd, rows * dim, 10);
            double[] out = new double[rows];
            for (NormKind kind : NormKind.values()) {
                ErrorNormsF32.scaledPerRow(kind, err, y0, y1, rows, dim, 1e-6, 1e-4, out);
                for (int r = 0; r < rows; r++) {
                    assertEquals(ErrorNormsF32.scaled(kind, err, y0, y1, r * dim, dim, 1e-6, 1e-4), out[r], 0.0);
                }
            }
        }
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> ErrorNormsF32.scaled(NormKind.RMS, new float[3], new float[4], new float[4], 0, 4, 1e-6, 1e-4));
        assertTrue(e.getMessage().contains("err[0 .. 0+4)"), e.getMessage());
    }

    @ParameterizedTest(name = "n={0}, off={1}")
    @MethodSource("lengthsAndOffsets")
    void activationsMatchScalarTwinsBitForBit(int n, int off) {
        // one row takes the sums-then-activation route, several rows tanh's fused pass: both the scalar twins' bits
        for (int rows : new int[] {1, 3}) activationsMatchScalarTwinsBitForBit(n, off, rows);
    }

    private static void activationsMatchScalarTwinsBitForBit(int n, int off, int rows) {
        SplittableRandom rnd = new SplittableRandom(23L * n + off + 1000L * rows);
        float[] x = floats(rnd, rows * n + off, 3), bias = floats(rnd, n + off, 1);
        if (n > 0) x[off] = Float.NaN;
        for (ActivationKernel kind : new ActivationKernel[] {ActivationKernel.TANH, ActivationKernel.RELU,
                ActivationKernel.IDENTITY}) {
            float[] u = new float[rows * n + off], a = new float[rows * n + off];
            ActivationKernelF32.biasActivate(kind, x, off, bias, off, rows, n, u, off, a, off);
            float[] g = floats(rnd, rows * n + off, 1), gWant = g.clone();
            ActivationKernelF32.derivativeTimes(kind, u, off, a, off, g, off, rows * n);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < n; c++) {
                    int i = off + r * n + c;
                    float uw = x[i] + bias[off + c];
                    // bit for bit; every NaN counts as one (its sign and payload are the hardware's)
                    assertEquals(Float.floatToIntBits(uw), Float.floatToIntBits(u[i]), kind + " u");
                    float aw = ActivationKernelF32.applyScalar(kind, uw);
                    assertEquals(Float.floatToIntBits(aw), Float.floatToIntBits(a[i]), kind + " a at " + uw);
                    float gw = ActivationKernelF32.derivativeTimesScalar(kind, uw, aw, gWant[i]);
                    assertEquals(Float.floatToIntBits(gw), Float.floatToIntBits(g[i]), kind + " g at " + uw);
                }
            }
            for (int i = 0; i < off; i++) assertEquals(0.0f, a[i], "nothing before the offset");
            float[] inPlace = new float[rows * n + off];
            ActivationKernelF32.biasActivate(kind, x, off, bias, off, rows, n, inPlace, off, inPlace, off);
            assertTrue(Arrays.equals(a, off, rows * n + off, inPlace, off, rows * n + off), kind + " in place");
        }
    }

    @Test
    void blocksOfRowsGiveTheBitsOfTheUnblockedPasses() {
        SplittableRandom rnd = new SplittableRandom(37);
        for (int cols : new int[] {1, 3, Simd.FLOAT_LANES + 1, 50, 256}) {
            int rows = 2 * 4096 / cols + 3; // more than two blocks of 4096 floats, the last one partial
            int n = rows * cols;
            float[] x = floats(rnd, n, 3), bias = floats(rnd, cols, 1);
            for (ActivationKernel kind : new ActivationKernel[] {ActivationKernel.TANH, ActivationKernel.RELU,
                    ActivationKernel.IDENTITY}) {
                String what = kind + " " + rows + "×" + cols;
                float[] uWant = new float[n], aWant = new float[n];
                for (int i = 0; i < n; i++) {
                    uWant[i] = x[i] + bias[i % cols];
                    aWant[i] = ActivationKernelF32.applyScalar(kind, uWant[i]);
                }
                float[] u = new float[n], a = new float[n], inPlace = new float[n];
                ActivationKernelF32.biasActivate(kind, x, 0, bias, 0, rows, cols, u, 0, a, 0);
                ActivationKernelF32.biasActivate(kind, x, 0, bias, 0, rows, cols, inPlace, 0, inPlace, 0);
                assertTrue(Arrays.equals(uWant, u) && Arrays.equals(aWant, a), what + ": u, a");
                assertTrue(Arrays.equals(aWant, inPlace), what + ": in place");

                float[] g = floats(rnd, n, 1), gWant = g.clone();
                float[] sums = floats(rnd, cols + 2, 1), sumsWant = sums.clone();
                ActivationKernelF32.derivativeTimesColumnSums(kind, u, 0, a, 0, g, 0, rows, cols, sums, 2);
                for (int i = 0; i < n; i++) gWant[i] = ActivationKernelF32.derivativeTimesScalar(kind, u[i], a[i], gWant[i]);
                ColumnSums.accumulateScalar(gWant, 0, rows, cols, sumsWant, 2);
                assertTrue(Arrays.equals(gWant, g), what + ": the derivative");
                assertTrue(Arrays.equals(sumsWant, sums), what + ": the column sums");
            }
        }
    }

    @Test
    void activationsWithoutFloatKernelsAreRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ActivationKernelF32.apply(ActivationKernel.SIN, new float[1], 0, new float[1], 0, 1));
        assertEquals("activation must be TANH, RELU or IDENTITY in float32, got SIN", e.getMessage());
    }

    @Test
    void floatKernelsDoNotAllocate() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 3 * Simd.FLOAT_LANES + 5;
        float[] y = floats(rnd, n, 1), out = new float[n], err = floats(rnd, n, 1e-4);
        float[][] k = new float[7][];
        for (int i = 0; i < 7; i++) k[i] = floats(rnd, n, 1);
        double[] b = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0};
        double[] rows = new double[n];
        Allocations.assertNoAllocation("combine f32", 30_000, 2_000, () -> StageKernelsF32.combine(y, 0, 0.1, b, 7, k, 0, out, 0, n));
        Allocations.assertNoAllocation("errorEstimate f32", 30_000, 2_000,
                () -> StageKernelsF32.errorEstimate(0.1, b, 7, k, 0, out, 0, n));
        Allocations.assertNoAllocation("scaled RMS f32", 30_000, 2_000,
                () -> rows[0] = ErrorNormsF32.scaled(NormKind.RMS, err, y, out, 0, n, 1e-6, 1e-4));
        Allocations.assertNoAllocation("scaled MAX f32", 30_000, 2_000,
                () -> rows[0] = ErrorNormsF32.scaled(NormKind.MAX, err, y, out, 0, n, 1e-6, 1e-4));
        float[] bias = floats(rnd, n, 1), x = floats(rnd, 3 * n, 1), u = new float[3 * n], a = new float[3 * n];
        Allocations.assertNoAllocation("biasActivate tanh f32", 30_000, 2_000,
                () -> ActivationKernelF32.biasActivate(ActivationKernel.TANH, x, 0, bias, 0, 3, n, u, 0, a, 0));
        Allocations.assertNoAllocation("biasActivate tanh f32, one row", 30_000, 2_000,
                () -> ActivationKernelF32.biasActivate(ActivationKernel.TANH, x, 0, bias, 0, 1, n, u, 0, a, 0));
        float[] w = floats(rnd, 50 * 50, 1), h = floats(rnd, 16 * 50, 1), c = new float[16 * 50];
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                int lda = ta == Transpose.NO ? 50 : 16;
                Allocations.assertNoAllocation("sgemm " + ta + tb, 30_000, 2_000,
                        () -> GemmF32.sgemm(ta, tb, 16, 50, 50, 1.0f, h, 0, lda, w, 0, 50, 0.5f, c, 0, 50));
            }
        }
        float[] c2 = new float[16 * 2];
        Allocations.assertNoAllocation("sgemm output layer", 30_000, 2_000,
                () -> GemmF32.sgemm(Transpose.NO, Transpose.YES, 16, 2, 50, 1.0f, h, 0, 50, w, 0, 50, 0.0f, c2, 0, 2));
    }
}
