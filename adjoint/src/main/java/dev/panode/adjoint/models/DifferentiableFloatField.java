package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.FloatField;

/**
 * A float32 vector field f(t, y, θ) with vector–Jacobian products: the float counterpart of
 * {@link DifferentiableField}, what the float gradient methods differentiate. Parameters are one flat {@code float[]}
 * (live, as {@link DifferentiableField#parameters()}).
 */
public interface DifferentiableFloatField extends FloatField {

    /** The number of parameters P. */
    int parameterCount();

    /** The field's own parameter array θ (live, not a copy; see {@link DifferentiableField#parameters()}). */
    float[] parameters();

    /**
     * The sizes of the parameter tensors, in layout order, summing to {@link #parameterCount()}, as
     * {@link DifferentiableField#parameterTensorSizes()}: the float adjoints' full error norm measures each tensor
     * separately, as torchdiffeq does. The default is one tensor.
     */
    default int[] parameterTensorSizes() {
        return new int[] {parameterCount()};
    }

    /**
     * The vector–Jacobian product at (t, y) with cotangent v over {@code rows} samples, in float:
     * {@code yBar[0..rows·dim) = vᵀ ∂f/∂y} (overwritten); {@code thetaBar[0..P) += Σ_rows vᵀ ∂f/∂θ} (skipped when
     * null); {@code fOut = f(t, y)} when non-null. One call costs about one forward and one backward pass; nothing is
     * allocated. Unchecked: the callers (the float gradient methods) checked the shapes once.
     */
    void vjpUnchecked(double t, float[] y, float[] v, float[] yBar, float[] thetaBar, float[] fOut, int rows,
                      FieldWorkspace ws);

    /**
     * The floats that {@link #evaluateSavingUnchecked} keeps of one evaluation over {@code rows} samples so that
     * {@link #vjpFromSavedUnchecked} needs no forward pass (for an MLP, every layer's output); 0 (the default) when the
     * field saves nothing, in which case the gradient methods rebuild each evaluation inside the VJP. The float
     * counterpart of {@link DifferentiableField#savedLength}.
     */
    default int savedLength(int rows) {
        return 0;
    }

    /**
     * {@code dyOut = f(t, y)} as {@link #evaluateUnchecked}, and into {@code saved[savedOff ..  savedOff +
     * savedLength(rows))} what a later {@link #vjpFromSavedUnchecked} at the same point needs. The bits of
     * {@code dyOut} are those of {@link #evaluateUnchecked}. Unchecked; the default saves nothing.
     */
    default void evaluateSavingUnchecked(double t, float[] y, float[] dyOut, float[] saved, int savedOff, int rows,
                                         FieldWorkspace ws) {
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    /**
     * {@link #vjpUnchecked} (without {@code fOut}) at a point whose evaluation {@link #evaluateSavingUnchecked} saved
     * at {@code saved[savedOff ..]}: the same bits, without the forward pass (for an MLP two matrix products per
     * layer). {@code y} is the state that evaluation was made at. Only for fields with {@link #savedLength} &gt; 0.
     *
     * @throws UnsupportedOperationException (the default) when the field saves nothing
     */
    default void vjpFromSavedUnchecked(double t, float[] y, float[] saved, int savedOff, float[] v, float[] yBar,
                                       float[] thetaBar, int rows, FieldWorkspace ws) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " saves no evaluations (savedLength 0)");
    }
}
