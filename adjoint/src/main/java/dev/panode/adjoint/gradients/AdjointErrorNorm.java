package dev.panode.adjoint.gradients;

import dev.panode.simd.NormKind;
import dev.panode.solvers.BlockNorm;

/**
 * The error norm of an augmented adjoint state ({@link AugmentedLayout}): the max over blocks of each block's RMS
 * scaled error ({@link BlockNorm}, for double and float states alike). {@link AdjointNorm#FULL} takes y, a, every
 * parameter tensor and a_t (torchdiffeq's default); {@link AdjointNorm#SEMINORM} only y and a, and reads no component
 * after them.
 */
final class AdjointErrorNorm {
    private AdjointErrorNorm() {}

    static BlockNorm of(AugmentedLayout layout, AdjointNorm norm) {
        boolean full = norm == AdjointNorm.FULL;
        int blocks = (layout.withY() ? 2 : 1)
                + (full ? layout.tensorSizes().length + (layout.withTime() ? 1 : 0) : 0);
        int[] starts = new int[blocks];
        int[] lengths = new int[blocks];
        int b = 0;
        if (layout.withY()) {
            starts[b] = layout.yOffset();
            lengths[b++] = layout.n();
        }
        starts[b] = layout.aOffset();
        lengths[b++] = layout.n();
        if (full) {
            int off = layout.thetaOffset();
            for (int size : layout.tensorSizes()) {
                starts[b] = off;
                lengths[b++] = size;
                off += size;
            }
            if (layout.withTime()) {
                starts[b] = layout.timeOffset();
                lengths[b] = 1;
            }
        }
        return BlockNorm.of(NormKind.RMS, starts, lengths);
    }
}
