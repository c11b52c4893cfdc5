package dev.panode.solvers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Test-only MLP field f(z) = W3 tanh(W2 tanh(W1 z + b1) + b2) + b3 in plain loops (the reference's model
 * convention: each layer computes z Wᵀ + b). Allocation-free after construction of its workspace.
 */
final class TestMlp implements VectorField {
    final int d, hidden;
    final double[][] w = new double[3][];
    final double[][] b = new double[3][];
    final int[] in = new int[3], out = new int[3];

    TestMlp(JsonNode layers) {
        for (int l = 0; l < 3; l++) {
            JsonNode layer = layers.get(l);
            out[l] = layer.get("W").size();
            in[l] = layer.get("W").get(0).size();
            w[l] = Reference.flat(layer.get("W"));
            b[l] = Reference.flat(layer.get("b"));
        }
        d = in[0];
        hidden = out[0];
    }

    /** The weights regenerated from the generator spec (SplitMix64; uniform(-k, k), k = scale/sqrt(fan_in)). */
    TestMlp(int d, int hidden, long seed, double scale) {
        this.d = d;
        this.hidden = hidden;
        int[][] shapes = {{hidden, d}, {hidden, hidden}, {d, hidden}};
        SplitMix64 rng = new SplitMix64(seed);
        for (int l = 0; l < 3; l++) {
            out[l] = shapes[l][0];
            in[l] = shapes[l][1];
            double k = scale / Math.sqrt(in[l]);
            w[l] = new double[out[l] * in[l]];
            for (int i = 0; i < w[l].length; i++) w[l][i] = rng.uniform(-k, k);
            b[l] = new double[out[l]];
            for (int i = 0; i < b[l].length; i++) b[l][i] = rng.uniform(-k, k);
        }
    }

    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            state = seed;
        }

        long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        double uniform01() {
            return (next() >>> 11) * 0x1.0p-53;
        }

        double uniform(double a, double b) {
            return a + (b - a) * uniform01();
        }
    }

    static final class Ws implements FieldWorkspace {
        final double[] h1, h2;

        Ws(int rows, int hidden) {
            h1 = new double[rows * hidden];
            h2 = new double[rows * hidden];
        }
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        return new Ws(maxRows, hidden);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace fws) {
        Ws ws = (Ws) fws;
        layer(0, y, ws.h1, rows, true);
        layer(1, ws.h1, ws.h2, rows, true);
        layer(2, ws.h2, dyOut, rows, false);
    }

    private void layer(int l, double[] x, double[] o, int rows, boolean tanh) {
        int ni = in[l], no = out[l];
        double[] wl = w[l], bl = b[l];
        for (int r = 0; r < rows; r++) {
            int xo = r * ni;
            for (int j = 0; j < no; j++) {
                double acc = bl[j];
                int wo = j * ni;
                for (int i = 0; i < ni; i++) acc += wl[wo + i] * x[xo + i];
                o[r * no + j] = tanh ? Math.tanh(acc) : acc;
            }
        }
    }

    double[] checksums() {
        double n = 0, sum = 0, sq = 0;
        for (int l = 0; l < 3; l++) {
            for (double v : w[l]) { n++; sum += v; sq += v * v; }
            for (double v : b[l]) { n++; sum += v; sq += v * v; }
        }
        return new double[]{n, sum, sq};
    }
}
