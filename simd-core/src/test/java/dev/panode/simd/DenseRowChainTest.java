package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole-chain batch-1 kernel against the layer kernels run one after the other on the same row, and against the
 * same row after the last group of four of a block (the broadcast micro-kernels and the dot form): bit for bit, on narrow and wide
 * first layers, one to three hidden layers, hidden widths a multiple of the vector width (the dot form's zero tail
 * vector) or not, wider than one pass of eight vectors, one to six outputs; the packed parameters kept between calls
 * against parameters changed in place, held or not, and across collections; nothing allocated once warm.
 */
class DenseRowChainTest {
    private static final int L = Simd.LANES;
    private static final int OFF = 5;

    /** Widths: input, hidden..., output (the output narrower than a vector). */
    private static int[][] shapes() {
        return new int[][] {{2, 50, 50, 2}, {2, 50, 2}, {3, 64, 64, 2}, {2, 4 * L, 4 * L, 1}, {2, 3 * L, 2 * L, 3 * L, 2},
                {5, 40, 30, 3}, {2 * L + 1, 50, 50, L - 1}, {4, 100, 70, 2}, {1, L + 1, 1}, {2, 2 * L, 2 * L, L - 1}};
    }

    private static DenseKernel[] kernels(int[] w, ActivationKernel hidden, ActivationKernel output) {
        DenseKernel[] k = new DenseKernel[w.length - 1];
        for (int l = 0; l < k.length; l++) k[l] = DenseKernel.of(w[l], w[l + 1], l == k.length - 1 ? output : hidden);
        return k;
    }

    private static int parameters(int[] w) {
        int n = 0;
        for (int l = 0; l + 1 < w.length; l++) n += w[l + 1] * (w[l] + 1);
        return n;
    }

    /** The layer kernels one by one on {@code rows} rows of x: the reference. */
    private static double[] layerByLayer(DenseKernel[] k, DenseKernel.Workspace[] ws, int[] w, double[] theta,
                                         double[] x, int rows) {
        double[] in = x;
        int off = OFF;
        for (int l = 0; l < k.length; l++) {
            double[] a = new double[rows * w[l + 1]];
            k[l].forward(rows, in, theta, off, off + w[l + 1] * w[l], a, a, ws[l]);
            off += w[l + 1] * (w[l] + 1);
            in = a;
        }
        return in;
    }

    private static DenseKernel.Workspace[] workspaces(DenseKernel[] k) {
        DenseKernel.Workspace[] ws = new DenseKernel.Workspace[k.length];
        for (int l = 0; l < k.length; l++) ws[l] = k[l].newWorkspace();
        return ws;
    }

    @Test
    void aRowGivesTheBitsOfTheLayersOneByOneAndOfTheSameRowInABlock() {
        SplittableRandom rnd = new SplittableRandom(61);
        int chains = 0;
        for (int[] w : shapes()) {
            for (ActivationKernel output : new ActivationKernel[] {ActivationKernel.IDENTITY, ActivationKernel.TANH}) {
                DenseKernel[] k = kernels(w, ActivationKernel.TANH, output);
                DenseRowChain chain = DenseRowChain.of(k);
                if (w[w.length - 1] >= L || w[w.length - 2] < L) {
                    assertNull(chain, Arrays.toString(w) + ": the output layer is not in the dot form");
                    continue;
                }
                assertNotNull(chain, Arrays.toString(w));
                chains++;
                DenseKernel.Workspace[] ws = workspaces(k);
                DenseRowChain.Workspace cws = chain.newWorkspace();
                double[] theta = TestData.uniform(rnd, OFF + parameters(w) + 3, 0.6);
                int rows = 11;
                double[] block = TestData.uniform(rnd, rows * w[0], 2.5);
                block[0] = 0.0;
                block[w[0] - 1] = -0.0;
                double[] blockOut = layerByLayer(k, ws, w, theta, block, rows);
                int out = w[w.length - 1];
                for (int r = 0; r < rows; r++) {
                    double[] x = Arrays.copyOfRange(block, r * w[0], (r + 1) * w[0]);
                    double[] y = new double[out];
                    Arrays.fill(y, Double.NaN);
                    assertTrue(chain.evaluate(x, theta, OFF, y, cws));
                    String what = Arrays.toString(w) + " " + output + " row " + r;
                    assertArrayEquals(layerByLayer(k, ws, w, theta, x, 1), y, what + " against the layers alone");
                    if (r >= rows / 4 * 4) { // a block's rows after its last group of four: the bits of a row alone
                        assertArrayEquals(Arrays.copyOfRange(blockOut, r * out, (r + 1) * out), y, what + " in a block");
                    }
                }
            }
        }
        assertTrue(chains >= 8, "chains checked: " + chains);
    }

    @Test
    void chainsItDoesNotComputeAreRefused() {
        assertNull(DenseRowChain.of(kernels(new int[] {2, 50, 50, 2}, ActivationKernel.RELU, ActivationKernel.IDENTITY)));
        assertNull(DenseRowChain.of(kernels(new int[] {2, 50}, ActivationKernel.TANH, ActivationKernel.IDENTITY)));
        assertNull(DenseRowChain.of(kernels(new int[] {2, 50, 50, 50}, ActivationKernel.TANH, ActivationKernel.IDENTITY)));
        assertNull(DenseRowChain.of(DenseKernel.of(2, 50, ActivationKernel.TANH),
                DenseKernel.of(40, 2, ActivationKernel.IDENTITY)));
        assertNull(DenseRowChain.of(kernels(new int[] {2, 200, 50, 2}, ActivationKernel.TANH, ActivationKernel.IDENTITY)));
    }

    @Test
    void parametersChangedInPlaceAreSeenUnheldAndAfterAHold() {
        SplittableRandom rnd = new SplittableRandom(67);
        int[] w = {2, 50, 50, 2};
        DenseKernel[] k = kernels(w, ActivationKernel.TANH, ActivationKernel.IDENTITY);
        DenseRowChain chain = DenseRowChain.of(k);
        DenseKernel.Workspace[] ws = workspaces(k);
        DenseRowChain.Workspace cws = chain.newWorkspace();
        double[] theta = TestData.uniform(rnd, OFF + parameters(w), 0.6);
        double[] x = {0.7, -1.3}, y = new double[2];
        int n = parameters(w);
        // a weight of each layer, a bias of each layer, the last parameter, a sign bit alone
        for (int i : new int[] {0, 99, 100, 149, 150, 2649, 2650, 2699, 2700, 2799, 2800, n - 1}) {
            theta[OFF + i] += i % 2 == 0 ? 0.25 : -0.125;
            chain.evaluate(x, theta, OFF, y, cws);
            assertArrayEquals(layerByLayer(k, ws, w, theta, x, 1), y, "parameter " + i + " changed");
        }
        theta[OFF + 7] = -theta[OFF + 7];
        chain.evaluate(x, theta, OFF, y, cws);
        assertArrayEquals(layerByLayer(k, ws, w, theta, x, 1), y, "a sign changed");
        for (int hold = 0; hold < 3; hold++) {
            cws.holdWeights();
            for (int call = 0; call < 70; call++) { // past a probe of the alignment
                chain.evaluate(x, theta, OFF, y, cws);
                assertArrayEquals(layerByLayer(k, ws, w, theta, x, 1), y, "hold " + hold + ", call " + call);
                if (call % 30 == 0) System.gc(); // the collector may move the packed array during a hold
            }
            cws.releaseWeights();
            theta[OFF + 150 + 37 * hold] += 0.5; // changed between holds: the next call must see it
            chain.evaluate(x, theta, OFF, y, cws);
            assertArrayEquals(layerByLayer(k, ws, w, theta, x, 1), y, "after hold " + hold);
        }
    }

    @Test
    void nothingIsAllocatedOnceWarmHeldOrNot() {
        SplittableRandom rnd = new SplittableRandom(71);
        for (int[] w : new int[][] {{2, 50, 50, 2}, {2, 50, 2}, {5, 40, 30, 3}, {4, 100, 70, 2}, {2, 50, 50, 1}}) {
            DenseRowChain chain = DenseRowChain.of(kernels(w, ActivationKernel.TANH, ActivationKernel.IDENTITY));
            DenseRowChain.Workspace plain = chain.newWorkspace(), held = chain.newWorkspace();
            held.holdWeights();
            double[] theta = TestData.uniform(rnd, OFF + parameters(w), 0.6);
            double[] x = TestData.uniform(rnd, w[0], 1.0), y = new double[w[w.length - 1]];
            Allocations.assertNoAllocation("chain " + Arrays.toString(w), 30_000, 2_000,
                    () -> chain.evaluate(x, theta, OFF, y, plain));
            Allocations.assertNoAllocation("chain held " + Arrays.toString(w), 30_000, 2_000,
                    () -> chain.evaluate(x, theta, OFF, y, held));
        }
    }
}
