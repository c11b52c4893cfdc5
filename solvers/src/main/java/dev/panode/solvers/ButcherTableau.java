package dev.panode.solvers;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta tableau (Butcher 1964): nodes {@code c}, strictly lower-triangular coefficients {@code a},
 * weights {@code b} and, for embedded pairs, error weights {@code e = b − b̂}.
 *
 * <pre>
 * k_i   = f(t + c_i h, y + h Σ_{j&lt;i} a_ij k_j)      i = 0..s−1
 * y_new = y + h Σ_i b_i k_i
 * err   = h Σ_i e_i k_i
 * </pre>
 *
 * <p>The record validates itself when built: {@code c_0 = 0} (explicit, first stage at the current point), every row of
 * {@code a} sums to {@code c_i}, {@code Σ b = 1} and {@code Σ e = 0}, all to a tolerance scaled by the size of the
 * coefficients (published decimal coefficients are accepted). The FSAL property ("first same as last": the last row of
 * {@code a} equals {@code b} and {@code c_{s−1} = 1}) is derived, never declared.
 *
 * <p>{@code a} may be given either as jagged rows ({@code a[i].length == i}) or as a square matrix whose upper part is
 * zero; it is stored jagged. The arrays are copied in and every accessor returns a copy; use the scalar accessors
 * ({@link #a(int, int)}, {@link #b(int)}, ...) on hot paths.
 *
 * @param name       a short name such as {@code "dopri5"}
 * @param c          nodes, length s
 * @param a          stage coefficients, s rows, strictly lower triangular
 * @param b          weights of the propagated solution, length s
 * @param e          error weights {@code b − b̂}, length s, or {@code null} for a method without an error estimate
 * @param order      the order of the propagated solution
 * @param errorOrder the order of the embedded solution {@code b̂} (the local error estimate is O(h^(errorOrder+1))),
 *                   0 when {@code e} is null
 */
public record ButcherTableau(String name, double[] c, double[][] a, double[] b, double[] e, int order, int errorOrder) {

    /** Checks the tableau: shapes, an explicit (strictly lower triangular) A, and the orders; messages name the bad entry. */
    public ButcherTableau {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must be non-blank, got " + name);
        if (b == null || b.length == 0) throw new IllegalArgumentException(name + ": b must have at least one weight");
        int s = b.length;
        if (c == null || c.length != s)
            throw new IllegalArgumentException(name + ": c must have length " + s + ", got " + (c == null ? null : c.length));
        if (a == null || a.length != s)
            throw new IllegalArgumentException(name + ": a must have " + s + " rows, got " + (a == null ? null : a.length));
        if (e != null && e.length != s)
            throw new IllegalArgumentException(name + ": e must have length " + s + ", got " + e.length);
        if (order < 1) throw new IllegalArgumentException(name + ": order must be >= 1, got " + order);
        if (e == null && errorOrder != 0)
            throw new IllegalArgumentException(name + ": errorOrder must be 0 without error weights, got " + errorOrder);
        if (e != null && (errorOrder < 1 || errorOrder >= order + 2))
            throw new IllegalArgumentException(name + ": errorOrder must be in [1, order+1], got " + errorOrder);
        if (c[0] != 0.0) throw new IllegalArgumentException(name + ": c[0] must be 0 for an explicit method, got " + c[0]);
        double[][] rows = new double[s][];
        for (int i = 0; i < s; i++) {
            double[] ai = a[i];
            if (ai == null || (ai.length != i && ai.length != s))
                throw new IllegalArgumentException(name + ": a[" + i + "] must have length " + i + " or " + s
                        + ", got " + (ai == null ? null : ai.length));
            for (int j = i; j < ai.length; j++)
                if (ai[j] != 0.0)
                    throw new IllegalArgumentException(name + ": a[" + i + "][" + j + "] = " + ai[j]
                            + " but an explicit method needs a strictly lower-triangular a");
            rows[i] = Arrays.copyOf(ai, i);
            double sum = 0.0, mag = Math.abs(c[i]);
            for (int j = 0; j < i; j++) {
                sum += rows[i][j];
                mag += Math.abs(rows[i][j]);
            }
            checkFinite(name, "a[" + i + "]", rows[i]);
            if (Math.abs(sum - c[i]) > 1e-13 * Math.max(1.0, mag))
                throw new IllegalArgumentException(name + ": row " + i + " of a sums to " + sum + " but c[" + i + "] = " + c[i]);
        }
        checkFinite(name, "b", b);
        checkFinite(name, "c", c);
        double sb = 0.0, mb = 0.0;
        for (double v : b) {
            sb += v;
            mb += Math.abs(v);
        }
        if (Math.abs(sb - 1.0) > 1e-13 * Math.max(1.0, mb))
            throw new IllegalArgumentException(name + ": the weights b must sum to 1, got " + sb);
        if (e != null) {
            checkFinite(name, "e", e);
            double se = 0.0, me = 0.0;
            for (double v : e) {
                se += v;
                me += Math.abs(v);
            }
            if (Math.abs(se) > 1e-13 * Math.max(1.0, me))
                throw new IllegalArgumentException(name + ": the error weights e must sum to 0, got " + se);
        }
        c = c.clone();
        a = rows;
        b = b.clone();
        e = e == null ? null : e.clone();
    }

    private static void checkFinite(String name, String what, double[] v) {
        for (int i = 0; i < v.length; i++)
            if (!Double.isFinite(v[i]))
                throw new IllegalArgumentException(name + ": " + what + "[" + i + "] must be finite, got " + v[i]);
    }

    /** Builds a tableau from its weights {@code b} and the embedded weights {@code bHat} ({@code e = b − b̂}). */
    public static ButcherTableau embedded(String name, double[] c, double[][] a, double[] b, double[] bHat,
                                          int order, int errorOrder) {
        if (bHat == null || b == null || bHat.length != b.length)
            throw new IllegalArgumentException(name + ": bHat must have the length of b");
        double[] e = new double[b.length];
        for (int i = 0; i < b.length; i++) e[i] = b[i] - bHat[i];
        return new ButcherTableau(name, c, a, b, e, order, errorOrder);
    }

    /** The number of stages s. */
    public int stages() {
        return b.length;
    }

    /** True when the tableau has error weights, so that it can run under an adaptive controller. */
    public boolean isAdaptive() {
        return e != null;
    }

    /**
     * First same as last, derived: {@code c_{s−1} = 1} and the last row of {@code a} equals {@code b} (with
     * {@code b_{s−1} = 0}). Then the last stage of a step is {@code f(t+h, y_new)}, the first stage of the next.
     */
    public boolean isFsal() {
        int s = b.length;
        if (s < 2 || c[s - 1] != 1.0 || b[s - 1] != 0.0) return false;
        for (int j = 0; j < s - 1; j++) if (a[s - 1][j] != b[j]) return false;
        return true;
    }

    /** Coefficient {@code a_ij} (0 for {@code j ≥ i}). */
    public double a(int i, int j) {
        return j < i ? a[i][j] : 0.0;
    }

    /** Weight {@code b_i}. */
    public double b(int i) {
        return b[i];
    }

    /** Node {@code c_i}. */
    public double c(int i) {
        return c[i];
    }

    /** Error weight {@code e_i = b_i − b̂_i}; 0 for a method without an error estimate. */
    public double e(int i) {
        return e == null ? 0.0 : e[i];
    }

    /** A copy of the nodes. */
    @Override
    public double[] c() {
        return c.clone();
    }

    /** A copy of the coefficients as jagged rows ({@code a()[i].length == i}). */
    @Override
    public double[][] a() {
        return Tableaux.copyRows(a);
    }

    /** A copy of the weights. */
    @Override
    public double[] b() {
        return b.clone();
    }

    /** A copy of the error weights, or {@code null}. */
    @Override
    public double[] e() {
        return e == null ? null : e.clone();
    }

    /** The embedded weights {@code b̂ = b − e}, or {@code null}. */
    public double[] bHat() {
        if (e == null) return null;
        double[] bh = new double[b.length];
        for (int i = 0; i < b.length; i++) bh[i] = b[i] - e[i];
        return bh;
    }

    // Package-private views for the kernels of this package: never modified.
    double[] cView() {
        return c;
    }

    double[] aRowView(int i) {
        return a[i];
    }

    double[] bView() {
        return b;
    }

    double[] eView() {
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ButcherTableau t && name.equals(t.name) && order == t.order && errorOrder == t.errorOrder
                && Arrays.equals(c, t.c) && Arrays.deepEquals(a, t.a) && Arrays.equals(b, t.b) && Arrays.equals(e, t.e);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return "ButcherTableau[" + name + ", s=" + b.length + ", order=" + order
                + (e == null ? "" : ", errorOrder=" + errorOrder) + (isFsal() ? ", FSAL" : "") + "]";
    }
}
