package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StageKernelsTest {

    static Stream<Arguments> cases() {
        return TestData.lengths().boxed().flatMap(n -> IntStream.of(1, 4, 7, 13).mapToObj(s -> Arguments.of(n, s)));
    }

    /** Coefficients with about a third set to zero, as in real tableaux. */
    static double[] coefficients(SplittableRandom rnd, int s) {
        double[] c = TestData.uniform(rnd, s, 2.0);
        for (int i = 1; i < s; i += 3) c[i] = 0.0;
        return c;
    }

    static double[][] stages(SplittableRandom rnd, int s, int len) {
        double[][] k = new double[s][];
        for (int i = 0; i < s; i++) k[i] = TestData.uniform(rnd, len, 10.0);
        return k;
    }

    @ParameterizedTest(name = "n={0}, s={1}")
    @MethodSource("cases")
    void combineMatchesScalarTwin(int n, int s) {
        SplittableRandom rnd = new SplittableRandom(31L * n + s);
        int kOff = 2, yOff = 1, outOff = 3;
        double[] c = coefficients(rnd, s);
        double[][] k = stages(rnd, s, n + kOff);
        double[] y = TestData.uniform(rnd, n + yOff, 5.0);
        double h = 0.37;
        double[] got = new double[n + outOff];
        double[] want = new double[n + outOff];
        StageKernels.combine(y, yOff, h, c, s, k, kOff, got, outOff, n);
        StageKernels.combineScalar(y, yOff, h, c, s, k, kOff, want, outOff, n);
        for (int j = 0; j < n; j++) {
            double scale = Math.abs(y[yOff + j]);
            for (int i = 0; i < s; i++) scale += Math.abs(h * c[i] * k[i][kOff + j]);
            assertEquals(want[outOff + j], got[outOff + j], 4 * (s + 1) * Math.ulp(scale), "j=" + j);
        }
        assertEquals(0.0, got[0]);

        double[] err = new double[n];
        double[] errWant = new double[n];
        StageKernels.errorEstimate(h, c, s, k, kOff, err, 0, n);
        StageKernels.errorEstimateScalar(h, c, s, k, kOff, errWant, 0, n);
        for (int j = 0; j < n; j++) {
            double scale = 0;
            for (int i = 0; i < s; i++) scale += Math.abs(h * c[i] * k[i][kOff + j]);
            assertEquals(errWant[j], err[j], 4 * (s + 1) * Math.ulp(scale), "j=" + j);
        }
    }

    @ParameterizedTest(name = "n={0}, s={1}")
    @MethodSource("cases")
    void resultDoesNotDependOnPositionInTheArray(int n, int s) {
        SplittableRandom rnd = new SplittableRandom(7L * n + s);
        double[] c = coefficients(rnd, s);
        double[][] k = stages(rnd, s, n + 5);
        double[] y = TestData.uniform(rnd, n + 5, 1.0);
        double[] a = new double[n];
        double[] b = new double[n + 5];
        StageKernels.combine(y, 0, 0.1, c, s, k, 0, a, 0, n);
        // the same elements, shifted by one vector lane: lanes and tail must round alike
        double[][] kShift = new double[s][];
        double[] yShift = new double[n + 5];
        System.arraycopy(y, 0, yShift, 3, n);
        for (int i = 0; i < s; i++) {
            kShift[i] = new double[n + 5];
            System.arraycopy(k[i], 0, kShift[i], 3, n);
        }
        StageKernels.combine(yShift, 3, 0.1, c, s, kShift, 3, b, 3, n);
        for (int j = 0; j < n; j++) assertEquals(a[j], b[3 + j], 0.0, "j=" + j);
    }

    /**
     * Each element of {@code combine} is the documented chain {@code acc = fma(kᵢ, cᵢ, acc)} in stage order, then
     * {@code fma(acc, h, y)}, bit for bit, whichever vector pass (four vectors, one, or the tail) formed it.
     */
    @Test
    void combineIsEachElementsFmaChainBitForBit() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int n = 0; n <= 9 * TestData.LANES + 3; n++) {
            for (int s : new int[] {1, 6, 7}) {
                double[] c = coefficients(rnd, s);
                double[][] k = stages(rnd, s, n + 2);
                double[] y = TestData.uniform(rnd, n + 1, 5.0);
                double h = -0.0123;
                double[] got = new double[n + 3];
                StageKernels.combine(y, 1, h, c, s, k, 2, got, 3, n);
                for (int j = 0; j < n; j++) {
                    double acc = 0.0;
                    for (int i = 0; i < s; i++) if (c[i] != 0.0) acc = Math.fma(k[i][2 + j], c[i], acc);
                    double want = Math.fma(acc, h, y[1 + j]);
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[3 + j]),
                            "n=" + n + " s=" + s + " j=" + j);
                }
            }
        }
    }

    @Test
    void outMayAliasY() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = TestData.MAX_LENGTH;
        double[] c = {0.5, 0.0, 0.25};
        double[][] k = stages(rnd, 3, n);
        double[] y = TestData.uniform(rnd, n, 1.0);
        double[] want = new double[n];
        StageKernels.combine(y, 0, 0.2, c, 3, k, 0, want, 0, n);
        StageKernels.combine(y, 0, 0.2, c, 3, k, 0, y, 0, n);
        for (int j = 0; j < n; j++) assertEquals(want[j], y[j], 0.0);
    }

    @Test
    void nanAndInfPropagateAndZeroCoefficientsAreSkipped() {
        int n = TestData.MAX_LENGTH;
        for (int pos = 0; pos < n; pos++) {
            double[] c = {0.5, 0.0, 0.25};
            double[][] k = {new double[n], new double[n], new double[n]};
            k[0][pos] = Double.NaN;
            k[1][pos] = Double.NaN;   // coefficient 0: skipped, so it does not reach the result...
            k[2][(pos + 1) % n] = Double.POSITIVE_INFINITY;
            k[1][(pos + 2) % n] = Double.POSITIVE_INFINITY; // ...nor does this one
            double[] y = new double[n];
            double[] out = new double[n];
            double[] want = new double[n];
            StageKernels.combine(y, 0, 1.0, c, 3, k, 0, out, 0, n);
            StageKernels.combineScalar(y, 0, 1.0, c, 3, k, 0, want, 0, n);
            assertTrue(Double.isNaN(out[pos]), "pos=" + pos);
            if ((pos + 1) % n != pos) assertEquals(Double.POSITIVE_INFINITY, out[(pos + 1) % n], "pos=" + pos);
            for (int j = 0; j < n; j++) assertEquals(want[j], out[j], 0.0, "pos=" + pos + " j=" + j);
        }
    }
}
