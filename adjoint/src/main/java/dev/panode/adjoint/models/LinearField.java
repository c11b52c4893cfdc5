package dev.panode.adjoint.models;

import dev.panode.blas.Transpose;
import dev.panode.simd.Gemm;
import dev.panode.solvers.FieldWorkspace;

/**
 * The linear autonomous field {@code f(y) = A·y} for every sample (batch form {@code F = Y·Aᵀ}), parameters θ = A
 * row-major {@code d × d}. Its flow is {@code expm(A t)}, which makes it the analytic oracle for solvers and gradient
 * methods (reference file {@code linear_3x3.json}).
 *
 * <p>VJP: {@code ȳ = V·A}, {@code Ā += Vᵀ·Y}, ∂f/∂t = 0. One GEMM each; nothing is allocated; no workspace is needed.
 */
public final class LinearField implements DifferentiableField {
    private final int dim;
    private final double[] a;

    /**
     * The field {@code f(t, y) = A y}.
     *
     * @param a the {@code d × d} matrix A, row-major (copied)
     * @param dim d
     */
    public LinearField(double[] a, int dim) {
        this.a = FieldChecks.squareMatrixCopy(a, dim);
        this.dim = dim;
    }

    /** A field from the rows of A (copied). */
    public static LinearField of(double[][] rowsOfA) {
        if (rowsOfA == null) throw new IllegalArgumentException("rowsOfA must be non-null");
        int d = rowsOfA.length;
        double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            if (rowsOfA[i].length != d) {
                throw new IllegalArgumentException("rowsOfA must be square " + d + "×" + d + ", row " + i
                        + " has length " + rowsOfA[i].length);
            }
            System.arraycopy(rowsOfA[i], 0, flat, i * d, d);
        }
        return new LinearField(flat, d);
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int parameterCount() {
        return a.length;
    }

    /** A row-major, live. */
    @Override
    public double[] parameters() {
        return a;
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        FieldChecks.rows(rows);
        FieldChecks.evaluateArguments(y, dyOut, rows, dim);
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        if (rows == 0) return;
        Gemm.dgemm(Transpose.NO, Transpose.YES, rows, dim, dim, 1.0, y, 0, dim, a, 0, dim, 0.0, dyOut, 0, dim);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                      int rows, boolean wantTime, FieldWorkspace ws) {
        FieldChecks.vjpArguments(y, v, yBar, thetaBar, fOut, rows, dim, a.length);
        return vjpUnchecked(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
    }

    @Override
    public double vjpUnchecked(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                               int rows, boolean wantTime, FieldWorkspace ws) {
        if (rows == 0) return 0.0;
        if (fOut != null) {
            Gemm.dgemm(Transpose.NO, Transpose.YES, rows, dim, dim, 1.0, y, 0, dim, a, 0, dim, 0.0, fOut, 0, dim);
        }
        Gemm.dgemm(Transpose.NO, Transpose.NO, rows, dim, dim, 1.0, v, 0, dim, a, 0, dim, 0.0, yBar, 0, dim);
        if (thetaBar != null) {
            Gemm.dgemm(Transpose.YES, Transpose.NO, dim, dim, rows, 1.0, v, 0, dim, y, 0, dim, 1.0, thetaBar, 0, dim);
        }
        return 0.0;
    }
}
