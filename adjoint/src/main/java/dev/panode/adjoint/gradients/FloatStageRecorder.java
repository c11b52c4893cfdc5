package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableFloatField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.FloatField;
import java.util.Arrays;

/**
 * The float field as the forward solve of {@link BackpropF32} sees it when stage evaluations are kept: every
 * evaluation goes through {@link DifferentiableFloatField#evaluateSavingUnchecked} into a block tied to the output
 * buffer it was written to, as {@link StageRecorder} does in double. A Runge–Kutta stepper writes stage i into its own
 * buffer and only swaps buffers between steps, so when a step is accepted, stage i's evaluation is the block of
 * {@code stages()[i]}. Blocks are made the first time a buffer is seen (a handful per solver workspace) and reused.
 */
final class FloatStageRecorder implements FloatField {
    private final DifferentiableFloatField field;
    private final int length;
    private float[][] buffers = new float[8][];
    private float[][] blocks = new float[8][];
    private int count;

    FloatStageRecorder(DifferentiableFloatField field, int rows) {
        this.field = field;
        this.length = field.savedLength(rows);
    }

    /** The saved evaluation last written to {@code output}, or null if none was. */
    float[] savedFor(float[] output) {
        for (int i = 0; i < count; i++) {
            if (buffers[i] == output) return blocks[i];
        }
        return null;
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
        float[] block = savedFor(dyOut);
        if (block == null) block = register(dyOut);
        field.evaluateSavingUnchecked(t, y, dyOut, block, 0, rows, ws);
    }

    private float[] register(float[] output) {
        if (count == buffers.length) {
            buffers = Arrays.copyOf(buffers, 2 * count);
            blocks = Arrays.copyOf(blocks, 2 * count);
        }
        buffers[count] = output;
        blocks[count] = new float[length];
        return blocks[count++];
    }
}
