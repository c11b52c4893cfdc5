package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

class ColumnSumsTest {

    @Test
    void vectorKernelEqualsScalarTwinBitForBit() {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        SplittableRandom rng = new SplittableRandom(1);
        int[] colCounts = {0, 1, 2, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes + 3, 3 * lanes, 3 * lanes + 2,
            50, 64, 257};
        int[] rowCounts = {0, 1, 3, 16, 33};
        for (int cols : colCounts) {
            for (int rows : rowCounts) {
                int gOff = 3;
                int outOff = 2;
                double[] g = new double[gOff + rows * cols + 1];
                for (int i = 0; i < g.length; i++) g[i] = rng.nextDouble(-1, 1);
                double[] out = new double[outOff + cols + 1];
                for (int i = 0; i < out.length; i++) out[i] = rng.nextDouble(-1, 1);
                double[] expected = out.clone();
                ColumnSums.accumulateScalar(g, gOff, rows, cols, expected, outOff);
                ColumnSums.accumulate(g, gOff, rows, cols, out, outOff);
                assertArrayEquals(expected, out, "rows=" + rows + " cols=" + cols);
            }
        }
    }

    @Test
    void floatKernelEqualsItsScalarTwinBitForBit() {
        int lanes = Simd.FLOAT_LANES;
        SplittableRandom rng = new SplittableRandom(2);
        int[] colCounts = {0, 1, 2, lanes - 1, lanes, lanes + 1, 4 * lanes - 1, 4 * lanes, 5 * lanes + 3, 50, 256, 257};
        int[] rowCounts = {0, 1, 3, 16, 33};
        for (int cols : colCounts) {
            for (int rows : rowCounts) {
                int gOff = 3;
                int outOff = 2;
                float[] g = new float[gOff + rows * cols + 1];
                for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextDouble(-1, 1);
                float[] out = new float[outOff + cols + 1];
                for (int i = 0; i < out.length; i++) out[i] = (float) rng.nextDouble(-1, 1);
                float[] expected = out.clone();
                ColumnSums.accumulateScalar(g, gOff, rows, cols, expected, outOff);
                ColumnSums.accumulate(g, gOff, rows, cols, out, outOff);
                assertArrayEquals(expected, out, "rows=" + rows + " cols=" + cols);
            }
        }
    }

    @Test
    void sumsColumns() {
        double[] g = {1, 2, 3, 4, 5, 6};
        double[] out = {10, 20, 30};
        ColumnSums.accumulate(g, 0, 2, 3, out, 0);
        assertArrayEquals(new double[] {15, 27, 39}, out);
        double[] scalar = {10, 20, 30};
        ColumnSums.accumulateScalar(g, 0, 2, 3, scalar, 0);
        assertEquals(39, scalar[2]);
    }
}
