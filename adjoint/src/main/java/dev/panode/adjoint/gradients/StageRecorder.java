package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.ForwardingField;
import java.util.Arrays;

/**
 * The field as the forward solve of {@link Backprop} sees it when stage evaluations are kept: every evaluation goes
 * through {@link DifferentiableField#evaluateSaving} into a heap block tied to the output buffer it was written to,
 * and the blocks of accepted steps are kept as they are for the backward pass (no copy in either direction).
 *
 * <p>A Runge–Kutta stepper writes stage i into its own buffer and only swaps buffers between steps (the FSAL stage
 * becoming the next k_0), so when a step is accepted, stage i's evaluation is the block of {@code step.stages()[i]};
 * {@link #keep} hands it over and marks it kept. The next evaluation into a buffer whose block is kept takes a fresh
 * block from the pool, so a kept block is never written again in this gradient; a stage that is not evaluated again
 * (the FSAL stage as the next step's k_0) shares its block between the two steps. The pool's blocks are made the
 * first time they are needed and reused by every later gradient ({@link #reset}); it holds at most half of the heap's
 * maximum: past that an evaluation is not saved and {@link #keep} returns null (the caller then stops saving).
 */
final class StageRecorder extends ForwardingField {
    private final DifferentiableField recorded;
    private final int length;
    /** The pool blocks this recorder may hold: half of the heap's maximum. */
    private final long maxBlocks;
    private double[][] buffers = new double[8][];
    private double[][] blocks = new double[8][];
    private boolean[] kept = new boolean[8];
    private int count;
    private double[][] pool = new double[8][];
    private int made;
    private int used;
    private boolean recording;
    private boolean exhausted;

    StageRecorder(DifferentiableField field, int rows) {
        super(field);
        this.recorded = field;
        this.length = field.savedLength(rows);
        this.maxBlocks = length == 0 ? 0 : Runtime.getRuntime().maxMemory() / 2 / ((long) length * Double.BYTES);
    }

    /** Doubles per saved evaluation. */
    int length() {
        return length;
    }

    /** Turns recording on or off (off: plain evaluations). */
    void recording(boolean on) {
        recording = on;
    }

    /** Starts a gradient: every block goes back to the pool, no buffer has a block. */
    void reset() {
        count = 0;
        used = 0;
        exhausted = false;
    }

    /** The bytes of the pool's blocks handed out in this gradient. */
    long bytesUsed() {
        return (long) used * length * Double.BYTES;
    }

    /**
     * The saved evaluation last written to {@code output}, now kept for the backward pass (never written again in
     * this gradient); null if none was saved.
     */
    double[] keep(double[] output) {
        for (int i = 0; i < count; i++) {
            if (buffers[i] == output) {
                kept[i] = true;
                return blocks[i];
            }
        }
        return null;
    }

    /** As {@link #evaluateUnchecked}: only the solver evaluates through a recorder, having checked the shapes once. */
    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        double[] block = recording ? blockFor(dyOut) : null;
        if (block == null) {
            field.evaluateUnchecked(t, y, dyOut, rows, ws);
        } else {
            recorded.evaluateSavingUnchecked(t, y, dyOut, block, rows, ws);
        }
    }

    /** The block an evaluation into {@code output} is saved in: its own unless kept, else a fresh one from the pool. */
    private double[] blockFor(double[] output) {
        int i = 0;
        while (i < count && buffers[i] != output) i++;
        if (i < count && !kept[i]) return blocks[i];
        double[] block = take();
        if (block == null) {
            if (i < count) buffers[i] = null; // the kept block stays with its step; this evaluation is not saved
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
        return block;
    }

    private double[] take() {
        if (exhausted) return null;
        if (used == made) {
            if (made >= maxBlocks) {
                exhausted = true;
                return null;
            }
            if (made == pool.length) pool = Arrays.copyOf(pool, 2 * made);
            pool[made++] = new double[length];
        }
        return pool[used++];
    }
}
