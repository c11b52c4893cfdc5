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
 * <p>Below {@link Lapack#nativeMinOrder()} (where the facade runs its Java LU anyway) the solves with M run here: the
 * same permutation and triangular sweeps, without the facade's per-call argument checks (the factors are this class's
 * own, checked when factorised), without tests for zero entries, and with the reciprocals of U's diagonal computed
 * once per factorisation, so each back-substitution step multiplies instead of dividing. On HIRES (order 8) the
 * triangular solve was about 40% of an implicit solve's CPU time (docs/BENCHMARKS.md §10).
 *
 * <p>Not thread-safe; one instance per stepper or per reverse pass.
 */
public final class IterationMatrix {
    private final int dim;
    private final double[] lu;
    private final int[] ipiv;
    /** 1/U(j, j) of every block, for the solves run here; null when the facade solves. */
    private final double[] inversePivots;
    private double factoredC = Double.NaN;
    private int rows;

    /** Room for {@code maxRows} blocks of {@code dim × dim}. */
    public IterationMatrix(int maxRows, int dim) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        this.dim = dim;
        this.lu = new double[Math.multiplyExact(Math.multiplyExact(maxRows, dim), dim)];
        this.ipiv = new int[maxRows * dim];
        this.inversePivots = dim < Lapack.nativeMinOrder() ? new double[maxRows * dim] : null;
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
            if (inversePivots != null) {
                for (int j = 0; j < dim; j++) inversePivots[r * dim + j] = 1.0 / lu[b + j * dim + j];
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
        if (inversePivots == null) {
            solve(Transpose.NO, b);
            return;
        }
        if (b.length < rows * dim)
            throw new IllegalArgumentException("b must hold rows·dim = " + rows * dim + " values, got " + b.length);
        int dd = dim * dim;
        for (int r = 0; r < rows; r++) {
            int x = r * dim, base = r * dd;
            for (int i = 0; i < dim; i++) { // P·b
                int p = ipiv[x + i] - 1;
                if (p != i) {
                    double t = b[x + i];
                    b[x + i] = b[x + p];
                    b[x + p] = t;
                }
            }
            for (int j = 0; j < dim; j++) { // L·z = P·b, unit diagonal
                double v = b[x + j];
                int col = base + j * dim;
                for (int i = j + 1; i < dim; i++) b[x + i] -= v * lu[col + i];
            }
            for (int j = dim - 1; j >= 0; j--) { // U·x = z
                int col = base + j * dim;
                double v = b[x + j] * inversePivots[x + j];
                b[x + j] = v;
                for (int i = 0; i < j; i++) b[x + i] -= v * lu[col + i];
            }
        }
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
