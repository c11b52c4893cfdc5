package dev.panode.adjoint.models;

/**
 * Seeded initialisation of one dense layer {@code out × in}. Entries are drawn from a {@link SplitMix64} in the flat
 * parameter order (W row-major, then b), layer after layer.
 *
 * <ul>
 *   <li>{@link #PYTORCH_DEFAULT}: {@code torch.nn.Linear}'s default, W and b ~ U(−1/√in, 1/√in) (He et al.'s uniform
 *       with a = √5 reduces to this bound). With the same seed this reproduces the reference files' weights
 *       (their {@code model.generator} with scale 1).</li>
 *   <li>{@link #XAVIER_UNIFORM}: Glorot and Bengio 2010, W ~ U(−√(6/(in+out)), √(6/(in+out))), b = 0. For tanh/sigmoid.</li>
 *   <li>{@link #XAVIER_NORMAL}: W ~ N(0, 2/(in+out)), b = 0.</li>
 *   <li>{@link #HE_UNIFORM}: He et al. 2015, W ~ U(−√(6/in), √(6/in)), b = 0. For ReLU.</li>
 *   <li>{@link #HE_NORMAL}: W ~ N(0, 2/in), b = 0.</li>
 *   <li>{@link #normal(double) normal(std)}: W ~ N(0, std²) whatever the layer's size, b = 0; torchdiffeq's
 *       {@code ode_demo} uses {@code normal(0.1)}.</li>
 * </ul>
 */
public sealed interface Initialisation permits Initialisation.Scheme, Initialisation.Normal {
    /** {@code torch.nn.Linear}'s default; see the interface comment. */
    Initialisation PYTORCH_DEFAULT = Scheme.PYTORCH_DEFAULT;
    /** Glorot and Bengio's uniform scheme. */
    Initialisation XAVIER_UNIFORM = Scheme.XAVIER_UNIFORM;
    /** Glorot and Bengio's normal scheme. */
    Initialisation XAVIER_NORMAL = Scheme.XAVIER_NORMAL;
    /** He et al.'s uniform scheme. */
    Initialisation HE_UNIFORM = Scheme.HE_UNIFORM;
    /** He et al.'s normal scheme. */
    Initialisation HE_NORMAL = Scheme.HE_NORMAL;

    /**
     * W ~ N(0, std²) in every layer, b = 0: the fixed-deviation initialisation of torchdiffeq's {@code ode_demo}
     * ({@code nn.init.normal_(m.weight, mean=0, std=0.1)}, {@code nn.init.constant_(m.bias, val=0)}).
     *
     * @param std the standard deviation, finite and &gt; 0
     * @throws IllegalArgumentException if {@code std} is not finite and positive
     */
    static Initialisation normal(double std) {
        return new Normal(std);
    }

    /**
     * Fills W ({@code out·in} values at {@code off}) and then b ({@code out} values right after) from {@code rng}.
     * {@code scale} multiplies every bound or standard deviation (1 is the textbook scheme).
     */
    void fill(SplitMix64 rng, int in, int out, double scale, double[] theta, int off);

    /** The schemes whose bound or deviation follows from the layer's size. */
    enum Scheme implements Initialisation {
        /** {@code torch.nn.Linear}'s default: W and b ~ U(−1/√in, 1/√in). */
        PYTORCH_DEFAULT,
        /** Glorot and Bengio's uniform scheme, b = 0. */
        XAVIER_UNIFORM,
        /** Glorot and Bengio's normal scheme, b = 0. */
        XAVIER_NORMAL,
        /** He et al.'s uniform scheme, b = 0. */
        HE_UNIFORM,
        /** He et al.'s normal scheme, b = 0. */
        HE_NORMAL;

        @Override
        public void fill(SplitMix64 rng, int in, int out, double scale, double[] theta, int off) {
            int nw = in * out;
            switch (this) {
                case PYTORCH_DEFAULT -> {
                    double k = scale / Math.sqrt(in);
                    for (int i = 0; i < nw + out; i++) theta[off + i] = rng.uniform(-k, k);
                }
                case XAVIER_UNIFORM -> uniformWeights(rng, scale * Math.sqrt(6.0 / (in + out)), nw, out, theta, off);
                case XAVIER_NORMAL -> normalWeights(rng, scale * Math.sqrt(2.0 / (in + out)), nw, out, theta, off);
                case HE_UNIFORM -> uniformWeights(rng, scale * Math.sqrt(6.0 / in), nw, out, theta, off);
                case HE_NORMAL -> normalWeights(rng, scale * Math.sqrt(2.0 / in), nw, out, theta, off);
            }
        }

        private static void uniformWeights(SplitMix64 rng, double k, int nw, int out, double[] theta, int off) {
            for (int i = 0; i < nw; i++) theta[off + i] = rng.uniform(-k, k);
            java.util.Arrays.fill(theta, off + nw, off + nw + out, 0.0);
        }
    }

    /**
     * W ~ N(0, std²), b = 0 ({@link #normal(double)}).
     *
     * @param std the standard deviation, finite and &gt; 0
     */
    record Normal(double std) implements Initialisation {
        /** @throws IllegalArgumentException if {@code std} is not finite and positive */
        public Normal {
            if (!(std > 0.0) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("std must be finite and > 0, got " + std);
            }
        }

        @Override
        public void fill(SplitMix64 rng, int in, int out, double scale, double[] theta, int off) {
            normalWeights(rng, scale * std, in * out, out, theta, off);
        }
    }

    private static void normalWeights(SplitMix64 rng, double sd, int nw, int out, double[] theta, int off) {
        for (int i = 0; i < nw; i++) theta[off + i] = sd * rng.gaussian();
        java.util.Arrays.fill(theta, off + nw, off + nw + out, 0.0);
    }
}
