package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The D = 2 vector kernels against their scalar twins (the plain loops of the definition), over sample counts with and
 * without a partial vector and across more than one block; they differ by the order of the sums only.
 */
class HyperCnfKernelsTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 8, 37, 512, 601})
    void vectorKernelsAreTheScalarOnes(int n) {
        int d = 2, units = 19, ld = n + 3;
        SplittableRandom rnd = new SplittableRandom(n);
        double[] z = TestData.uniform(rnd, d * ld, 2.0), a = TestData.uniform(rnd, (d + 1) * ld, 1.0);
        double[] w = TestData.uniform(rnd, units * d, 1.5), u = TestData.uniform(rnd, units * d, 1.0);
        double[] b = TestData.uniform(rnd, units, 1.0), c = TestData.uniform(rnd, units, 1.0);

        double[] out = new double[(d + 1) * ld], want = new double[(d + 1) * ld];
        HyperCnfKernels.forward(n, d, units, z, ld, w, b, u, c, out, new double[HyperCnfKernels.scratchLength(units)]);
        HyperCnfKernels.forwardScalar(n, d, units, z, ld, w, b, u, c, want);
        assertClose(want, out, "forward");

        double[] zBar = new double[d * ld], wBar = new double[units * d], bBar = new double[units];
        double[] uBar = new double[units * d], cBar = new double[units], fOut = new double[(d + 1) * ld];
        double[] zBar0 = new double[d * ld], wBar0 = new double[units * d], bBar0 = new double[units];
        double[] uBar0 = new double[units * d], cBar0 = new double[units], fOut0 = new double[(d + 1) * ld];
        wBar[3] = wBar0[3] = 0.25; // accumulated, not overwritten
        HyperCnfKernels.backward(n, d, units, z, a, ld, w, b, u, c, zBar, wBar, bBar, uBar, cBar, fOut,
                new double[HyperCnfKernels.scratchLength(units)]);
        HyperCnfKernels.backwardScalar(n, d, units, z, a, ld, w, b, u, c, zBar0, wBar0, bBar0, uBar0, cBar0, fOut0);
        assertClose(zBar0, zBar, "z̄");
        assertClose(wBar0, wBar, "W̄");
        assertClose(bBar0, bBar, "b̄");
        assertClose(uBar0, uBar, "Ū");
        assertClose(cBar0, cBar, "c̄");
        assertClose(fOut0, fOut, "f from the backward kernel");
        assertClose(want, fOut, "the backward kernel's f is the forward's");
    }

    private static void assertClose(double[] want, double[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-12 * Math.max(1.0, Math.abs(want[i])), what + "[" + i + "]");
        }
    }
}
