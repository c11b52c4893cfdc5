package dev.panode.bench.simd;

import dev.panode.simd.GemmThresholds;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses the {@link GemmThresholds} that lose the least time against the faster backend over measured shapes: an
 * exhaustive search over the values the rules can usefully take (each measured volume and its successor for the volume
 * rules — the backward-layout one only when some product is not {@code NT} —, powers of two for the side rules, and
 * "off"; the backward rule's minimum side and upper bound stay off, {@link #score} judges a rule that sets them),
 * scoring each candidate by the summed relative excess
 * {@code Σ chosen / min(java, openblas) − 1}. Of equal scores the first found wins, and candidates are enumerated from
 * the most Java-leaning, so a tie keeps products on the Java kernel (no native call, same bits everywhere).
 */
final class ThresholdFit {
    private ThresholdFit() {}

    /** One measured product: its layout (e.g. "f64 NT"), {@code m×k×n} and the median µs of each backend. */
    record Measured(String layout, int m, int k, int n, double javaMicros, double openblasMicros) {
        /** A double-precision forward ({@code NT}) product. */
        Measured(int m, int k, int n, double javaMicros, double openblasMicros) {
            this("f64 NT", m, k, n, javaMicros, openblasMicros);
        }

        double best() {
            return Math.min(javaMicros, openblasMicros);
        }

        /** @return whether the layout is {@code A·Bᵀ} ("NT"), the one the first two rules alone decide */
        boolean forwardLayout() {
            return layout.endsWith("NT");
        }

        /**
         * @return the time of the backend the thresholds choose; for a whole dense-layer VJP of the layer survey
         *     (layout "… VJP", m its rows) the Java kernels also below the row rule ({@link GemmThresholds#javaVjp})
         */
        double chosen(GemmThresholds t) {
            if (layout.endsWith("VJP") && t.javaVjp(m)) return javaMicros;
            return t.preferBlas(forwardLayout(), m, n, k) ? openblasMicros : javaMicros;
        }

        /** @return e.g. "f64 TN 64x1024x2" */
        String label() {
            return layout + " " + m + "x" + k + "x" + n;
        }
    }

    /**
     * A layer of the layer survey ({@code GemmDispatchSurvey … layers}) under a rule: the time of the rule's choice and
     * of the faster backend, with the backends in words ({@code "J"}, {@code "B"} for a forward pass; for a VJP the
     * backend of {@code Ḡᵀ·X}, then of {@code Ḡ·W}, e.g. {@code "JB"}).
     */
    record Judged(Measured layer, double chosen, String choice, double best, String fastest) {
        double ratio() {
            return chosen / best;
        }
    }

    /**
     * Judges a layer of the layer survey under a rule. A forward pass ({@code NT}) is one product: the backend the
     * rule gives it. A VJP ({@code m×k×n} = rows × out × in) is two products that the rule decides one by one
     * ({@code Ḡᵀ·X}: out × rows → in, layout TN; {@code Ḡ·W}: rows × out → in, NN), or both on the Java kernels below
     * the row rule: when they go the same way, the time is the layer's own with that backend (the Java side is then
     * whatever fused, single-row or narrow-block kernel the layer runs); when they part, it is the OpenBLAS layer's
     * time with each product's OpenBLAS time replaced by the chosen backend's, from the survey's product rows (the
     * block path is the two products and the bias sum). The yardstick is the faster backend, the layer's measured time
     * on the Java kernels or on OpenBLAS.
     *
     * @param survey all rows of the survey file (the product rows are looked up there)
     * @throws IllegalStateException when the rule parts a VJP's products and the survey has no product rows for it
     */
    static Judged judge(Measured layer, GemmThresholds t, List<Measured> survey) {
        if (!layer.layout().endsWith("VJP")) {
            return new Judged(layer, layer.chosen(t), layer.chosen(t) == layer.openblasMicros() ? "B" : "J",
                    layer.best(), layer.javaMicros() <= layer.openblasMicros() ? "J" : "B");
        }
        String dtype = layer.layout().substring(0, layer.layout().indexOf(' '));
        int rows = layer.m(), out = layer.k(), in = layer.n();
        Measured tn = find(survey, dtype + " TN", out, rows, in), nn = find(survey, dtype + " NN", rows, out, in);
        String choice = t.javaVjp(rows) ? "JJ"
                : (t.preferBlas(false, out, in, rows) ? "B" : "J") + (t.preferBlas(false, rows, in, out) ? "B" : "J");
        java.util.Map<String, Double> time = new java.util.LinkedHashMap<>();
        time.put("JJ", layer.javaMicros());
        time.put("BB", layer.openblasMicros());
        if (tn != null && nn != null) {
            double rest = layer.openblasMicros() - tn.openblasMicros() - nn.openblasMicros();
            time.put("JB", rest + tn.javaMicros() + nn.openblasMicros());
            time.put("BJ", rest + tn.openblasMicros() + nn.javaMicros());
        }
        if (!time.containsKey(choice)) {
            throw new IllegalStateException("the rule parts " + layer.label() + "'s products, and the survey has no "
                    + "product rows for it");
        }
        String fastest = layer.javaMicros() <= layer.openblasMicros() ? "JJ" : "BB";
        return new Judged(layer, time.get(choice), choice, time.get(fastest), fastest);
    }

    private static Measured find(List<Measured> survey, String layout, int m, int k, int n) {
        for (Measured s : survey) {
            if (s.layout().equals(layout) && s.m() == m && s.k() == k && s.n() == n) return s;
        }
        return null;
    }

    /** The best thresholds and their score. */
    record Fit(GemmThresholds thresholds, double loss, int worstIndex, double worstRatio) {}

    static Fit fit(List<Measured> shapes) {
        if (shapes.isEmpty()) throw new IllegalArgumentException("shapes must not be empty");
        TreeSet<Long> volumes = new TreeSet<>();
        for (Measured s : shapes) {
            long v = (long) s.m() * s.n() * s.k();
            volumes.add(v);
            volumes.add(v + 1);
        }
        volumes.add(Long.MAX_VALUE);
        boolean backwardLayouts = shapes.stream().anyMatch(s -> !s.forwardLayout());
        int[] sides = {Integer.MAX_VALUE, 1024, 512, 256, 128, 64, 32, 16, 8, 4, 2, 1};
        Fit best = null;
        for (long backward : backwardLayouts ? volumes.descendingSet() : java.util.Set.of(Long.MAX_VALUE)) {
            for (long volume : volumes.descendingSet()) {
                for (int minDim : sides) {
                    if (minDim == Integer.MAX_VALUE) continue;
                    for (int outputSide : sides) {
                        GemmThresholds t = new GemmThresholds(volume, minDim, outputSide, backward);
                        Fit f = score(t, shapes);
                        if (best == null || f.loss() < best.loss() - 1e-12) best = f;
                    }
                }
            }
        }
        return best;
    }

    static Fit score(GemmThresholds t, List<Measured> shapes) {
        double loss = 0, worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < shapes.size(); i++) {
            Measured s = shapes.get(i);
            double ratio = s.chosen(t) / s.best();
            loss += ratio - 1;
            if (ratio > worst) {
                worst = ratio;
                worstIndex = i;
            }
        }
        return new Fit(t, loss, worstIndex, worst);
    }
}
