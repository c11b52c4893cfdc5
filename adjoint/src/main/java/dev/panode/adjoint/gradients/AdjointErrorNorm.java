package dev.panode.adjoint.gradients;

import dev.panode.simd.ErrorNorms;
import dev.panode.simd.NormKind;
import dev.panode.solvers.ErrorNorm;

/**
 * The error norm of an augmented adjoint state ({@link AugmentedLayout}): the max over blocks of each block's RMS
 * scaled error. {@link AdjointNorm#FULL} takes y, a, every parameter tensor and a_t (torchdiffeq's default);
 * {@link AdjointNorm#SEMINORM} only y and a. Allocation-free and stateless.
 */
final class AdjointErrorNorm implements ErrorNorm {
    private final int[] starts;
    private final int[] lengths;
    /** The leading components the norm reads: y and a for the seminorm, all for the full norm. */
    private final int measured;

    AdjointErrorNorm(AugmentedLayout layout, AdjointNorm norm) {
        int blocks = (layout.withY() ? 2 : 1) + (norm == AdjointNorm.FULL ? layout.tensorSizes().length + 1 : 0);
        starts = new int[blocks];
        lengths = new int[blocks];
        measured = norm == AdjointNorm.FULL ? Integer.MAX_VALUE : layout.thetaOffset();
        int b = 0;
        if (layout.withY()) {
            starts[b] = layout.yOffset();
            lengths[b++] = layout.n();
        }
        starts[b] = layout.aOffset();
        lengths[b++] = layout.n();
        if (norm == AdjointNorm.FULL) {
            int off = layout.thetaOffset();
            for (int size : layout.tensorSizes()) {
                starts[b] = off;
                lengths[b++] = size;
                off += size;
            }
            starts[b] = layout.timeOffset();
            lengths[b] = 1;
        }
    }

    /** The seminorm reads y and a only: the steps need not estimate the error of a_θ and a_t. */
    @Override
    public int componentsMeasured() {
        return measured;
    }

    @Override
    public double measure(double[] v, double[] ya, double[] yb, int rows, int dim,
                          double atol, double rtol, double[] atolVec, double[] rtolVec) {
        double worst = 0.0;
        for (int i = 0; i < starts.length; i++) {
            if (lengths[i] == 0) continue;
            double r = atolVec == null
                    ? ErrorNorms.scaledUnchecked(NormKind.RMS, v, ya, yb, starts[i], lengths[i], atol, rtol)
                    : ErrorNorms.scaledUnchecked(NormKind.RMS, v, ya, yb, starts[i], lengths[i], atolVec, rtolVec);
            if (r != r) return Double.NaN;
            if (r > worst) worst = r;
        }
        return worst;
    }
}
