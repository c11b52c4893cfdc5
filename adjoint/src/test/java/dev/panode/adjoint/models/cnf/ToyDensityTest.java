package dev.panode.adjoint.models.cnf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.SplitMix64;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The toy densities: shapes, seeds, and their first and second moments against the values their definitions give
 * (within 4 standard errors over 40 000 samples), plus the support of the checkerboard.
 */
class ToyDensityTest {
    private static final int N = 40_000;

    /** (E x, E y, E|x|²) of each density, from its definition. */
    private static double[] moments(ToyDensity d) {
        return switch (d) {
            // |centre|² = 16, noise variance 2·0.25, all over 1.414²
            case EIGHT_GAUSSIANS -> new double[] {0, 0, 16.5 / (1.414 * 1.414)};
            // outer moon mean (0, 2/π), inner (1, 1/2 − 2/π): average (1/2, 1/4), then ×2 + (−1, −0.2)
            case MOONS -> new double[] {0, 0.3, moonsSecondMoment()};
            // radii 3 and 1.5 with equal weight, noise 3·0.08 per coordinate
            case CIRCLES -> new double[] {0, 0, 9 * (0.5 + 0.125 + 2 * 0.0064)};
            // 4·(E r² + E t²) = 4·(1 + 0.09 + 0.01)
            case PINWHEEL -> new double[] {0, 0, 4.4};
            // uniform on [−4, 4) in each coordinate: variance 64/12 each
            case CHECKERBOARD -> new double[] {0, 0, 2 * 64.0 / 12};
        };
    }

    /**
     * E|x|² of the moons: with c = cos a, s = sin a, a ~ U[0, π] (E c = 0, E s = 2/π, E c² = E s² = 1/2), the outer
     * moon is (2c − 1, 2s − 0.2), the inner (1 − 2c, 0.8 − 2s), each coordinate plus noise of variance 4·0.01:
     * ½[(3 + 2.04 − 1.6/π) + (3 + 2.64 − 6.4/π)] + 0.08 = 5.42 − 4/π.
     */
    private static double moonsSecondMoment() {
        return 5.42 - 4 / Math.PI;
    }

    @ParameterizedTest
    @EnumSource(ToyDensity.class)
    void momentsAreTheDefinitions(ToyDensity d) {
        double[] x = d.sample(N, new SplitMix64(2024));
        assertEquals(2 * N, x.length);
        double[] m = moments(d);
        double[] sum = new double[3], sumSq = new double[3];
        for (int i = 0; i < N; i++) {
            double[] v = {x[2 * i], x[2 * i + 1], x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1]};
            for (int k = 0; k < 3; k++) {
                sum[k] += v[k];
                sumSq[k] += v[k] * v[k];
            }
        }
        for (int k = 0; k < 3; k++) {
            double mean = sum[k] / N;
            double se = Math.sqrt((sumSq[k] / N - mean * mean) / N);
            assertTrue(Math.abs(mean - m[k]) <= 4 * se, d + " moment " + k + ": " + mean + " vs " + m[k] + " ± " + 4 * se);
        }
    }

    @Test
    void seedsReproduceAndDiffer() {
        for (ToyDensity d : ToyDensity.values()) {
            assertArrayEquals(d.sample(100, new SplitMix64(1)), d.sample(100, new SplitMix64(1)), 0.0);
            assertFalse(Arrays.equals(d.sample(100, new SplitMix64(1)), d.sample(100, new SplitMix64(2))));
            double[] strided = new double[300];
            d.sampleInto(100, new SplitMix64(1), strided, 0, 3);
            double[] plain = d.sample(100, new SplitMix64(1));
            for (int i = 0; i < 100; i++) {
                assertEquals(plain[2 * i], strided[3 * i]);
                assertEquals(plain[2 * i + 1], strided[3 * i + 1]);
            }
        }
    }

    @Test
    void checkerboardLiesOnItsBlackSquaresAndTheNamesParse() {
        double[] x = ToyDensity.CHECKERBOARD.sample(5000, new SplitMix64(3));
        for (int i = 0; i < 5000; i++) {
            long sq = (long) Math.floor(x[2 * i] / 2) + (long) Math.floor(x[2 * i + 1] / 2);
            assertEquals(0, Math.floorMod(sq, 2L), "point " + i);
            assertTrue(Math.abs(x[2 * i]) <= 4 && Math.abs(x[2 * i + 1]) <= 4);
        }
        for (ToyDensity d : ToyDensity.values()) assertEquals(d, ToyDensity.parse(d.cliName().toUpperCase()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToyDensity.parse("swissroll"));
        assertTrue(e.getMessage().contains("got swissroll"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ToyDensity.MOONS.sample(0, new SplitMix64(1)));
    }
}
