package dev.panode.solvers;

import java.util.Arrays;

/**
 * The tableau of an ESDIRK method (explicit first stage, singly diagonally implicit): nodes {@code c}, lower-triangular
 * coefficients {@code a} with {@code a_00 = 0} and the same diagonal {@code a_ii = γ} for i ≥ 1, weights {@code b} and
 * embedded weights {@code b̂}.
 *
 * <pre>
 * Y_0 = y,                 k_0 = f(t, y)
 * Y_i = y + h Σ_{j&lt;i} a_ij k_j + hγ f(t + c_i h, Y_i),   k_i = f(t + c_i h, Y_i)     i = 1..s−1
 * y_new = y + h Σ b_i k_i = Y_{s−1},      ŷ = y + h Σ b̂_i k_i = Y_{s−2}
 * </pre>
 *
 * <p>This class only holds stiffly accurate pairs: {@code b} is the last row of {@code a} and {@code b̂} the row before
 * it (with {@code c_{s−2} = c_{s−1} = 1}), so the step's result and the embedded result are both stage values, solved
 * for by the Newton iteration; L-stability of the method then follows from A-stability. The record checks this
 * structure and that every row sums to its node, to a tolerance scaled by the coefficients.
 *
 * @param name       e.g. {@code "kvaerno5"}
 * @param c          nodes, length s
 * @param a          s rows, row i of length i + 1 (lower triangular with the diagonal)
 * @param order      the order of {@code b}
 * @param errorOrder the order of {@code b̂}
 */
public record DirkTableau(String name, double[] c, double[][] a, int order, int errorOrder) {

    public DirkTableau {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must be non-blank, got " + name);
        if (c == null || c.length < 3) throw new IllegalArgumentException(name + ": c must have at least 3 nodes");
        int s = c.length;
        if (a == null || a.length != s)
            throw new IllegalArgumentException(name + ": a must have " + s + " rows, got " + (a == null ? null : a.length));
        if (order < 1 || errorOrder < 1 || errorOrder >= order)
            throw new IllegalArgumentException(name + ": need 1 <= errorOrder < order, got order " + order
                    + ", errorOrder " + errorOrder);
        double[][] rows = new double[s][];
        for (int i = 0; i < s; i++) {
            if (a[i] == null || a[i].length != i + 1)
                throw new IllegalArgumentException(name + ": a[" + i + "] must have length " + (i + 1) + ", got "
                        + (a[i] == null ? null : a[i].length));
            rows[i] = a[i].clone();
            double sum = 0, mag = Math.abs(c[i]);
            for (double v : rows[i]) {
                if (!Double.isFinite(v)) throw new IllegalArgumentException(name + ": a[" + i + "] has " + v);
                sum += v;
                mag += Math.abs(v);
            }
            if (Math.abs(sum - c[i]) > 1e-13 * Math.max(1.0, mag))
                throw new IllegalArgumentException(name + ": row " + i + " of a sums to " + sum + " but c[" + i + "] = " + c[i]);
        }
        if (rows[0][0] != 0.0)
            throw new IllegalArgumentException(name + ": a[0][0] must be 0 (explicit first stage), got " + rows[0][0]);
        double gamma = rows[1][1];
        if (!(gamma > 0)) throw new IllegalArgumentException(name + ": the diagonal γ must be > 0, got " + gamma);
        for (int i = 1; i < s; i++)
            if (rows[i][i] != gamma)
                throw new IllegalArgumentException(name + ": a[" + i + "][" + i + "] = " + rows[i][i]
                        + " but a singly diagonally implicit method needs every diagonal entry = γ = " + gamma);
        if (c[s - 1] != 1.0 || c[s - 2] != 1.0)
            throw new IllegalArgumentException(name + ": c[s-2] and c[s-1] must be 1 (stiffly accurate b and b̂), got "
                    + c[s - 2] + ", " + c[s - 1]);
        c = c.clone();
        a = rows;
    }

    /** The number of stages s. */
    public int stages() {
        return c.length;
    }

    /** The diagonal coefficient γ. */
    public double gamma() {
        return a[1][1];
    }

    /** a_ij (0 above the diagonal). */
    public double a(int i, int j) {
        return j <= i ? a[i][j] : 0.0;
    }

    /** The node c_i. */
    public double c(int i) {
        return c[i];
    }

    /** The weights b: the last row of a. */
    public double[] b() {
        return a[c.length - 1].clone();
    }

    /** The embedded weights b̂: the row before the last, with b̂_{s−1} = 0. */
    public double[] bHat() {
        return Arrays.copyOf(a[c.length - 2], c.length);
    }

    @Override
    public double[] c() {
        return c.clone();
    }

    @Override
    public double[][] a() {
        return Tableaux.copyRows(a);
    }

    /**
     * Kværnø's 7-stage ESDIRK pair of orders 5 (4), γ = 0.26, L-stable, both results stiffly accurate.
     * A. Kværnø, Singly diagonally implicit Runge–Kutta methods with an explicit first stage, BIT 44 (2004) 489–502.
     */
    public static DirkTableau kvaerno5() {
        double g = 0.26;
        return new DirkTableau("kvaerno5",
                new double[] {0, 0.52, 1.230333209967908, 0.8957659843500759, 0.43639360985864756, 1, 1},
                new double[][] {
                        {0},
                        {g, g},
                        {0.13, 0.84033320996790809, g},
                        {0.22371961478320505, 0.47675532319799699, -0.06470895363112615, g},
                        {0.16648564323248321, 0.10450018841591720, 0.03631482272098715, -0.13090704451073998, g},
                        {0.13855640231268224, 0, -0.04245337201752043, 0.02446657898003141, 0.61943039072480676, g},
                        {0.13659751177640291, 0, -0.05496908796538376, -0.04118626728321046, 0.62993304899016403,
                                0.06962479448202728, g}},
                5, 4);
    }
}
