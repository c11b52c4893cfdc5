package dev.panode.solvers;

import dev.panode.simd.ErrorNorms;
import dev.panode.simd.ErrorNormsF32;
import dev.panode.simd.NormKind;

/**
 * A mixed norm over blocks of a flat one-row state: the largest of the blocks' scaled norms of one kind,
 * {@code max_b norm_b(v_i / (atol + rtol·max(|ya_i|, |yb_i|)), i ∈ block b)}. With RMS blocks this is torchdiffeq's
 * {@code _mixed_norm}, the rule of its adjoint's default norm over the tuple (a_t, y, a, θ's tensors): each tensor
 * votes with its own RMS, so a small tensor is not drowned in a large one. Components outside every block are not
 * read ({@link #componentsMeasured} is the end of the last block); empty blocks count 0.
 *
 * <p>It serves the double solver as an {@link ErrorNorm} and the float32 solver (on {@code float[]} states, summed in
 * double by {@link ErrorNormsF32}) as its only custom norm, with scalar tolerances there. Cost: one pass over the
 * blocks' components. Immutable, allocation-free and thread-safe. When not to use it: on a batch of samples (rows
 * &gt; 1), whose blocks would be the same columns of every row ({@link ErrorNorm#worstRow} does that).
 */
public final class BlockNorm implements ErrorNorm {
    private final NormKind kind;
    private final int[] starts;
    private final int[] lengths;
    private final int end;

    private BlockNorm(NormKind kind, int[] starts, int[] lengths, int end) {
        this.kind = kind;
        this.starts = starts;
        this.lengths = lengths;
        this.end = end;
    }

    /**
     * The norm of the given kind over the blocks {@code [starts[b], starts[b] + lengths[b])} (in any order, may
     * overlap).
     *
     * @throws IllegalArgumentException on a null argument, arrays of different lengths, or a negative start or length
     */
    public static BlockNorm of(NormKind kind, int[] starts, int[] lengths) {
        if (kind == null) throw new IllegalArgumentException("kind must be non-null");
        if (starts == null || lengths == null || starts.length != lengths.length)
            throw new IllegalArgumentException("starts and lengths must be non-null and of one length, got "
                    + (starts == null ? null : starts.length) + " and " + (lengths == null ? null : lengths.length));
        int end = 0;
        for (int b = 0; b < starts.length; b++) {
            if (starts[b] < 0 || lengths[b] < 0)
                throw new IllegalArgumentException("block " + b + " must have start and length >= 0, got start "
                        + starts[b] + ", length " + lengths[b]);
            end = Math.max(end, Math.addExact(starts[b], lengths[b]));
        }
        return new BlockNorm(kind, starts.clone(), lengths.clone(), end);
    }

    /** The norm of each block. */
    public NormKind kind() {
        return kind;
    }

    /** The blocks read nothing past their last component. */
    @Override
    public int componentsMeasured() {
        return end;
    }

    @Override
    public double measure(double[] v, double[] ya, double[] yb, int rows, int dim,
                          double atol, double rtol, double[] atolVec, double[] rtolVec) {
        return worst(v, ya, yb, null, null, null, false, atol, rtol, atolVec, rtolVec);
    }

    /**
     * The norm of float states, each block summed in double ({@link ErrorNormsF32}); {@code scalar} takes the scalar
     * kernels (the float solver's initial-step heuristic, which runs once per solve).
     */
    double measure(float[] v, float[] ya, float[] yb, double atol, double rtol, boolean scalar) {
        return worst(null, null, null, v, ya, yb, scalar, atol, rtol, null, null);
    }

    /** The block rule, once for both precisions: the double states when {@code vf} is null, else the float ones. */
    private double worst(double[] vd, double[] yad, double[] ybd, float[] vf, float[] yaf, float[] ybf,
                         boolean scalar, double atol, double rtol, double[] atolVec, double[] rtolVec) {
        double worst = 0.0;
        for (int b = 0; b < starts.length; b++) {
            int off = starts[b], len = lengths[b];
            if (len == 0) continue;
            double r;
            if (vf != null) {
                r = scalar ? ErrorNormsF32.scaledScalar(kind, vf, yaf, ybf, off, len, atol, rtol)
                        : ErrorNormsF32.scaled(kind, vf, yaf, ybf, off, len, atol, rtol);
            } else {
                r = atolVec == null ? ErrorNorms.scaledUnchecked(kind, vd, yad, ybd, off, len, atol, rtol)
                        : ErrorNorms.scaledUnchecked(kind, vd, yad, ybd, off, len, atolVec, rtolVec);
            }
            if (r != r) return Double.NaN;
            if (r > worst) worst = r;
        }
        return worst;
    }
}
