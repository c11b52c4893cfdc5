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
 * </ul>
 */
public enum Initialisation {
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

    /**
     * Fills W ({@code out·in} values at {@code off}) and then b ({@code out} values right after) from {@code rng}.
     * {@code scale} multiplies every bound or standard deviation (1 is the textbook scheme).
     */
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

    private static void normalWeights(SplitMix64 rng, double sd, int nw, int out, double[] theta, int off) {
        for (int i = 0; i < nw; i++) theta[off + i] = sd * rng.gaussian();
        java.util.Arrays.fill(theta, off + nw, off + nw + out, 0.0);
    }
}
