package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationKernelTest {

    /**
     * Largest distance, in ulp, between the vector kernel and the {@link Math}-based scalar oracle, per activation
     * (measured in {@link #ulpErrorAgainstMath}; documented in docs/benchmarks/simd.md). The vector tanh is panode's {@link ReproducibleTanh}; exp, log1p,
     * sin and cos are the JDK's SVML intrinsics. For the derivatives: tanh', sigmoid', relu' and identity' are
     * plain arithmetic (exact); softplus' is a sigmoid; sin' is a cos.
     */
    static int ulpBound(ActivationKernel act) {
        return switch (act) {
            case RELU, IDENTITY -> 0;
            case TANH -> 3;           // ReproducibleTanh (same bits compiled or not): 3 ulp in ~5e-6 of arguments in [0.1, 0.3], 2 in 11% of [0.5, 20]
            case SIN -> 2;            // measured 1
            case SOFTPLUS -> 3;       // measured 2
            case SIGMOID -> 4;        // measured 4, for u < -36 where e⁻ᵘ is huge (two exps' errors add)
        };
    }

    static Stream<Arguments> cases() {
        return TestData.lengths().boxed().flatMap(n -> Stream.of(ActivationKernel.values()).map(a -> Arguments.of(a, n)));
    }

    @ParameterizedTest(name = "{0} cols={1}")
    @MethodSource("cases")
    void biasActivateMatchesScalarTwin(ActivationKernel act, int cols) {
        SplittableRandom rnd = new SplittableRandom(cols * 13L + act.ordinal());
        int rows = 3, xOff = 1, bOff = 2, uOff = 3, aOff = 4;
        double[] x = TestData.uniform(rnd, xOff + rows * cols, 4.0);
        double[] bias = TestData.uniform(rnd, bOff + cols, 1.0);
        double[] u = new double[uOff + rows * cols + 1];
        double[] a = new double[aOff + rows * cols + 1];
        double[] uWant = u.clone();
        double[] aWant = a.clone();
        act.biasActivate(x, xOff, bias, bOff, rows, cols, u, uOff, a, aOff);
        act.biasActivateScalar(x, xOff, bias, bOff, rows, cols, uWant, uOff, aWant, aOff);
        for (int i = 0; i < u.length; i++) assertEquals(uWant[i], u[i], 0.0, "u " + i);
        for (int i = 0; i < a.length; i++) {
            assertTrue(TestData.ulps(aWant[i], a[i]) <= ulpBound(act), act + " a " + i + ": " + aWant[i] + " vs " + a[i]);
        }
        // the plain array form agrees with the fused one
        double[] a2 = new double[rows * cols];
        act.apply(u, uOff, a2, 0, rows * cols);
        for (int i = 0; i < rows * cols; i++) assertEquals(a[aOff + i], a2[i], 0.0);
    }

    /**
     * In place ({@code u} and {@code a} the same block: the pre-activation not kept), where tanh adds each row's bias
     * inside its pass over rows of whole vectors: the bits of the two-pass form into separate arrays, zero signs and
     * ±∞ included.
     */
    @ParameterizedTest(name = "{0} cols={1}")
    @MethodSource("cases")
    void biasActivateInPlaceGivesTheBitsOfTheTwoPassForm(ActivationKernel act, int cols) {
        SplittableRandom rnd = new SplittableRandom(cols * 17L + act.ordinal());
        int rows = 5, xOff = 2, bOff = 1;
        double[] x = TestData.uniform(rnd, xOff + rows * cols, 6.0);
        double[] bias = TestData.uniform(rnd, bOff + cols, 1.0);
        if (cols > 0) {
            x[xOff] = -0.0;
            bias[bOff] = -0.0;
            x[x.length - 1] = Double.NEGATIVE_INFINITY;
        }
        double[] u = new double[rows * cols], a = new double[rows * cols];
        act.biasActivate(x, xOff, bias, bOff, rows, cols, u, 0, a, 0);
        double[] block = x.clone();
        act.biasActivate(block, xOff, bias, bOff, rows, cols, block, xOff, block, xOff);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(block[xOff + i]),
                    act + " a " + i + ": " + a[i] + " vs " + block[xOff + i]);
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void derivativeTimesMatchesScalarTwin(ActivationKernel act, int n) {
        SplittableRandom rnd = new SplittableRandom(n * 17L + act.ordinal());
        double[] u = TestData.uniform(rnd, n + 1, 4.0);
        double[] a = new double[n + 1];
        act.applyScalar(u, 0, a, 0, n + 1);
        double[] g = TestData.uniform(rnd, n + 2, 3.0);
        double[] gWant = g.clone();
        act.derivativeTimes(u, 1, a, 1, g, 2, n - Math.min(n, 1));
        act.derivativeTimesScalar(u, 1, a, 1, gWant, 2, n - Math.min(n, 1));
        int bound = act == ActivationKernel.SOFTPLUS || act == ActivationKernel.SIN ? ulpBound(act) + 1 : 0;
        for (int i = 0; i < g.length; i++) {
            assertTrue(TestData.ulps(gWant[i], g[i]) <= bound, act + " g " + i + ": " + gWant[i] + " vs " + g[i]);
        }
    }

    /** The fused pass gives the bits of {@link ActivationKernel#derivativeTimes} then {@link ColumnSums#accumulate}. */
    @ParameterizedTest(name = "{0} cols={1}")
    @MethodSource("cases")
    void derivativeTimesColumnSumsIsTheTwoPasses(ActivationKernel act, int cols) {
        SplittableRandom rnd = new SplittableRandom(cols * 19L + act.ordinal());
        int rows = 37, n = rows * cols; // several blocks of rows, the last one partial
        double[] u = TestData.uniform(rnd, n + 3, 4.0);
        double[] a = new double[n + 3];
        act.apply(u, 0, a, 0, n + 3);
        double[] g = TestData.uniform(rnd, n + 1, 3.0);
        double[] sums = TestData.uniform(rnd, cols + 2, 1.0);
        double[] gWant = g.clone();
        double[] sumsWant = sums.clone();
        act.derivativeTimesColumnSums(u, 2, a, 3, g, 1, rows, cols, sums, 2);
        act.derivativeTimes(u, 2, a, 3, gWant, 1, n);
        ColumnSums.accumulate(gWant, 1, rows, cols, sumsWant, 2);
        for (int i = 0; i < g.length; i++) assertEquals(gWant[i], g[i], 0.0, act + " g " + i);
        for (int i = 0; i < sums.length; i++) assertEquals(sumsWant[i], sums[i], 0.0, act + " sums " + i);
    }

    @ParameterizedTest
    @EnumSource(ActivationKernel.class)
    void nanPropagatesAndInfIsHandled(ActivationKernel act) {
        int n = TestData.MAX_LENGTH;
        for (int pos = 0; pos < n; pos++) {
            double[] x = new double[n];
            x[pos] = Double.NaN;
            double[] bias = new double[n];
            double[] u = new double[n];
            double[] a = new double[n];
            act.biasActivate(x, 0, bias, 0, 1, n, u, 0, a, 0);
            assertTrue(Double.isNaN(a[pos]), act + " pos " + pos);
            double[] g = new double[n];
            java.util.Arrays.fill(g, 1.0);
            g[pos] = Double.NaN;
            act.derivativeTimes(u, 0, a, 0, g, 0, n);
            assertTrue(Double.isNaN(g[pos]), act + " derivative pos " + pos);
        }
        double[] inf = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 800, -800, 0.0, -0.0};
        double[] got = new double[inf.length];
        double[] want = new double[inf.length];
        act.apply(inf, 0, got, 0, inf.length);
        act.applyScalar(inf, 0, want, 0, inf.length);
        for (int i = 0; i < inf.length; i++) {
            if (act == ActivationKernel.SIN && Double.isInfinite(inf[i])) {
                assertTrue(Double.isNaN(got[i]));
            } else if (act == ActivationKernel.SIN && Math.abs(inf[i]) == 800) {
                assertTrue(TestData.ulps(want[i], got[i]) <= ulpBound(act), act + " " + inf[i]);
            } else {
                assertEquals(want[i], got[i], 0.0, act + " at " + inf[i]);
            }
        }
    }

    /**
     * Until C2 compiles the kernels, the Vector API runs its Java fallback, which calls {@link Math} lane by lane;
     * the SVML intrinsics only appear in compiled code. Run every kernel long enough to be compiled.
     */
    static void warmUp() {
        double[] u = TestData.uniform(new SplittableRandom(1), 256, 3.0);
        double[] out = new double[256];
        for (int rep = 0; rep < 40_000; rep++) {
            for (ActivationKernel act : ActivationKernel.values()) act.apply(u, 0, out, 0, 256);
        }
    }

    /**
     * The ulp error of the vector activations against {@link Math} over the ranges an MLP sees, and beyond. Prints
     * the measured maxima (recorded in docs/benchmarks/simd.md) and holds them to {@link #ulpBound}.
     */
    @Test
    void ulpErrorAgainstMath() {
        SplittableRandom rnd = new SplittableRandom(2026);
        double[][] ranges = {{-1, 1}, {-5, 5}, {-40, 40}, {-1e-6, 1e-6}, {-700, 700}};
        int n = 1 << 15;
        warmUp();
        for (ActivationKernel act : new ActivationKernel[] {ActivationKernel.TANH, ActivationKernel.SOFTPLUS, ActivationKernel.SIGMOID, ActivationKernel.SIN}) {
            StringBuilder line = new StringBuilder(act + " max ulp vs Math:");
            for (double[] r : ranges) {
                double[] u = TestData.uniform(rnd, n, r[0], r[1]);
                double[] got = new double[n];
                double[] want = new double[n];
                act.apply(u, 0, got, 0, n);
                act.applyScalar(u, 0, want, 0, n);
                long worst = 0;
                double at = 0;
                for (int i = 0; i < n; i++) {
                    long d = TestData.ulps(want[i], got[i]);
                    if (d > worst) {
                        worst = d;
                        at = u[i];
                    }
                }
                line.append(String.format(" [%g, %g]: %d (at %.17g);", r[0], r[1], worst, at));
                assertTrue(worst <= ulpBound(act), act + " range " + r[0] + ".." + r[1] + ": " + worst + " ulp at " + at);
            }
            System.out.println(line);
        }
    }
}
