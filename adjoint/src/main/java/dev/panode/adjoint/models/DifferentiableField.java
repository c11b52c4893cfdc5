package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.VectorField;

/**
 * A vector field f(t, y, θ) with vector–Jacobian products, the building block of every gradient method.
 *
 * <p>Parameters θ are one flat {@code double[]} whose layout each implementation documents. A field is immutable
 * apart from its parameter values, held in the live array {@link #parameters()}: an optimiser step changes them in
 * place, a solve or a gradient never does.
 */
public interface DifferentiableField extends VectorField {

    /** The number of parameters P. */
    int parameterCount();

    /**
     * The field's own parameter array θ (length {@link #parameterCount()}), live, not a copy: every call returns the
     * same array, and writing it changes the field at once. That is how optimisers ({@code Trainer},
     * {@code Optimizer.step}) train a field: they update this array in place between gradient calls. Consequences:
     * <ul>
     *   <li>copy it ({@code parameters().clone()}) to keep a snapshot; use {@code withParameters} (where the field
     *       offers it) for an independent field;</li>
     *   <li>do not write it while any thread solves or computes a gradient with this field (a field shared between
     *       threads is thread-safe only while nobody writes its parameters);</li>
     *   <li>the constructor checks that θ is finite; values written later are not checked again, and a NaN written here
     *       surfaces as the solver's {@code NONFINITE_STATE}.</li>
     * </ul>
     */
    double[] parameters();

    /**
     * The vector–Jacobian product at (t, y) with cotangent v, all over {@code rows} samples:
     * <ul>
     *   <li>{@code yBar[0..rows·dim) = vᵀ ∂f/∂y}, overwritten;</li>
     *   <li>{@code thetaBar[0..P) += Σ_rows vᵀ ∂f/∂θ}, accumulated; skipped when {@code thetaBar} is null;</li>
     *   <li>{@code fOut[0..rows·dim) = f(t, y)} when {@code fOut} is non-null (the forward pass is computed anyway);</li>
     *   <li>returns {@code Σ_rows vᵀ ∂f/∂t} when {@code wantTime}, otherwise 0.</li>
     * </ul>
     * One call costs about one forward and one backward pass of the field. Nothing is allocated.
     */
    double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
               int rows, boolean wantTime, FieldWorkspace ws);

    /**
     * {@link #vjp} without its argument checks: what the gradient methods call inside their loops, having checked
     * once, at their entry, the shapes of the problem, and sized every buffer and workspace themselves (the pattern of
     * {@link VectorField#evaluateUnchecked}). A field whose {@code vjp} checks its arguments overrides this with the
     * product alone; the default is {@link #vjp}.
     */
    default double vjpUnchecked(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                                int rows, boolean wantTime, FieldWorkspace ws) {
        return vjp(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
    }

    /**
     * The doubles that {@link #evaluateSaving} keeps of one evaluation over {@code rows} samples so that
     * {@link #vjpFromSaved} needs no forward pass; 0 (the default) when the field saves nothing, in which case the
     * gradient methods recompute (at the cost of one evaluation per VJP) instead of storing.
     */
    default int savedLength(int rows) {
        return 0;
    }

    /**
     * {@code out = f(t, y)} over {@code rows} samples, as {@link #evaluate} computes it bit for bit, keeping in
     * {@code saved[0 .. savedLength(rows))} what a later {@link #vjpFromSaved} at the same point needs (for an MLP,
     * the state and every layer's activations). The default evaluates and saves nothing. Allocates nothing.
     */
    default void evaluateSaving(double t, double[] y, double[] out, double[] saved, int rows, FieldWorkspace ws) {
        evaluate(t, y, out, rows, ws);
    }

    /**
     * {@link #evaluateSaving} without its argument checks (see {@link #vjpUnchecked}); {@code saved} holds at least
     * {@link #savedLength}{@code (rows)} values. The default is {@link #evaluateSaving}.
     */
    default void evaluateSavingUnchecked(double t, double[] y, double[] out, double[] saved, int rows,
                                         FieldWorkspace ws) {
        evaluateSaving(t, y, out, saved, rows, ws);
    }

    /**
     * The vector–Jacobian product of {@link #vjp} at the point whose evaluation {@link #evaluateSaving} kept in
     * {@code saved} (y and t are those of that evaluation), without recomputing the forward pass: for an MLP two
     * matrix products per layer instead of three. The result equals {@code vjp(t, y, v, yBar, thetaBar, null, rows,
     * wantTime, ws)} bit for bit. The default, for fields that save nothing ({@link #savedLength} = 0), reads y from
     * {@code saved[0 .. rows·dim)} and calls {@link #vjp}, so every field works with stored states at least.
     */
    default double vjpFromSaved(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar, int rows,
                                boolean wantTime, FieldWorkspace ws) {
        return vjp(t, saved, v, yBar, thetaBar, null, rows, wantTime, ws);
    }

    /**
     * {@link #vjpFromSaved} without its argument checks (see {@link #vjpUnchecked}). The default is
     * {@link #vjpFromSaved}.
     */
    default double vjpFromSavedUnchecked(double t, double[] saved, double[] v, double[] yBar, double[] thetaBar,
                                         int rows, boolean wantTime, FieldWorkspace ws) {
        return vjpFromSaved(t, saved, v, yBar, thetaBar, rows, wantTime, ws);
    }

    /**
     * The sizes of the parameter tensors, in layout order, summing to {@link #parameterCount()} (for an MLP:
     * W_1, b_1, W_2, b_2, …). The adjoint's full error norm measures each tensor separately, as torchdiffeq does;
     * the default is one tensor.
     */
    default int[] parameterTensorSizes() {
        return new int[] {parameterCount()};
    }
}
