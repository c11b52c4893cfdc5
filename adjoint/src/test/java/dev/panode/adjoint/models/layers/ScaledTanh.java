package dev.panode.adjoint.models.layers;

/**
 * A user-written layer as docs/MODELS.md shows it: {@code y = a ⊙ tanh(x)} with a learnable scale a per column.
 * It implements only its sizes, forward and backward.
 */
record ScaledTanh(int width) implements ShapePreserving {
    @Override
    public int parameterCount() {
        return width;
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) y[r * width + j] = theta[offset + j] * Math.tanh(x[r * width + j]);
        }
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                int i = r * width + j;
                double th = Math.tanh(x[i]);
                xBar[i] = yBar[i] * theta[offset + j] * (1 - th * th);
                if (thetaBar != null) thetaBar[offset + j] += yBar[i] * th;
            }
        }
        return 0.0;
    }
}
