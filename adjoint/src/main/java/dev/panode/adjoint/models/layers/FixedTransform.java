package dev.panode.adjoint.models.layers;

import dev.panode.adjoint.models.InputTransform;

/**
 * A fixed element-wise input map {@code y = φ(x)} without parameters, e.g. the cube {@code φ(y) = y³} that
 * torchdiffeq's spiral demo feeds its network ({@link InputTransform#CUBE}). Backward: {@code x̄ = ȳ ⊙ φ'(x)}.
 *
 * @param transform the map φ
 * @param width     columns, ≥ 1
 */
public record FixedTransform(InputTransform transform, int width) implements ShapePreserving {

    /** @throws IllegalArgumentException on a null transform or a width below 1 */
    public FixedTransform {
        if (transform == null) throw new IllegalArgumentException("transform must be non-null");
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
    }

    /** The spiral's cube, {@code y = x³}. */
    public static FixedTransform cube(int width) {
        return new FixedTransform(InputTransform.CUBE, width);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        transform.apply(x, rows, width, y, width);
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        transform.pullBack(x, yBar, width, rows, width, xBar);
        return 0.0;
    }
}
