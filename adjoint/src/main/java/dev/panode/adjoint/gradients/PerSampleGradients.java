package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;

import dev.panode.simd.VectorApi;
import dev.panode.solvers.PerSampleSolver;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.function.IntFunction;

/**
 * Gradients in per-sample mode ({@link PerSampleSolver}): sample r has its own observation times
 * {@code times[r]} (t_0 first; ragged across samples), its own loss {@code losses.apply(r)}, its own steps, and gets
 * its own dL/dy_0 and cost; dL/dθ is summed over the samples (the loss of the batch is Σ_r L_r).
 *
 * <p>Each sample's forward solve takes exactly the steps the per-sample solver takes for it (the per-sample solver
 * is bitwise a solve of that sample alone), so {@link Backprop} differentiates exactly what the per-sample solve
 * computed, and {@link InterpolatingAdjoint} (or {@link BacksolveAdjoint}) gives the continuous adjoint along the
 * same trajectory, each with its per-step reversal unchanged.
 *
 * <p>Cost and limitation: the samples are differentiated one after the other, each as a batch of one row; the
 * forward and backward passes do not pack the rows of several samples into one GEMM. Use it when samples need very
 * different steps; for a homogeneous batch {@link Gradients#compute} on the whole batch is faster.
 */
public final class PerSampleGradients {
    private PerSampleGradients() {}

    /**
     * The per-sample gradients of a batch.
     *
     * @param field          the differentiable field (for time-dependent fields, with per-row times, e.g. {@link dev.panode.adjoint.models.Mlp})
     * @param y0             initial states, {@code rows × dim}
     * @param rows           samples, ≥ 1
     * @param times          per sample, its observation times t_0 &lt; t_1 &lt; … (t_0 the initial time)
     * @param losses         per sample r, its loss over its states y(times[r][i]) (called with one row)
     * @param method         a Runge–Kutta method
     * @param options        solver options
     * @param gradientMethod e.g. {@link Backprop#storeAll()} or {@link InterpolatingAdjoint#of}
     * @throws IllegalArgumentException on an invalid argument (the message names it and the sample)
     */
    public static Result compute(DifferentiableField field, double[] y0, int rows, double[][] times,
                                 IntFunction<Loss> losses, RungeKutta method, SolveOptions options,
                                 GradientMethod gradientMethod) {
        VectorApi.require();
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (y0 == null) throw new IllegalArgumentException("y0 must be non-null");
        if (losses == null) throw new IllegalArgumentException("losses must be non-null");
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        int dim = field.dim() > 0 ? field.dim() : (y0.length % rows == 0 ? y0.length / rows : -1);
        if (dim < 1 || (long) rows * dim != y0.length)
            throw new IllegalArgumentException("y0 must have length rows × dim = " + rows + " × " + field.dim()
                    + ", got " + y0.length);
        if (times == null || times.length != rows)
            throw new IllegalArgumentException("times must hold one array per sample (" + rows + "), got "
                    + (times == null ? null : times.length));
        GradientResult[] per = new GradientResult[rows];
        double[] dLdTheta = new double[field.parameterCount()];
        double loss = 0.0;
        double[] row = new double[dim];
        for (int r = 0; r < rows; r++) {
            Loss l = losses.apply(r);
            if (l == null) throw new IllegalArgumentException("losses.apply(" + r + ") must be non-null");
            System.arraycopy(y0, r * dim, row, 0, dim);
            try {
                per[r] = Gradients.compute(field, row, 1, times[r], l, method, options, gradientMethod);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sample " + r + ": " + e.getMessage(), e);
            }
            loss += per[r].loss();
            double[] g = per[r].dLdTheta();
            for (int i = 0; i < g.length; i++) dLdTheta[i] += g[i];
        }
        return new Result(loss, dLdTheta, per);
    }

    /**
     * The gradients of a per-sample batch.
     *
     * @param loss      Σ_r L_r
     * @param dLdTheta  Σ_r dL_r/dθ
     * @param perSample sample r's loss, states at its observation times, dL/dy_0 (one row), dL/dθ and cost
     */
    public record Result(double loss, double[] dLdTheta, GradientResult[] perSample) {
    }
}
