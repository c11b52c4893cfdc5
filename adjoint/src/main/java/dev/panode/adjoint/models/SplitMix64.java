package dev.panode.adjoint.models;

/**
 * Steele, Lea and Flood's SplitMix64 generator (OOPSLA 2014), the generator that the reference data's
 * {@code model.generator} spells out, so that weights drawn here are bit-for-bit those of the reference files.
 *
 * <p>{@code uniform01 = (next >>> 11)·2⁻⁵³} and {@code uniform(a, b) = a + (b − a)·uniform01}. Not thread-safe;
 * not for cryptography. For statistical work prefer {@link java.util.SplittableRandom}.
 */
public final class SplitMix64 {
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;
    private long state;
    private double spareGaussian = Double.NaN;

    /** A generator whose first output is the SplitMix64 output for {@code seed}. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A double uniform on [0, 1) with 53 random bits. */
    public double uniform01() {
        return (nextLong() >>> 11) * TWO_POW_MINUS_53;
    }

    /** {@code a + (b − a)·uniform01()}. */
    public double uniform(double a, double b) {
        return a + (b - a) * uniform01();
    }

    /** A standard normal deviate (Marsaglia's polar method, one spare kept). */
    public double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u, v, s;
        do {
            u = 2.0 * uniform01() - 1.0;
            v = 2.0 * uniform01() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double m = Math.sqrt(-2.0 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }
}
