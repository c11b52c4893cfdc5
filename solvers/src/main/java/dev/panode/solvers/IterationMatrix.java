package dev.panode.solvers;

import dev.panode.blas.Lapack;
import dev.panode.blas.Transpose;

/**
 * The LU factors of the iteration matrix {@code M = I − c·J} of an implicit method (c = γh), one block per row of the
 * batch, factorised and solved through {@link Lapack} (OpenBLAS's {@code dgetrf}/{@code dgetrs}, or the pure-Java LU).
 * Remembers the c it was factorised with, so that a stepper can reuse it while γh stays close. Solves with M and with
 * Mᵀ (the latter for the discrete adjoint of an implicit step, which runs the transposed stage systems through the
 * same factors). Cost: one O(dim³) LU per row per {@link #factorise}, O(dim²) per row per solve. Allocation-free.
 *
 * <p>Not thread-safe; one instance per stepper or per reverse pass.
 */
public final class IterationMatrix {
    private final int dim;
    private final double[] lu;
    private final int[] ipiv;
    private double factoredC = Double.NaN;
    private int rows;

    /** Room for {@code maxRows} blocks of {@code dim × dim}. */
    public IterationMatrix(int maxRows, int dim) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        this.dim = dim;
        this.lu = new double[Math.multiplyExact(Math.multiplyExact(maxRows, dim), dim)];
        this.ipiv = new int[maxRows * dim];
    }

    /**
     * Factorises {@code I − c·J} for every row from the row-major Jacobian blocks. Returns false when a block is
     * singular (a zero pivot); the factors are then unusable until the next successful call. {@code jacobian} holds
     * {@code rows} blocks of {@code dim × dim} (as {@link JacobianField#jacobian} writes them); rows ≤ maxRows.
     */
    public boolean factorise(double[] jacobian, double c, int rows) {
        int dd = dim * dim;
        if (rows < 1 || (long) rows * dim > ipiv.length)
            throw new IllegalArgumentException("rows must be in [1, " + ipiv.length / dim + "], got " + rows);
        if (jacobian == null || jacobian.length < rows * dd)
            throw new IllegalArgumentException("jacobian must hold rows·dim² = " + rows * dd + " values, got "
                    + (jacobian == null ? null : jacobian.length));
        this.rows = rows;
        for (int r = 0; r < rows; r++) {
            int b = r * dd;
            for (int j = 0; j < dim; j++) {
                for (int i = 0; i < dim; i++) {
                    lu[b + j * dim + i] = (i == j ? 1.0 : 0.0) - c * jacobian[b + i * dim + j]; // column-major
                }
            }
            if (Lapack.dgetrf(dim, dim, lu, b, dim, ipiv, r * dim) != 0) {
                factoredC = Double.NaN;
                return false;
            }
        }
        factoredC = c;
        return true;
    }

    /** The c of the current factors, NaN when there are none. */
    public double factoredC() {
        return factoredC;
    }

    /** Forgets the factors (the Jacobian changed). */
    public void invalidate() {
        factoredC = Double.NaN;
    }

    /** Solves {@code M·x = b} in place, row by row, on {@code b[0 .. rows·dim)}. */
    public void solve(double[] b) {
        solve(Transpose.NO, b);
    }

    /** Solves {@code Mᵀ·x = b} in place, row by row, on {@code b[0 .. rows·dim)}. */
    public void solveTransposed(double[] b) {
        solve(Transpose.YES, b);
    }

    private void solve(Transpose trans, double[] b) {
        int dd = dim * dim;
        for (int r = 0; r < rows; r++) {
            Lapack.dgetrs(trans, dim, 1, lu, r * dd, dim, ipiv, r * dim, b, r * dim, dim);
        }
    }
}
