package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The reproducible sigmoid and softplus: the vector kernels equal their scalar twins bit for bit (interpreted and
 * compiled), both stay within 4 ulp of references built on {@link StrictMath}, and special values hold.
 */
class ReproducibleLogisticTest {

    private static double[] arguments() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] x = new double[200_003];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> rnd.nextDouble(-1, 1);
                case 1 -> rnd.nextDouble(-40, 40);
                case 2 -> Math.scalb(rnd.nextDouble(-1, 1), -rnd.nextInt(1, 1000));
                default -> rnd.nextDouble(-800, 800);
            };
        }
        double[] special = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-8, -1e-8, 0.5, -0.5,
                Math.log(2), -Math.log(2), 0.8813735870195429, 19.99, 20.0, Math.nextUp(20.0), 36.7, 37.5, -36.7,
                -37.5, 700, -700, 708.5, -708.5, 709.8, -709.8, 745.1, -745.1, 746, -746, 800, -800, 1e300, -1e300,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        System.arraycopy(special, 0, x, 0, special.length);
        return x;
    }

    private static void assertVectorEqualsTwin(String name, TestData.Pass kernel, DoubleUnaryOperator twin) {
        double[] x = arguments();
        double[] out = new double[x.length];
        for (int round = 0; round < 3; round++) { // interpreted, then compiled: the same bits every time
            kernel.run(x, 0, out, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double want = twin.applyAsDouble(x[i]);
                if (Double.isNaN(want)) {
                    assertTrue(Double.isNaN(out[i]), name + "(" + x[i] + ") is NaN");
                    continue;
                }
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(out[i]),
                        name + "(" + x[i] + ")");
            }
        }
    }

    @Test
    void vectorKernelsEqualTheirScalarTwinsBitForBit() {
        assertVectorEqualsTwin("sigmoid", ReproducibleLogistic::sigmoid, ReproducibleLogistic::sigmoid);
        assertVectorEqualsTwin("softplus", ReproducibleLogistic::softplus, ReproducibleLogistic::softplus);
        assertVectorEqualsTwin("g·sigmoid", (u, uOff, out, outOff, n) -> {
            java.util.Arrays.fill(out, outOff, outOff + n, 3.0);
            ReproducibleLogistic.timesSigmoid(u, uOff, out, outOff, n);
        }, u -> 3.0 * ReproducibleLogistic.sigmoid(u));
    }

    /** Every length and offset: the masked last vector gives the twin's bits, and nothing outside is written. */
    @Test
    void partialVectorsAndOffsets() {
        TestData.assertShiftedPassEqualsTwin(new SplittableRandom(12), 30.0, ReproducibleLogistic::softplus,
                ReproducibleLogistic::softplus, (u, off, n) -> { });
    }

    private static double sigmoidReference(double u) {
        if (u >= 0) return 1.0 / (1.0 + StrictMath.exp(-u));
        double e = StrictMath.exp(u);
        return e / (1.0 + e);
    }

    private static double softplusReference(double u) {
        if (u > 20) return u;
        return Math.max(u, 0.0) + StrictMath.log1p(StrictMath.exp(-Math.abs(u)));
    }

    @Test
    void withinFourUlpOfStrictMath() {
        long[] worst = new long[3];
        for (double v : arguments()) {
            double[] got = {ReproducibleLogistic.expNegAbs(v), ReproducibleLogistic.sigmoid(v),
                    ReproducibleLogistic.softplus(v)};
            double[] want = {StrictMath.exp(-Math.abs(v)), sigmoidReference(v), softplusReference(v)};
            for (int f = 0; f < 3; f++) {
                if (Double.isNaN(want[f])) {
                    assertTrue(Double.isNaN(got[f]), "NaN in, NaN out");
                    continue;
                }
                long d = TestData.ulps(want[f], got[f]);
                worst[f] = Math.max(worst[f], d);
                assertTrue(d <= 4, "function " + f + " at " + v + ": " + got[f] + " against " + want[f]);
            }
        }
        System.out.printf("ReproducibleLogistic against StrictMath: exp(-|u|) %d ulp, sigmoid %d ulp, softplus %d ulp%n",
                worst[0], worst[1], worst[2]);
    }

    @Test
    void specialValues() {
        assertEquals(0.5, ReproducibleLogistic.sigmoid(0.0));
        assertEquals(0.5, ReproducibleLogistic.sigmoid(-0.0));
        assertEquals(1.0, ReproducibleLogistic.sigmoid(Double.POSITIVE_INFINITY));
        assertEquals(0.0, ReproducibleLogistic.sigmoid(Double.NEGATIVE_INFINITY));
        assertTrue(ReproducibleLogistic.sigmoid(-800) == 0.0, "e^-800 rounds to 0");
        assertTrue(ReproducibleLogistic.sigmoid(-740) > 0, "σ(−740) is the subnormal e^−740, not 0");
        assertEquals(Math.log(2), ReproducibleLogistic.softplus(0.0), Math.ulp(Math.log(2)));
        assertEquals(25.0, ReproducibleLogistic.softplus(25.0));
        assertEquals(Double.POSITIVE_INFINITY, ReproducibleLogistic.softplus(Double.POSITIVE_INFINITY));
        assertEquals(0.0, ReproducibleLogistic.softplus(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(ReproducibleLogistic.softplus(Double.NaN)));
        assertTrue(Double.isNaN(ReproducibleLogistic.sigmoid(Double.NaN)));
    }
}
