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
     * The vector–Jacobian product at (t, y) with cotangent v over {@code rows} samples, in float:
     * {@code yBar[0..rows·dim) = vᵀ ∂f/∂y} (overwritten); {@code thetaBar[0..P) += Σ_rows vᵀ ∂f/∂θ} (skipped when
     * null); {@code fOut = f(t, y)} when non-null. One call costs about one forward and one backward pass; nothing is
     * allocated. Unchecked: the callers (the float gradient methods) checked the shapes once.
     */
    void vjpUnchecked(double t, float[] y, float[] v, float[] yBar, float[] thetaBar, float[] fOut, int rows,
                      FieldWorkspace ws);
}
