package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.ForwardingField;
import java.util.Arrays;

/**
 * The field as the forward solve of {@link Backprop} sees it when stage evaluations are kept: every evaluation goes
 * through {@link DifferentiableField#evaluateSaving} into a heap block tied to the output buffer it was written to.
 * A Runge–Kutta stepper writes stage i into its own buffer and only swaps buffers between steps (the FSAL stage
 * becoming the next k_0), so when a step is accepted, stage i's evaluation is the block of
 * {@code step.stages()[i]}. Blocks are made the first time a buffer is seen (a handful per solver workspace) and
 * reused after that; with recording off it is the field itself.
 */
final class StageRecorder extends ForwardingField {
    private final DifferentiableField recorded;
    private final int length;
    private double[][] buffers = new double[8][];
    private double[][] blocks = new double[8][];
    private int count;
    private boolean recording;

    StageRecorder(DifferentiableField field, int rows) {
        super(field);
        this.recorded = field;
        this.length = field.savedLength(rows);
    }

    /** Doubles per saved evaluation. */
    int length() {
        return length;
    }

    /** Turns recording on or off (off: plain evaluations). */
    void recording(boolean on) {
        recording = on;
    }

    /** The saved evaluation last written to {@code output}, or null if none was. */
    double[] savedFor(double[] output) {
        for (int i = 0; i < count; i++) {
            if (buffers[i] == output) return blocks[i];
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
        if (!recording) {
            field.evaluateUnchecked(t, y, dyOut, rows, ws);
            return;
        }
        double[] block = savedFor(dyOut);
        if (block == null) block = register(dyOut);
        recorded.evaluateSavingUnchecked(t, y, dyOut, block, rows, ws);
    }

    private double[] register(double[] output) {
        if (count == buffers.length) {
            buffers = Arrays.copyOf(buffers, 2 * count);
            blocks = Arrays.copyOf(blocks, 2 * count);
        }
        buffers[count] = output;
        blocks[count] = new double[length];
        return blocks[count++];
    }
}
