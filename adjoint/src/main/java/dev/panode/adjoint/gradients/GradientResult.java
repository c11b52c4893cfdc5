package dev.panode.adjoint.gradients;

/**
 * The result of {@link Gradients#compute}.
 *
 * @param loss     the loss L
 * @param states   y(t_i) at every observation time, {@code rows × dim} each ({@code states[0]} = y_0)
 * @param dLdy0    ∂L/∂y_0, {@code rows × dim}
 * @param dLdTheta ∂L/∂θ, in the field's parameter layout
 * @param dLdTimes ∂L/∂t_i for t_0, every observation time and t_end = t_N; null unless time gradients were asked for
 * @param stats    evaluation counts, checkpoint memory and recomputation
 */
public record GradientResult(double loss, double[][] states, double[] dLdy0, double[] dLdTheta, double[] dLdTimes,
                             GradientStats stats) {
}
