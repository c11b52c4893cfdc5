package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reproducible tanh: the vector kernel equals its scalar twin bit for bit, both stay within 3 ulp of Math, and
 * the symmetries and special values hold exactly.
 */
class ReproducibleTanhTest {

    private static final double LN2 = Math.log(2);

    private static double[] arguments() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] x = new double[200_003];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> rnd.nextDouble(-1, 1);
                case 1 -> rnd.nextDouble(-25, 25);
                case 2 -> Math.scalb(rnd.nextDouble(-1, 1), -rnd.nextInt(1, 1000));
                default -> rnd.nextDouble(-0.4, 0.4);
            };
        }
        double[] special = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                0x1p-1022 - Double.MIN_VALUE, 1e-8, -1e-8, 0.34657359, 0.3465736, LN2 / 4, Math.nextUp(LN2 / 4),
                Math.nextDown(LN2 / 4), 3 * LN2 / 4, -3 * LN2 / 4, 0.5, 0.55, 19.99, Math.nextDown(20.0), 20.0,
                Math.nextUp(20.0), 20.01, -20.0, 22, 700, -700, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        System.arraycopy(special, 0, x, 0, special.length);
        return x;
    }

    @Test
    void vectorKernelEqualsScalarTwinBitForBit() {
        double[] x = arguments();
        double[] out = new double[x.length];
        for (int round = 0; round < 3; round++) { // interpreted, then compiled: the same bits every time
            ReproducibleTanh.apply(x, 0, out, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Double.doubleToRawLongBits(ReproducibleTanh.tanh(x[i])),
                        Double.doubleToRawLongBits(out[i]), "x = " + x[i]);
            }
        }
    }

    /** Every length and offset: the masked last vector gives the twin's bits too, and nothing outside is written. */
    @Test
    void partialVectorsOffsetsAndInPlace() {
        TestData.assertShiftedPassEqualsTwin(new SplittableRandom(8), 3.0, ReproducibleTanh::apply,
                ReproducibleTanh::tanh, (u, off, n) -> {
                    double[] inPlace = u.clone();
                    ReproducibleTanh.apply(inPlace, off, inPlace, off, n);
                    for (int i = 0; i < u.length; i++) {
                        double want = i >= off && i < off + n ? ReproducibleTanh.tanh(u[i]) : u[i];
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(inPlace[i]),
                                "in place n=" + n);
                    }
                });
    }

    /**
     * The biased pass (its tanh written out in the loop) against the scalar twin of each sum, on every argument of
     * {@link #arguments} (a tile of zeros of both signs and of random biases), then every length and offset with the
     * arrays ending where the pass ends: the elements after the last whole vector take the twin, nothing else is
     * written.
     */
    @Test
    void biasedPassEqualsTheTwinOfEachSum() {
        double[] x = arguments();
        SplittableRandom rnd = new SplittableRandom(9);
        double[] tile = new double[x.length], out = new double[x.length];
        for (int i = 0; i < tile.length; i++) tile[i] = i % 3 == 0 ? 0.0 : i % 3 == 1 ? -0.0 : rnd.nextDouble(-2, 2);
        for (int round = 0; round < 3; round++) {
            ReproducibleTanh.applyBiased(x, 0, tile, 0, out, 0, x.length, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Double.doubleToRawLongBits(ReproducibleTanh.tanh(x[i] + tile[i])),
                        Double.doubleToRawLongBits(out[i]), "x = " + x[i] + ", b = " + tile[i]);
            }
        }
        for (int n = 0; n <= TestData.MAX_LENGTH; n++) {
            for (int off = 0; off < 3; off++) {
                double[] u = TestData.uniform(rnd, off + n, 3.0), bias = TestData.uniform(rnd, n, 1.0);
                double[] got = new double[off + 1 + n];
                java.util.Arrays.fill(got, 7.0);
                ReproducibleTanh.applyBiased(u, off, bias, 0, got, off + 1, n, n);
                for (int i = 0; i < got.length; i++) {
                    double want = i > off ? ReproducibleTanh.tanh(u[i - 1] + bias[i - off - 1]) : 7.0;
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[i]), "n=" + n + " i=" + i);
                }
            }
        }
    }

    @Test
    void withinThreeUlpOfMath() {
        double[] x = arguments();
        for (double v : x) {
            double got = ReproducibleTanh.tanh(v);
            double want = Math.tanh(v);
            if (Double.isNaN(want)) {
                assertTrue(Double.isNaN(got), "NaN in, NaN out");
                continue;
            }
            long ulps = Math.abs(Double.doubleToLongBits(got) - Double.doubleToLongBits(want));
            assertTrue(ulps <= 3, "tanh(" + v + ") = " + got + ", Math.tanh gives " + want);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ReproducibleTanh.tanh(-0.0)));
    }

    /**
     * 250 000 random arguments in each of the ranges where the algorithm changes character: tiny (tanh x = x to
     * rounding), small (k = 0 or small, 1 − E cancels), large (the division near 1) and beyond the clamp (±1). Prints
     * the share of arguments at each ulp distance from {@link Math#tanh} (recorded in docs/benchmarks/simd.md).
     */
    @Test
    void ulpDistributionAgainstMathByRange() {
        double[][] ranges = {{Double.MIN_VALUE, 1e-8}, {1e-8, 0.5}, {0.5, 20}, {20, Double.MAX_VALUE}};
        int n = 250_000;
        SplittableRandom rnd = new SplittableRandom(2027);
        double[] x = new double[n], out = new double[n];
        for (double[] r : ranges) {
            boolean logUniform = r[1] / r[0] > 100;
            for (int i = 0; i < n; i++) {
                double m = logUniform ? Math.exp(rnd.nextDouble(Math.log(r[0]), Math.log(r[1]))) : rnd.nextDouble(r[0], r[1]);
                x[i] = rnd.nextBoolean() ? m : -m;
            }
            ReproducibleTanh.apply(x, 0, out, 0, n);
            long[] count = new long[4];
            for (int i = 0; i < n; i++) {
                long d = TestData.ulps(Math.tanh(x[i]), out[i]);
                assertTrue(d <= 3, "tanh(" + x[i] + ") = " + out[i] + ", Math.tanh gives " + Math.tanh(x[i]));
                count[(int) d]++;
                if (r[0] >= 20) assertEquals(Math.copySign(1.0, x[i]), out[i], 0.0, "beyond the clamp");
            }
            System.out.printf("ReproducibleTanh |x| in [%g, %g]: 0 ulp %.4f%%, 1 ulp %.4f%%, 2 ulp %.4f%%, 3 ulp %.5f%%%n",
                    r[0], r[1], 100.0 * count[0] / n, 100.0 * count[1] / n, 100.0 * count[2] / n, 100.0 * count[3] / n);
        }
    }

    /** tanh(−x) = −tanh(x) exactly, tanh(±0) = ±0, NaN → NaN (whatever its sign or payload), ±∞ → ±1. */
    @Test
    void oddSymmetryAndSpecialValues() {
        double[] x = arguments();
        double[] neg = new double[x.length], out = new double[x.length], outNeg = new double[x.length];
        for (int i = 0; i < x.length; i++) neg[i] = -x[i];
        ReproducibleTanh.apply(x, 0, out, 0, x.length);
        ReproducibleTanh.apply(neg, 0, outNeg, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i])) continue;
            assertEquals(Double.doubleToRawLongBits(-out[i]), Double.doubleToRawLongBits(outNeg[i]), "x = " + x[i]);
            assertEquals(Math.copySign(1.0, x[i]), Math.copySign(1.0, out[i]), "sign of tanh(" + x[i] + ")");
            assertTrue(Math.abs(out[i]) <= 1.0, "|tanh(" + x[i] + ")| <= 1");
        }
        double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                Double.longBitsToDouble(0xfff8_0000_0000_0000L), Double.longBitsToDouble(0x7ff0_0000_0000_0001L),
                Double.longBitsToDouble(0x7ff8_dead_beef_0000L)};
        double[] got = new double[special.length];
        ReproducibleTanh.apply(special, 0, got, 0, special.length);
        for (int i = 0; i < special.length; i++) {
            double scalar = ReproducibleTanh.tanh(special[i]);
            if (Double.isNaN(special[i])) {
                assertTrue(Double.isNaN(got[i]) && Double.isNaN(scalar), "NaN in, NaN out: " + special[i]);
            } else {
                double want = Double.isInfinite(special[i]) ? Math.copySign(1.0, special[i]) : special[i];
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[i]), "tanh(" + special[i] + ")");
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(scalar), "twin at " + special[i]);
            }
        }
    }
}
