package dev.panode.adjoint.models;

/**
 * A fixed element-wise map φ applied to the state before the first layer of an {@link Mlp}: the network sees
 * φ(y) instead of y. It has no parameters; the VJP multiplies the input cotangent by φ'(y).
 *
 * <p>{@link #CUBE} is the feature map of torchdiffeq's spiral demo ({@code ode_demo.py}), where the true dynamics are
 * {@code dy/dt = y³·A} and the network is fed {@code y**3}.
 */
public enum InputTransform {
    /** φ(y) = y. */
    NONE,
    /** φ(y) = y³, φ'(y) = 3y². */
    CUBE;

    /** Scalar φ(y): the oracle. */
    public double apply(double y) {
        return switch (this) {
            case NONE -> y;
            case CUBE -> y * y * y;
        };
    }

    /** Scalar φ'(y). */
    public double derivative(double y) {
        return switch (this) {
            case NONE -> 1.0;
            case CUBE -> 3.0 * y * y;
        };
    }

    /**
     * Writes φ(y) for a {@code rows × cols} block of {@code y} (row stride {@code cols}) into {@code x}, whose row
     * stride is {@code ldx ≥ cols} (the extra columns are left alone). Unchecked.
     */
    public void apply(double[] y, int rows, int cols, double[] x, int ldx) {
        for (int r = 0; r < rows; r++) {
            int yi = r * cols;
            int xi = r * ldx;
            switch (this) {
                case NONE -> System.arraycopy(y, yi, x, xi, cols);
                case CUBE -> {
                    for (int c = 0; c < cols; c++) {
                        double v = y[yi + c];
                        x[xi + c] = v * v * v;
                    }
                }
            }
        }
    }

    /**
     * {@code yBar[r·cols + c] = xBar[r·ldx + c] · φ'(y[r·cols + c])} for a {@code rows × cols} block: the chain rule
     * through φ. {@code xBar} has row stride {@code ldx ≥ cols}. Unchecked.
     */
    public void pullBack(double[] y, double[] xBar, int ldx, int rows, int cols, double[] yBar) {
        for (int r = 0; r < rows; r++) {
            int yi = r * cols;
            int xi = r * ldx;
            switch (this) {
                case NONE -> System.arraycopy(xBar, xi, yBar, yi, cols);
                case CUBE -> {
                    for (int c = 0; c < cols; c++) {
                        double v = y[yi + c];
                        yBar[yi + c] = xBar[xi + c] * (3.0 * v * v);
                    }
                }
            }
        }
    }

    /** {@link #apply(double[], int, int, double[], int)} in float, for {@link MlpF32}: φ rounded to float. Unchecked. */
    public void apply(float[] y, int rows, int cols, float[] x, int ldx) {
        for (int r = 0; r < rows; r++) {
            int yi = r * cols;
            int xi = r * ldx;
            switch (this) {
                case NONE -> System.arraycopy(y, yi, x, xi, cols);
                case CUBE -> {
                    for (int c = 0; c < cols; c++) {
                        float v = y[yi + c];
                        x[xi + c] = v * v * v;
                    }
                }
            }
        }
    }

    /** {@link #pullBack(double[], double[], int, int, int, double[])} in float, for {@link MlpF32}. Unchecked. */
    public void pullBack(float[] y, float[] xBar, int ldx, int rows, int cols, float[] yBar) {
        for (int r = 0; r < rows; r++) {
            int yi = r * cols;
            int xi = r * ldx;
            switch (this) {
                case NONE -> System.arraycopy(xBar, xi, yBar, yi, cols);
                case CUBE -> {
                    for (int c = 0; c < cols; c++) {
                        float v = y[yi + c];
                        yBar[yi + c] = xBar[xi + c] * (3.0f * v * v);
                    }
                }
            }
        }
    }
}
