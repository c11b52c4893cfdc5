package dev.panode.adjoint.models;

import dev.panode.simd.ActivationKernel;

import dev.panode.blas.Transpose;
import dev.panode.simd.Gemm;
import dev.panode.solvers.FieldWorkspace;

/**
 * The one-layer field {@code f(y) = tanh(W y + b)} with a fixed square matrix W and trainable bias θ = b (P = dim):
 * the model of the leapfrog experiment in docs/ALGORITHMS.md §10 (there with a bias per step, via
 * {@link PerStepParameters}). Autonomous: ∂f/∂t = 0. One GEMM plus a fused bias-and-tanh per evaluation.
 */
public final class AffineTanhField implements DifferentiableField {
    private final int d;
    private final double[] w;
    private final double[] b;

    /**
     * A field with matrix {@code w} and an initial bias.
     *
     * @param w    the d×d matrix, row-major (copied)
     * @param bias the initial bias, length d (copied)
     */
    public AffineTanhField(double[] w, double[] bias) {
        if (bias == null || bias.length < 1) throw new IllegalArgumentException("bias must have length >= 1");
        this.d = bias.length;
        if (w == null || w.length != d * d) {
            throw new IllegalArgumentException("w must be " + d + "x" + d + " = " + d * d + " values, got "
                    + (w == null ? "null" : w.length));
        }
        for (int i = 0; i < w.length; i++) {
            if (!Double.isFinite(w[i])) throw new IllegalArgumentException("w[" + i + "] is not finite: " + w[i]);
        }
        this.w = w.clone();
        this.b = bias.clone();
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public int parameterCount() {
        return d;
    }

    @Override
    public double[] parameters() {
        return b;
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        return new Scratch(maxRows * d);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        Gemm.dgemm(Transpose.NO, Transpose.YES, rows, d, d, 1.0, y, 0, d, w, 0, d, 0.0, dyOut, 0, d);
        ActivationKernel.TANH.biasActivate(dyOut, 0, b, 0, rows, d, dyOut, 0, dyOut, 0);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                      int rows, boolean wantTime, FieldWorkspace ws) {
        Scratch s = (Scratch) ws;
        int n = rows * d;
        Gemm.dgemm(Transpose.NO, Transpose.YES, rows, d, d, 1.0, y, 0, d, w, 0, d, 0.0, s.u, 0, d);
        ActivationKernel.TANH.biasActivate(s.u, 0, b, 0, rows, d, s.u, 0, s.a, 0);
        if (fOut != null) System.arraycopy(s.a, 0, fOut, 0, n);
        System.arraycopy(v, 0, s.uBar, 0, n);
        ActivationKernel.TANH.derivativeTimes(s.u, 0, s.a, 0, s.uBar, 0, n);
        if (thetaBar != null) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < d; c++) thetaBar[c] += s.uBar[r * d + c];
            }
        }
        Gemm.dgemm(Transpose.NO, Transpose.NO, rows, d, d, 1.0, s.uBar, 0, d, w, 0, d, 0.0, yBar, 0, d);
        return 0.0;
    }

    private static final class Scratch implements FieldWorkspace {
        final double[] u;
        final double[] a;
        final double[] uBar;

        Scratch(int n) {
            u = new double[n];
            a = new double[n];
            uBar = new double[n];
        }
    }
}
