package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;

/**
 * f_n(y) = tanh(W y + θ_n) written with plain loops and implementing {@link PerStepField} directly: a test twin of
 * {@link AffineTanhField} under {@link PerStepParameters} that depends on no simd-core kernel.
 */
public final class ScalarPerStepTanh implements PerStepField {
    private final int d;
    private final int steps;
    private final double[] w;
    private final double[] theta;

    public ScalarPerStepTanh(double[] w, int d, int steps) {
        this.d = d;
        this.steps = steps;
        this.w = w.clone();
        this.theta = new double[steps * d];
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public int parametersPerStep() {
        return d;
    }

    @Override
    public double[] parameters() {
        return theta;
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        return new Scratch(maxRows * d);
    }

    @Override
    public void evaluate(double[] th, int off, double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < d; i++) {
                double u = th[off + i];
                for (int j = 0; j < d; j++) u += w[i * d + j] * y[r * d + j];
                dyOut[r * d + i] = Math.tanh(u);
            }
        }
    }

    @Override
    public void vjp(double[] th, int off, double t, double[] y, double[] v, double[] yBar, double[] thetaBar,
                    int thetaBarOff, int rows, FieldWorkspace ws) {
        double[] uBar = ((Scratch) ws).uBar;
        evaluate(th, off, t, y, uBar, rows, ws);
        for (int e = 0; e < rows * d; e++) uBar[e] = v[e] * (1.0 - uBar[e] * uBar[e]);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                double acc = 0.0;
                for (int i = 0; i < d; i++) acc += uBar[r * d + i] * w[i * d + j];
                yBar[r * d + j] = acc;
            }
            if (thetaBar != null) for (int i = 0; i < d; i++) thetaBar[thetaBarOff + i] += uBar[r * d + i];
        }
    }

    private static final class Scratch implements FieldWorkspace {
        final double[] uBar;

        Scratch(int n) {
            uBar = new double[n];
        }
    }
}
