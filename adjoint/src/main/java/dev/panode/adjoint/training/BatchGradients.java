package dev.panode.adjoint.training;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientResult;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;

/**
 * {@link BatchGradient}s built on {@link Gradients#compute}: the model is solved from each window's initial state over
 * the window's times with the given method and options, and the gradient comes from the chosen
 * {@link GradientMethod} (backprop through the solver, backsolve adjoint with or without the seminorm, interpolating
 * adjoint).
 */
public final class BatchGradients {
    private BatchGradients() {}

    /**
     * The mean squared error between the solved states and the batch's targets at every observation after the first
     * (see {@link WindowLoss}), with dL/dθ from {@code gradientMethod}. NFE forward/backward are those reported by
     * the gradient method ({@link dev.panode.adjoint.gradients.GradientStats}).
     *
     * @param field          the model being trained
     * @param method         the solver, e.g. {@code RungeKutta.dopri5()}
     * @param options        tolerances or fixed steps; the save policy is set per call
     * @param gradientMethod how dL/dθ is computed
     */
    public static BatchGradient meanSquaredError(DifferentiableField field, OdeMethod method, SolveOptions options,
                                                 GradientMethod gradientMethod) {
        return of(field, method, options, gradientMethod, new WindowLoss(false));
    }

    /**
     * The mean absolute error {@code (1/M) Σ |y − target|} over every observation after the first — the loss of
     * torchdiffeq's {@code ode_demo.py}. Its gradient does not shrink with the residual, so windows where the state is
     * small (the slow inner turns of a spiral) keep pulling; prefer it when the states span orders of magnitude.
     * Otherwise as {@link #meanSquaredError}.
     */
    public static BatchGradient meanAbsoluteError(DifferentiableField field, OdeMethod method, SolveOptions options,
                                                  GradientMethod gradientMethod) {
        return of(field, method, options, gradientMethod, new WindowLoss(true));
    }

    private static BatchGradient of(DifferentiableField field, OdeMethod method, SolveOptions options,
                                    GradientMethod gradientMethod, WindowLoss loss) {
        if (field == null) throw new IllegalArgumentException("field is null");
        if (method == null) throw new IllegalArgumentException("method is null");
        if (options == null) throw new IllegalArgumentException("options is null");
        if (gradientMethod == null) throw new IllegalArgumentException("gradientMethod is null");
        return (batch, gradient) -> {
            if (gradient.length != field.parameterCount()) {
                throw new IllegalArgumentException("gradient.length must be " + field.parameterCount() + ", was "
                        + gradient.length);
            }
            loss.bind(batch);
            GradientResult r = Gradients.compute(field, batch.y0(), batch.size(), batch.times(), loss, method, options,
                    gradientMethod);
            System.arraycopy(r.dLdTheta(), 0, gradient, 0, gradient.length);
            return new BatchGradient.Step(r.loss(), r.stats().forwardNfe(), r.stats().backwardNfe());
        };
    }
}
