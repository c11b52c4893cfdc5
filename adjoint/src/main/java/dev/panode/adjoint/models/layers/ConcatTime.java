package dev.panode.adjoint.models.layers;

/**
 * Time as an input: {@code y = [x, t]}, one extra column holding each row's t (torchdiffeq's and FFJORD's
 * {@code ConcatLinear} feed t this way). No parameters; {@code ∂y/∂t} is the unit vector of the last column, so the
 * time derivative is the column sum of ȳ's last column.
 *
 * @param width input columns, ≥ 1 (the output has {@code width + 1})
 */
public record ConcatTime(int width) implements Layer {

    /** @throws IllegalArgumentException on a width below 1 */
    public ConcatTime {
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public int outputWidth() {
        return width + 1;
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        int out = width + 1;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * width, y, r * out, width);
            y[r * out + width] = time.at(r);
        }
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        int out = width + 1;
        double tBar = 0.0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(yBar, r * out, xBar, r * width, width);
            tBar += yBar[r * out + width];
        }
        return wantTime ? tBar : 0.0;
    }
}
