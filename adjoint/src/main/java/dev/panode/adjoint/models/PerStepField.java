package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.StepwiseField;

/**
 * A field with its own parameters θ_n on each step n of a fixed-step method: a ResNet read as an ODE, with layer n
 * computing f(t_n, z_n; θ_n). Parameters are one flat {@code double[]} of {@code steps() × parametersPerStep()},
 * step-major: θ_n occupies {@code [n·P, (n+1)·P)}. Gradients come back in the same layout, one block per step.
 *
 * <p>The primitives take the parameter block explicitly, so that a gradient method can also evaluate the field at
 * parameters that belong to no step (for instance extrapolated to the end time). Same conventions as
 * {@link dev.panode.solvers.VectorField}: row-major batches, caller-owned outputs, no allocation.
 */
public interface PerStepField extends StepwiseField {

    /** The number of steps N that have parameters. */
    @Override
    int steps();

    /** P, the number of parameters of one step. */
    int parametersPerStep();

    /** The live parameters, {@code steps() × parametersPerStep()}, step-major; optimisers update them in place. */
    double[] parameters();

    /** {@code dyOut = f(t, y; θ)} with θ = {@code theta[thetaOff, thetaOff+P)}. */
    void evaluate(double[] theta, int thetaOff, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws);

    /**
     * The vector–Jacobian product at (t, y; θ) with cotangent v over {@code rows} samples:
     * {@code yBar = vᵀ ∂f/∂y} (overwritten) and {@code thetaBar[thetaBarOff, +P) += Σ_rows vᵀ ∂f/∂θ} (accumulated;
     * skipped when {@code thetaBar} is null). Costs about one forward and one backward pass of the field.
     */
    void vjp(double[] theta, int thetaOff, double t, double[] y, double[] v, double[] yBar,
             double[] thetaBar, int thetaBarOff, int rows, FieldWorkspace ws);

    /**
     * {@link #evaluate(double[], int, double, double[], double[], int, FieldWorkspace)} without its argument checks:
     * what the multistep solver and gradients call inside their loops, having checked the shapes once at their entry
     * (see {@link dev.panode.solvers.VectorField#evaluateUnchecked}). The default is the checked evaluation.
     */
    default void evaluateUnchecked(double[] theta, int thetaOff, double t, double[] y, double[] dyOut, int rows,
                                   FieldWorkspace ws) {
        evaluate(theta, thetaOff, t, y, dyOut, rows, ws);
    }

    /**
     * {@link #vjp(double[], int, double, double[], double[], double[], double[], int, int, FieldWorkspace)} without
     * its argument checks (see {@link #evaluateUnchecked(double[], int, double, double[], double[], int,
     * FieldWorkspace)}). The default is the checked product.
     */
    default void vjpUnchecked(double[] theta, int thetaOff, double t, double[] y, double[] v, double[] yBar,
                              double[] thetaBar, int thetaBarOff, int rows, FieldWorkspace ws) {
        vjp(theta, thetaOff, t, y, v, yBar, thetaBar, thetaBarOff, rows, ws);
    }

    @Override
    default void evaluateAtStep(int step, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluate(parameters(), step * parametersPerStep(), t, y, dyOut, rows, ws);
    }

    @Override
    default void evaluateAtStepUnchecked(int step, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluateUnchecked(parameters(), step * parametersPerStep(), t, y, dyOut, rows, ws);
    }
}
