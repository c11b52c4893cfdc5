package dev.panode.adjoint.models;

import dev.panode.solvers.FieldWorkspace;

/**
 * Test oracle field f(t, y) = tanh(W y + b) + sin(t)·c over a batch, θ = (W row-major, b, c): small, nonlinear,
 * non-autonomous, with a hand-written VJP. Counts evaluations.
 */
public final class TanhField implements DifferentiableField {
    final int d;
    public final double[] theta;
    long evaluations;
    long vjps;

    public TanhField(int d, long seed) {
        this.d = d;
        this.theta = new double[d * d + 2 * d];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < theta.length; i++) theta[i] = r.nextGaussian() * 0.6;
    }

    @Override public int dim() { return d; }
    @Override public int parameterCount() { return theta.length; }
    @Override public double[] parameters() { return theta; }
    @Override public int[] parameterTensorSizes() { return new int[] {d * d, d, d}; }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        evaluations++;
        double st = Math.sin(t);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < d; i++) {
                double u = theta[d * d + i];
                for (int j = 0; j < d; j++) u += theta[i * d + j] * y[r * d + j];
                dyOut[r * d + i] = Math.tanh(u) + st * theta[d * d + d + i];
            }
        }
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                      int rows, boolean wantTime, FieldWorkspace ws) {
        vjps++;
        double st = Math.sin(t);
        double ct = Math.cos(t);
        double tBar = 0.0;
        java.util.Arrays.fill(yBar, 0, rows * d, 0.0);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < d; i++) {
                double u = theta[d * d + i];
                for (int j = 0; j < d; j++) u += theta[i * d + j] * y[r * d + j];
                double th = Math.tanh(u);
                double vi = v[r * d + i];
                if (fOut != null) fOut[r * d + i] = th + st * theta[d * d + d + i];
                double ub = vi * (1 - th * th);
                for (int j = 0; j < d; j++) {
                    yBar[r * d + j] += ub * theta[i * d + j];
                    if (thetaBar != null) thetaBar[i * d + j] += ub * y[r * d + j];
                }
                if (thetaBar != null) {
                    thetaBar[d * d + i] += ub;
                    thetaBar[d * d + d + i] += vi * st;
                }
                tBar += vi * ct * theta[d * d + d + i];
            }
        }
        return wantTime ? tBar : 0.0;
    }
}
