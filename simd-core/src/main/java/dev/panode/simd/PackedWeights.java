package dev.panode.simd;

import dev.panode.blas.HeapAlignment;
import java.lang.foreign.MemorySegment;

/**
 * The state a workspace keeps about the weights it has packed: a copy of them, where the packed array starts on a
 * cache line, and the hold ({@link #holdWeights}). Shared by the workspaces of {@link DenseKernel} (a layer's packed
 * Wᵀ) and {@link DenseRowChain} (a whole chain's parameters).
 *
 * <p>{@link #repackAt} decides, per call, whether the packed array is still that of these weights: unheld, by a
 * comparison of the weights with the copy ({@link DenseKernel#sameBits}, in alternating directions, so that the end
 * the last comparison left in L1 is read first) and a probe of the array's alignment; held, by the comparison at the
 * first call of the hold only and the probe every {@value #HELD_PROBE_PERIOD} calls (the collector may move the array
 * during a long hold; a probe at every call cost ~2% of a batch-1 solve).
 */
abstract sealed class PackedWeights permits DenseKernel.Workspace, DenseRowChain.Workspace {
    /** Calls of a held workspace between two probes of the packed array's alignment (a power of two). */
    static final int HELD_PROBE_PERIOD = 64;

    private final MemorySegment segment;
    /** The weights the packed array holds: it is reused while their bits are unchanged. */
    private final double[] packedFrom;
    private boolean packed;
    /** Whether the weights are promised unchanged until {@link #releaseWeights} ({@link #holdWeights}). */
    private boolean held;
    /** Whether the packed array was checked against the weights during the current hold (no comparison until it ends). */
    private boolean verified;
    /** Calls since the hold began, for the periodic probe of the alignment. */
    private int heldCalls;
    /** The direction of the last comparison of the weights with their copy (they alternate). */
    private boolean backward;
    /** Where the packed weights start in the packed array (a cache-line boundary, when they were packed). */
    int base;
    /** Whether the last {@link #repackAt} compared the weights with their copy (or packed them). */
    private boolean compared;

    PackedWeights(double[] packedArray, int weights) {
        segment = MemorySegment.ofArray(packedArray);
        packedFrom = new double[weights];
    }

    /**
     * Promises that the weights this workspace's kernel reads do not change until {@link #releaseWeights}: the
     * kernel then compares them with the copy behind its packed array at the first call only, instead of at every
     * call (a solve holds its field's weights for its duration; optimisers change them between solves). Breaking
     * the promise gives results from the old weights.
     */
    public void holdWeights() {
        held = true;
        verified = false;
        heldCalls = 0;
    }

    /** Ends a {@link #holdWeights hold}: every call compares the weights again. */
    public void releaseWeights() {
        held = false;
        verified = false;
    }

    /**
     * Where the caller must pack {@code w[off, off + n)} now (the array's first cache-line boundary, the copy already
     * taken), or -1 when the packed array holds these weights at {@link #base} already.
     */
    final int repackAt(double[] w, int off, int n) {
        compared = !verified;
        if (verified && (++heldCalls & (HELD_PROBE_PERIOD - 1)) != 0) return -1;
        int at = HeapAlignment.firstAlignedIndex(segment);
        boolean current = packed && at == base
                && (verified || DenseKernel.sameBits(w, off, packedFrom, n, backward = !backward));
        verified = held;
        if (current) return -1;
        System.arraycopy(w, off, packedFrom, 0, n);
        base = at;
        packed = true;
        return at;
    }

    /**
     * For a workspace that keeps no packed array but a copy of some of the weights (the dot form's tails of W's rows):
     * whether this call must compare them with the weights — every call unheld, the first call of a hold held.
     */
    final boolean comparesNow() {
        compared = !verified;
        verified = held;
        return compared;
    }

    /**
     * Whether the last {@link #repackAt} compared the weights (unheld, or the first call of a hold): a workspace that
     * keeps more state derived from the parameters (a bias tile) checks it then too.
     */
    final boolean compared() {
        return compared;
    }
}
