package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableFloatField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.FloatField;

/**
 * The float field as the forward solve of {@link BackpropF32} sees it when stage evaluations are kept: every
 * evaluation goes through {@link DifferentiableFloatField#evaluateSavingUnchecked} into a block tied to the output
 * buffer it was written to, and the blocks of accepted steps are kept as they are for the backward pass (no copy in
 * either direction), as {@link StageRecorder} does in double.
 *
 * <p>The blocks, which one each output buffer's evaluation goes to and their pool (unbounded here) are
 * {@link StageBlocks}'s, shared with {@link StageRecorder}, whose comment tells how a step's stages map to them.
 */
final class FloatStageRecorder implements FloatField {
    private final DifferentiableFloatField field;
    private final int length;
    private final StageBlocks<float[]> blocks;
    private boolean recording = true;

    FloatStageRecorder(DifferentiableFloatField field, int rows) {
        this.field = field;
        this.length = field.savedLength(rows);
        this.blocks = new StageBlocks<>(float[]::new, length, Long.MAX_VALUE);
    }

    /** Starts a gradient: every block goes back to the pool, no buffer has a block; recording is on. */
    void reset() {
        blocks.reset();
        recording = true;
    }

    /** Turns recording off for the rest of this gradient: later evaluations are plain ones (the same bits). */
    void stopRecording() {
        recording = false;
    }

    /** Whether evaluations are still recorded in this gradient. */
    boolean recording() {
        return recording;
    }

    /** The heap bytes of every block in the pool. */
    long bytesHeld() {
        return (long) blocks.made() * length * Float.BYTES;
    }

    /** The heap bytes of the blocks this gradient took from the pool. */
    long bytesTaken() {
        return (long) blocks.used() * length * Float.BYTES;
    }

    /**
     * The saved evaluation last written to {@code output}, now kept for the backward pass (never written again in
     * this gradient); null if none was saved.
     */
    float[] keep(float[] output) {
        return blocks.keep(output);
    }

    @Override
    public int dim() {
        return field.dim();
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        return field.newWorkspace(maxRows);
    }

    /** As {@link #evaluateUnchecked}: only the solver evaluates through a recorder, having checked the shapes once. */
    @Override
    public void evaluate(double t, float[] y, float[] dyOut, int rows, FieldWorkspace ws) {
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, float[] y, float[] dyOut, int rows, FieldWorkspace ws) {
        if (!recording) {
            field.evaluateUnchecked(t, y, dyOut, rows, ws);
            return;
        }
        field.evaluateSavingUnchecked(t, y, dyOut, blocks.blockFor(dyOut), 0, rows, ws);
    }
}
