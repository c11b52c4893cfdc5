package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reproducible tanh: the vector kernel equals its scalar twin bit for bit, and both stay within 3 ulp of Math. */
class ReproducibleTanhTest {

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
        double[] special = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, 0.34657359, 0.3465736, 19.99, 20.0, 20.01,
                700, -700, 1e300, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
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
}
