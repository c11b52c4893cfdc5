package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.ForwardingField;

/**
 * The field as the forward solve of {@link Backprop} sees it when stage evaluations are kept: every evaluation goes
 * through {@link DifferentiableField#evaluateSaving} into a heap block tied to the output buffer it was written to,
 * and the blocks of accepted steps are kept as they are for the backward pass (no copy in either direction).
 *
 * <p>A Runge–Kutta stepper writes stage i into its own buffer and only swaps buffers between steps (the FSAL stage
 * becoming the next k_0), so when a step is accepted, stage i's evaluation is the block of {@code step.stages()[i]};
 * {@link #keep} hands it over and marks it kept, and a stage that is not evaluated again (the FSAL stage as the next
 * step's k_0) shares its block between the two steps. The blocks and their pool are {@link StageBlocks}'s; the pool
 * holds at most half of the heap's maximum: past that an evaluation is not saved and {@link #keep} returns null (the
 * caller then stops saving).
 */
final class StageRecorder extends ForwardingField {
    private final DifferentiableField recorded;
    private final int length;
    private final StageBlocks<double[]> blocks;
    private boolean recording;

    StageRecorder(DifferentiableField field, int rows) {
        super(field);
        this.recorded = field;
        this.length = field.savedLength(rows);
        // the pool may hold half of the heap's maximum
        long maxBlocks = length == 0 ? 0 : Runtime.getRuntime().maxMemory() / 2 / ((long) length * Double.BYTES);
        this.blocks = new StageBlocks<>(double[]::new, length, maxBlocks);
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
        blocks.reset();
    }

    /** The bytes of the pool's blocks handed out in this gradient. */
    long bytesUsed() {
        return (long) blocks.used() * length * Double.BYTES;
    }

    /**
     * The saved evaluation last written to {@code output}, now kept for the backward pass (never written again in
     * this gradient); null if none was saved.
     */
    double[] keep(double[] output) {
        return blocks.keep(output);
    }

    /** As {@link #evaluateUnchecked}: only the solver evaluates through a recorder, having checked the shapes once. */
    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        double[] block = recording ? blocks.blockFor(dyOut) : null;
        if (block == null) {
            field.evaluateUnchecked(t, y, dyOut, rows, ws);
        } else {
            recorded.evaluateSavingUnchecked(t, y, dyOut, block, rows, ws);
        }
    }
}
