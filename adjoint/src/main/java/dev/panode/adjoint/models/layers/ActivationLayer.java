package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.Activation;

/**
 * An element-wise activation {@code y = σ(x)} over {@code width} columns: tanh ({@link dev.panode.simd.ReproducibleTanh},
 * bitwise reproducible), softplus, relu, sigmoid, sin or identity, through the Vector API kernels of
 * {@link dev.panode.simd.ActivationKernel}. No parameters. GELU is {@link Gelu}.
 *
 * <p>Backward: {@code x̄ = ȳ ⊙ σ'(x)}, with σ' computed from the stored output where that is cheaper (tanh, sigmoid).
 * After a {@link Dense} inside a {@link Sequential} the two run fused (bias and activation in one pass).
 *
 * @param activation the function
 * @param width      columns, ≥ 1
 */
public record ActivationLayer(Activation activation, int width) implements ShapePreserving {

    /** @throws IllegalArgumentException on a null activation or a width below 1 */
    public ActivationLayer {
        if (activation == null) throw new IllegalArgumentException("activation must be non-null");
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        activation.kernel().apply(x, 0, y, 0, rows * width);
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        System.arraycopy(yBar, 0, xBar, 0, rows * width);
        activation.kernel().derivativeTimes(x, 0, y, 0, xBar, 0, rows * width);
        return 0.0;
    }
}
