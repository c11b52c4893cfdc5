package dev.panode.adjoint.models;

import dev.panode.blas.Transpose;
import dev.panode.simd.Gemm;
import dev.panode.solvers.FieldWorkspace;

/**
 * The true dynamics of torchdiffeq's spiral demo ({@code examples/ode_demo.py}): {@code dy/dt = (y³)·A} with y a row
 * vector and the cube taken element-wise, i.e. {@code f_j = Σ_i y_i³ A_ij}; batch form {@code F = Y³·A}.
 * Parameters θ = A row-major {@code d × d}. {@link #torchdiffeqDemo()} gives the demo's
 * {@code A = [[−0.1, 2], [−2, −0.1]]}.
 *
 * <p>VJP: {@code ȳ = 3Y² ⊙ (V·Aᵀ)}, {@code Ā += (Y³)ᵀ·V}, ∂f/∂t = 0. Note the orientation: A multiplies from the right,
 * unlike {@link LinearField}.
 */
public final class SpiralField implements DifferentiableField {
    private final int dim;
    private final double[] a;

    /**
     * The field with matrix A.
     *
     * @param a the {@code d × d} matrix A, row-major (copied)
     * @param dim d
     */
    public SpiralField(double[] a, int dim) {
        this.a = FieldChecks.squareMatrixCopy(a, dim);
        this.dim = dim;
    }

    /** torchdiffeq's {@code true_A = [[-0.1, 2.0], [-2.0, -0.1]]}. */
    public static SpiralField torchdiffeqDemo() {
        return new SpiralField(new double[] {-0.1, 2.0, -2.0, -0.1}, 2);
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
    public FieldWorkspace newWorkspace(int maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        return new Cubes(dim, maxRows);
    }

    @Override
    public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.evaluateArguments(y, dyOut, rows, dim);
        evaluateUnchecked(t, y, dyOut, rows, ws);
    }

    @Override
    public void evaluateUnchecked(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        if (rows == 0) return;
        Cubes c = (Cubes) ws;
        InputTransform.CUBE.apply(y, rows, dim, c.cubes, dim);
        Gemm.dgemm(Transpose.NO, Transpose.NO, rows, dim, dim, 1.0, c.cubes, 0, dim, a, 0, dim, 0.0, dyOut, 0, dim);
    }

    @Override
    public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                      int rows, boolean wantTime, FieldWorkspace ws) {
        check(ws, rows);
        FieldChecks.vjpArguments(y, v, yBar, thetaBar, fOut, rows, dim, a.length);
        return vjpUnchecked(t, y, v, yBar, thetaBar, fOut, rows, wantTime, ws);
    }

    @Override
    public double vjpUnchecked(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                               int rows, boolean wantTime, FieldWorkspace ws) {
        if (rows == 0) return 0.0;
        Cubes c = (Cubes) ws;
        InputTransform.CUBE.apply(y, rows, dim, c.cubes, dim);
        if (fOut != null) {
            Gemm.dgemm(Transpose.NO, Transpose.NO, rows, dim, dim, 1.0, c.cubes, 0, dim, a, 0, dim, 0.0, fOut, 0, dim);
        }
        if (thetaBar != null) {
            Gemm.dgemm(Transpose.YES, Transpose.NO, dim, dim, rows, 1.0, c.cubes, 0, dim, v, 0, dim,
                    1.0, thetaBar, 0, dim);
        }
        Gemm.dgemm(Transpose.NO, Transpose.YES, rows, dim, dim, 1.0, v, 0, dim, a, 0, dim, 0.0, c.cotangent, 0, dim);
        InputTransform.CUBE.pullBack(y, c.cotangent, dim, rows, dim, yBar);
        return 0.0;
    }

    private Cubes check(FieldWorkspace ws, int rows) {
        if (!(ws instanceof Cubes c) || c.dim != dim) {
            throw new IllegalArgumentException("ws must come from newWorkspace of a SpiralField of dim " + dim
                    + ", got " + ws);
        }
        if (rows < 0 || rows > c.maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + c.maxRows + "] for this workspace, got " + rows);
        }
        return c;
    }

    /** Scratch for Y³ and V·Aᵀ. */
    private static final class Cubes implements FieldWorkspace {
        final int dim;
        final int maxRows;
        final double[] cubes;
        final double[] cotangent;

        Cubes(int dim, int maxRows) {
            this.dim = dim;
            this.maxRows = maxRows;
            this.cubes = new double[dim * maxRows];
            this.cotangent = new double[dim * maxRows];
        }
    }
}
