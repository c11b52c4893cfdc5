package dev.panode.adjoint.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every layer's VJP (input, parameter and time cotangents) against central finite differences of its forward pass,
 * over random shapes and seeds; the fused Dense+activation runs against the same layers one by one; GELU's Φ against
 * tabulated values.
 */
class LayerVjpTest {
    private static final int SEEDS = 6;
    private static final double TOLERANCE = 1e-7;

    /** A random shape per seed: {@code make.apply(width)} with widths 1..7 and rows 1..5. */
    private static void assertVjp(String name, IntFunction<Layer> make) {
        SplitMix64 rng = new SplitMix64(name.hashCode());
        for (int seed = 0; seed < SEEDS; seed++) {
            int width = 1 + (int) (rng.uniform01() * 7);
            int rows = 1 + (int) (rng.uniform01() * 5);
            Layer layer = make.apply(width);
            LayerCheck.Errors e = LayerCheck.check(layer, rows, 1000L * seed + width);
            assertTrue(e.max() < TOLERANCE, name + " " + layer + " rows=" + rows + " seed=" + seed + ": " + e);
        }
    }

    @Test
    void dense() {
        assertVjp("dense", w -> new Dense(w, 8 - w));
    }

    @Test
    void activations() {
        for (Activation a : Activation.values()) {
            if (a == Activation.RELU) continue; // below, away from the kink
            assertVjp(a.name(), w -> new ActivationLayer(a, w));
        }
    }

    @Test
    void reluAwayFromItsKink() {
        // x uniform in [-1, 1]: a kink within 2h = 2e-4 of a sample has probability about 1e-4 per element
        assertVjp("relu", w -> new ActivationLayer(Activation.RELU, w));
    }

    @Test
    void gelu() {
        assertVjp("gelu", Gelu::new);
        assertVjp("gelu-tanh", w -> new Gelu(w, true));
    }

    @Test
    void timeInputs() {
        assertVjp("concat-time", ConcatTime::new);
        assertVjp("concat-squash", w -> new ConcatSquash(w, 9 - w));
    }

    @Test
    void timeDerivativesAreNonZeroWhereTheLayerReadsTime() {
        Layer squash = new ConcatSquash(3, 4);
        double[] x = {0.1, -0.2, 0.3};
        double[] theta = new double[squash.parameterCount()];
        for (int i = 0; i < theta.length; i++) theta[i] = Math.sin(i + 1.0);
        double[] y = new double[4];
        double[] yBar = {1, -1, 0.5, 2};
        LayerWorkspace ws = squash.newWorkspace(1);
        squash.forward(x, y, 1, Times.of(0.7), theta, 0, ws);
        double tBar = squash.backward(x, y, yBar, new double[3], 1, Times.of(0.7), theta, 0, null, true, ws);
        assertTrue(Math.abs(tBar) > 1e-3, "tBar = " + tBar);
        assertEquals(0.0, squash.backward(x, y, yBar, new double[3], 1, Times.of(0.7), theta, 0, null, false, ws));
    }

    @Test
    void fixedTransform() {
        assertVjp("cube", FixedTransform::cube);
    }

    @Test
    void residualAndBranches() {
        assertVjp("residual", w -> new Residual(Sequential.builder(w).dense(5).tanh().dense(w).build()));
        assertVjp("sum", w -> Branches.sum(new Dense(w, 3), Sequential.builder(w).concatTime().dense(3).sin().build()));
        assertVjp("product", w -> Branches.product(new Dense(w, 4),
                Sequential.builder(w).dense(4).sigmoid().build(), new ConcatSquash(w, 4)));
    }

    @Test
    void sequentials() {
        assertVjp("mlp", w -> Sequential.builder(w).dense(6).tanh().dense(6).softplus().dense(w).build());
        assertVjp("mixed", w -> Sequential.builder(w).cube().concatTime().dense(5).tanh().add(new Gelu(5))
                .concatSquash(4).add(new Residual(new Dense(4, 4))).dense(4).relu().dense(w).add(new ScaledTanh(w))
                .build());
        assertVjp("nested", w -> Sequential.of(Sequential.builder(w).dense(3).build(),
                Sequential.builder(3).tanh().dense(w).build()));
    }

    @Test
    void userWrittenLayer() {
        assertVjp("scaled-tanh", ScaledTanh::new);
    }

    /** A layer whose backward forgets the activation's derivative: the check must see it. */
    @Test
    void theCheckSeesAWrongVjp() {
        Layer wrong = new Layer() {
            @Override
            public int inputWidth() {
                return 3;
            }

            @Override
            public int outputWidth() {
                return 3;
            }

            @Override
            public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset,
                                LayerWorkspace ws) {
                for (int i = 0; i < rows * 3; i++) y[i] = Math.tanh(x[i]);
            }

            @Override
            public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time,
                                   double[] theta, int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
                System.arraycopy(yBar, 0, xBar, 0, rows * 3);
                return 0.0;
            }
        };
        assertTrue(LayerCheck.check(wrong, 4, 1).input() > 0.05);
    }

    /** Dense+activation runs fused into the MLP kernels give what the same layers give one by one. */
    @Test
    void fusedRunsEqualTheLayersOneByOne() {
        List<Layer> layers = List.of(new ConcatTime(3), new Dense(4, 7), new ActivationLayer(Activation.TANH, 7),
                new Dense(7, 5), new Dense(5, 6), new ActivationLayer(Activation.SOFTPLUS, 6), new Gelu(6),
                new Dense(6, 3));
        Sequential fused = Sequential.of(layers);
        int rows = 4;
        SplitMix64 rng = new SplitMix64(5);
        double[] theta = new double[fused.parameterCount()];
        for (int i = 0; i < theta.length; i++) theta[i] = rng.uniform(-1, 1);
        double[] x = new double[rows * 3];
        double[] yBar = new double[rows * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(-1, 1);
            yBar[i] = rng.uniform(-1, 1);
        }
        Times time = Times.of(0.3);
        double[] y = new double[rows * 3];
        double[] xBar = new double[rows * 3];
        double[] thetaBar = new double[theta.length];
        LayerWorkspace ws = fused.newWorkspace(rows);
        fused.forward(x, y, rows, time, theta, 0, ws);
        double tBar = fused.backward(x, y, yBar, xBar, rows, time, theta, 0, thetaBar, true, ws);

        List<double[]> acts = new ArrayList<>();
        List<LayerWorkspace> works = new ArrayList<>();
        acts.add(x);
        for (int k = 0; k < layers.size(); k++) {
            Layer l = layers.get(k);
            double[] out = new double[rows * l.outputWidth()];
            works.add(l.newWorkspace(rows));
            l.forward(acts.get(k), out, rows, time, theta, fused.parameterOffset(k), works.get(k));
            acts.add(out);
        }
        assertArrayEquals(acts.getLast(), y, 1e-14); // softplus may differ in the last bit, see below
        double[] g = yBar;
        double[] oneByOne = new double[theta.length];
        double tOneByOne = 0.0;
        for (int k = layers.size() - 1; k >= 0; k--) {
            Layer l = layers.get(k);
            double[] dest = new double[rows * l.inputWidth()];
            tOneByOne += l.backward(acts.get(k), acts.get(k + 1), g, dest, rows, time, theta, fused.parameterOffset(k),
                    oneByOne, true, works.get(k));
            g = dest;
        }
        assertArrayEquals(g, xBar, 1e-14);
        assertArrayEquals(oneByOne, thetaBar, 1e-14);
        assertEquals(tOneByOne, tBar, 1e-14);
        double[] plain = new double[rows * 3];
        fused.evaluate(x, plain, rows, time, theta, 0, ws);
        assertArrayEquals(y, plain, 1e-14); // softplus: SVML once compiled, Math before (Activation's Javadoc)
    }

    @Test
    void sequentialLayoutIsTorchSequentialOrder() {
        Sequential s = Sequential.builder(2).dense(5).tanh().dense(3).concatSquash(2).build();
        assertEquals(0, s.parameterOffset(0));
        assertEquals(15, s.parameterOffset(1)); // after 0.weight [5, 2] and 0.bias [5]
        assertEquals(15, s.parameterOffset(2));
        assertEquals(33, s.parameterOffset(3));
        assertArrayEquals(new int[] {10, 5, 15, 3, 6, 2, 2, 2, 2}, s.parameterTensorSizes());
        assertEquals(33 + 6 + 8, s.parameterCount());
    }

    @Test
    void perRowTimesEqualOneTimeWhenTheyAgree() {
        Layer l = Sequential.builder(2).concatTime().dense(4).tanh().concatSquash(2).build();
        double[] theta = new double[l.parameterCount()];
        for (int i = 0; i < theta.length; i++) theta[i] = Math.cos(i);
        double[] x = {0.1, 0.2, -0.3, 0.4, 0.5, -0.6};
        double[] a = new double[6];
        double[] b = new double[6];
        l.forward(x, a, 3, Times.of(0.25), theta, 0, l.newWorkspace(3));
        l.forward(x, b, 3, Times.perRow(new double[] {0.25, 0.25, 0.25}), theta, 0, l.newWorkspace(3));
        assertArrayEquals(a, b, 0.0);
    }

    @Test
    void geluMatchesTabulatedValues() {
        // Φ(x) = ½ erfc(−x/√2); erfc from Abramowitz & Stegun's tables, to 16 digits
        assertEquals(0.4795001221869535, Gelu.erfc(0.5), 3e-16);
        assertEquals(0.1572992070502851, Gelu.erfc(1.0), 3e-16);
        assertEquals(4.069520174449590e-4, Gelu.erfc(2.5), 4.07e-4 * 1e-14);
        assertEquals(2.209049699858544e-5, Gelu.erfc(3.0), 2.21e-5 * 1e-14);
        assertEquals(1.541725790028002e-8, Gelu.erfc(4.0), 1.55e-8 * 1e-14);
        assertEquals(2.0 - 0.1572992070502851, Gelu.erfc(-1.0), 1e-15);
        assertEquals(1.0, Gelu.erfc(0.0), 0.0);
        Gelu g = new Gelu(1);
        assertEquals(0.8413447460685429, g.value(1.0), 1e-15);
        assertEquals(-0.15865525393145707, g.value(-1.0), 1e-15);
        assertEquals(1.9544997361036416, g.value(2.0), 1e-15);
    }

    @Test
    void badCompositionsAreRejectedWithTheirNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sequential.of(new Dense(2, 3), new Dense(4, 2)));
        assertTrue(e.getMessage().contains("layers[1].inputWidth()"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Residual(new Dense(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Branches.sum(new Dense(2, 3), new Dense(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> new Dense(0, 3));
        assertThrows(IllegalArgumentException.class, () -> Sequential.builder(2).add(new Dense(3, 3)));
        assertThrows(IllegalArgumentException.class, () -> new LayerField(new Dense(2, 3), new double[9]));
        assertThrows(IllegalArgumentException.class, () -> new LayerField(new Dense(2, 2), new double[5]));
    }
}
