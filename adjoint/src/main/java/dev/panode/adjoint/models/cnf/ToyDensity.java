package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.SplitMix64;
import java.util.Locale;

/**
 * FFJORD's 2-D toy densities (Grathwohl et al. 2019, the generators of its toy experiments), sampled in Java from a
 * seeded {@link SplitMix64}. The distributions are FFJORD's; where its generator places points on a deterministic grid
 * or in equal class counts (scikit-learn's {@code make_moons}, {@code make_circles}; the pinwheel's arms), each point
 * here draws its angle or class at random, so that every sample is independent and identically distributed.
 */
public enum ToyDensity implements SampleSource {
    /**
     * Eight Gaussians of standard deviation 0.5/1.414 centred on a circle of radius 4/1.414 (angles kπ/4). Its
     * differential entropy is 2.831 nats (the components barely overlap: log 8 + log(2πe·0.125) ≈ 2.838 minus the
     * overlap), the best NLL any model can reach.
     */
    EIGHT_GAUSSIANS("8gaussians"),
    /**
     * Two interleaved half circles ({@code make_moons}, noise 0.1), scaled by 2 and shifted by (−1, −0.2).
     */
    MOONS("moons"),
    /** Two concentric circles of radii 3 and 1.5 ({@code make_circles}, factor 0.5, noise 0.08, scaled by 3). */
    CIRCLES("circles"),
    /**
     * Five spiral arms: a radial coordinate N(1, 0.3²) and a tangential one N(0, 0.1²) rotated by the arm's angle
     * 2πk/5 plus 0.25·e^radial, scaled by 2.
     */
    PINWHEEL("pinwheel"),
    /** Uniform on the eight black squares of a 4 × 4 checkerboard of side 2 covering [−4, 4]². */
    CHECKERBOARD("checkerboard");

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

    private final String cliName;

    ToyDensity(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line and in model files ({@code 8gaussians}, {@code moons}, …). */
    public String cliName() {
        return cliName;
    }

    /**
     * The density of a command-line name (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ToyDensity parse(String name) {
        for (ToyDensity d : values()) if (d.cliName.equalsIgnoreCase(name)) return d;
        StringBuilder names = new StringBuilder();
        for (ToyDensity d : values()) names.append(names.isEmpty() ? "" : ", ").append(d.cliName);
        throw new IllegalArgumentException("DATASET must be one of " + names + ", got " + name);
    }

    /**
     * {@code n} independent samples, row-major {@code n × 2}, from {@code rng}: the same seed gives the same points.
     *
     * @throws IllegalArgumentException when n is below 1 or rng is null
     */
    public double[] sample(int n, SplitMix64 rng) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (rng == null) throw new IllegalArgumentException("rng must be non-null");
        double[] out = new double[2 * n];
        sampleInto(n, rng, out, 0, 2);
        return out;
    }

    /**
     * {@code n} samples into {@code out}: sample i's (x, y) at {@code offset + i·stride}; the other columns of a row
     * (stride &gt; 2) are left alone. Allocates nothing; the same draws as {@link #sample}.
     */
    @Override
    public void sampleInto(int n, SplitMix64 rng, double[] out, int offset, int stride) {
        for (int i = 0; i < n; i++) point(rng, out, offset + i * stride);
    }

    private void point(SplitMix64 rng, double[] out, int at) {
        double x, y;
        switch (this) {
            case EIGHT_GAUSSIANS -> {
                double gx = rng.gaussian(), gy = rng.gaussian();
                int k = (int) (rng.uniform01() * 8);
                double cx, cy;
                if (k < 4) {
                    cx = k == 0 ? 1 : k == 1 ? -1 : 0;
                    cy = k == 2 ? 1 : k == 3 ? -1 : 0;
                } else {
                    cx = k < 6 ? INV_SQRT2 : -INV_SQRT2;
                    cy = k % 2 == 0 ? INV_SQRT2 : -INV_SQRT2;
                }
                x = (0.5 * gx + 4.0 * cx) / 1.414;
                y = (0.5 * gy + 4.0 * cy) / 1.414;
            }
            case MOONS -> {
                double a = Math.PI * rng.uniform01();
                boolean outer = rng.uniform01() < 0.5;
                double mx = outer ? Math.cos(a) : 1.0 - Math.cos(a);
                double my = outer ? Math.sin(a) : 1.0 - Math.sin(a) - 0.5;
                x = 2.0 * (mx + 0.1 * rng.gaussian()) - 1.0;
                y = 2.0 * (my + 0.1 * rng.gaussian()) - 0.2;
            }
            case CIRCLES -> {
                double a = 2.0 * Math.PI * rng.uniform01();
                double r = rng.uniform01() < 0.5 ? 1.0 : 0.5;
                x = 3.0 * (r * Math.cos(a) + 0.08 * rng.gaussian());
                y = 3.0 * (r * Math.sin(a) + 0.08 * rng.gaussian());
            }
            case PINWHEEL -> {
                double radial = 1.0 + 0.3 * rng.gaussian();
                double tangential = 0.1 * rng.gaussian();
                int arm = (int) (rng.uniform01() * 5);
                double angle = 2.0 * Math.PI * arm / 5 + 0.25 * Math.exp(radial);
                double c = Math.cos(angle), s = Math.sin(angle);
                x = 2.0 * (radial * c + tangential * s);
                y = 2.0 * (-radial * s + tangential * c);
            }
            case CHECKERBOARD -> {
                double x1 = 4.0 * rng.uniform01() - 2.0;
                double x2 = rng.uniform01() - (rng.uniform01() < 0.5 ? 0.0 : 2.0);
                x2 += Math.floorMod((long) Math.floor(x1), 2L);
                x = 2.0 * x1;
                y = 2.0 * x2;
            }
            default -> throw new AssertionError(this);
        }
        out[at] = x;
        out[at + 1] = y;
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
