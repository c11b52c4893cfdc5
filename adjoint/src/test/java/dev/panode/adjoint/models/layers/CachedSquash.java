package dev.panode.adjoint.models.layers;

/**
 * A user-written layer that keeps an intermediate in its workspace and reads it in backward, as the {@link Layer}
 * contract allows: {@code y = x / (1 + x²)}, backward {@code x̄ = ȳ·(1 − x²)·d²} with {@code d = 1/(1 + x²)} from the
 * workspace. It implements only sizes, workspace, forward and backward, so backprop's saved stages rely on the
 * default {@link Layer#restoreState} (its own forward pass again).
 */
record CachedSquash(int width) implements ShapePreserving {
    @Override
    public LayerWorkspace newWorkspace(int maxRows) {
        return new Work(new double[maxRows * width]);
    }

    @Override
    public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset, LayerWorkspace ws) {
        double[] d = ((Work) ws).d;
        for (int i = 0; i < rows * width; i++) {
            d[i] = 1.0 / (1.0 + x[i] * x[i]);
            y[i] = x[i] * d[i];
        }
    }

    @Override
    public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time, double[] theta,
                           int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
        double[] d = ((Work) ws).d;
        for (int i = 0; i < rows * width; i++) xBar[i] = yBar[i] * (1.0 - x[i] * x[i]) * d[i] * d[i];
        return 0.0;
    }

    private record Work(double[] d) implements LayerWorkspace {}
}
