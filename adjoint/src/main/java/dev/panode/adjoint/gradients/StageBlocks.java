package dev.panode.adjoint.gradients;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The bookkeeping of a stage recorder ({@link StageRecorder} in double, {@link FloatStageRecorder} in float): which
 * saved block each output buffer's evaluation goes to, which blocks are kept for the backward pass, and the pool the
 * blocks come from.
 *
 * <p>An evaluation into an output buffer is saved in that buffer's block unless the block is kept; then (or for a
 * buffer not seen before) it takes a fresh block from the pool, so a kept block is never written again in this
 * gradient. The pool's blocks are made the first time they are needed, at most {@code maxBlocks} of them, and reused by
 * every later gradient ({@link #reset}). Buffers are told apart by identity. Allocation-free once the pool and the
 * tables have grown to a gradient's size; not thread-safe.
 *
 * @param <B> the block type, {@code double[]} or {@code float[]}
 */
final class StageBlocks<B> {
    private final IntFunction<B> newBlock;
    private final int length;
    private final long maxBlocks;
    private Object[] buffers = new Object[8];
    private Object[] blocks = new Object[8];
    private boolean[] kept = new boolean[8];
    private int count;
    private Object[] pool = new Object[8];
    private int made;
    private int used;
    private boolean exhausted;

    /**
     * @param newBlock  makes a block of the given length
     * @param length    elements per block
     * @param maxBlocks the most blocks the pool may make
     */
    StageBlocks(IntFunction<B> newBlock, int length, long maxBlocks) {
        this.newBlock = newBlock;
        this.length = length;
        this.maxBlocks = maxBlocks;
    }

    /** Starts a gradient: every block goes back to the pool, no buffer has a block. */
    void reset() {
        count = 0;
        used = 0;
        exhausted = false;
    }

    /** The blocks the pool has made (held across gradients). */
    int made() {
        return made;
    }

    /** The blocks this gradient took from the pool. */
    int used() {
        return used;
    }

    /**
     * The block last assigned to {@code output}, now kept for the backward pass (never written again in this
     * gradient); null if none was.
     */
    @SuppressWarnings("unchecked")
    B keep(Object output) {
        for (int i = 0; i < count; i++) {
            if (buffers[i] == output) {
                kept[i] = true;
                return (B) blocks[i];
            }
        }
        return null;
    }

    /**
     * The block an evaluation into {@code output} is saved in: its own unless kept, else a fresh one from the pool;
     * null when the pool is exhausted (the evaluation is then not saved, and a kept block stays with its step).
     */
    @SuppressWarnings("unchecked")
    B blockFor(Object output) {
        int i = 0;
        while (i < count && buffers[i] != output) i++;
        if (i < count && !kept[i]) return (B) blocks[i];
        Object block = take();
        if (block == null) {
            if (i < count) buffers[i] = null;
            return null;
        }
        if (i == count) {
            if (count == buffers.length) {
                buffers = Arrays.copyOf(buffers, 2 * count);
                blocks = Arrays.copyOf(blocks, 2 * count);
                kept = Arrays.copyOf(kept, 2 * count);
            }
            buffers[count++] = output;
        }
        blocks[i] = block;
        kept[i] = false;
        return (B) block;
    }

    private Object take() {
        if (exhausted) return null;
        if (used == made) {
            if (made >= maxBlocks) {
                exhausted = true;
                return null;
            }
            if (made == pool.length) pool = Arrays.copyOf(pool, 2 * made);
            pool[made++] = newBlock.apply(length);
        }
        return pool[used++];
    }
}
