package dev.panode.solvers;

/**
 * Dense output of one Runge–Kutta step in stage-weight form:
 *
 * <pre>
 * y(t + θh) = y + h · ( Σ_{i&lt;s} w_i(θ) k_i  +  w_s(θ) f(t+h, y_new) ),     θ ∈ [0, 1]
 * w_i(θ)    = Σ_{p&lt;degree} coefficients[i][p] · θ^(p+1)
 * </pre>
 *
 * <p>Row {@code s} weighs the derivative at the end of the step ("end derivative"). For FSAL tableaux that derivative
 * is the last stage, so the row is folded into row {@code s−1} and no extra evaluation is ever needed. For other
 * tableaux an interpolation inside a step costs one evaluation, which is the first stage of the next step and is
 * therefore reused, not wasted.
 *
 * <p>An interpolant may also need extra stages evaluated after the step ({@link #withExtraStages}; DOP853's
 * seventh-order dense output needs three); their weights follow the end derivative.
 *
 * <p>This form is linear in the stages, which is what a backward pass differentiates:
 * {@code ∂y(θ)/∂y = I}, {@code ∂y(θ)/∂k_i = h·w_i(θ)}; {@link #weights} and {@link #coefficients} expose it.
 *
 * <p>Immutable and thread-safe.
 */
public final class Interpolant {
    private final String name;
    private final int order;
    private final int stages;
    private final double[][] coefficients;
    private final double[] extraC;
    private final double[][] extraA;

    private Interpolant(String name, int order, int stages, double[][] coefficients) {
        this(name, order, stages, coefficients, new double[0], new double[0][]);
    }

    private Interpolant(String name, int order, int stages, double[][] coefficients, double[] extraC, double[][] extraA) {
        this.name = name;
        this.order = order;
        this.stages = stages;
        this.coefficients = coefficients;
        this.extraC = extraC;
        this.extraA = extraA;
    }

    /**
     * An interpolant that needs {@code m} extra stages after the step (as DOP853's seventh-order dense output):
     * extra stage j is {@code f(t + extraC[j] h, y + h Σ_{i < s+1+j} extraA[j][i] k_i)}, where index s is the end
     * derivative and indices s+1.. are the earlier extra stages. The weights then run over s+1+m vectors.
     */
    public static Interpolant withExtraStages(String name, int order, int stages, double[] extraC, double[][] extraA,
                                              double[][] coefficients) {
        if (extraC == null || extraA == null || extraC.length != extraA.length)
            throw new IllegalArgumentException("extraC and extraA must have the same length");
        int m = extraC.length;
        if (coefficients == null || coefficients.length != stages + 1 + m)
            throw new IllegalArgumentException("coefficients must have " + (stages + 1 + m) + " rows");
        double[][] a = new double[m][];
        for (int j = 0; j < m; j++) {
            if (extraA[j] == null || extraA[j].length != stages + 1 + j)
                throw new IllegalArgumentException("extraA[" + j + "] must have length " + (stages + 1 + j));
            a[j] = extraA[j].clone();
        }
        int degree = coefficients[0].length;
        double[][] copy = new double[coefficients.length][];
        for (int i = 0; i < copy.length; i++) {
            if (coefficients[i].length != degree)
                throw new IllegalArgumentException("coefficients[" + i + "] must have length " + degree);
            copy[i] = coefficients[i].clone();
        }
        return new Interpolant(name, order, stages, copy, extraC.clone(), a);
    }

    /**
     * An interpolant given by its stage polynomials.
     *
     * @param coefficients {@code s} or {@code s+1} rows (the optional last row weighs the end derivative), each of the
     *                     same length {@code degree ≥ 1}: {@code w_i(θ) = Σ_p coefficients[i][p] θ^(p+1)}
     * @param stages       the number of stages s of the tableau it belongs to
     * @param order        the order of the interpolant (its error is O(h^(order+1)) inside a step)
     */
    public static Interpolant ofStagePolynomials(String name, int order, int stages, double[][] coefficients) {
        if (stages < 1) throw new IllegalArgumentException("stages must be >= 1, got " + stages);
        if (order < 1) throw new IllegalArgumentException("order must be >= 1, got " + order);
        if (coefficients == null || (coefficients.length != stages && coefficients.length != stages + 1))
            throw new IllegalArgumentException("coefficients must have " + stages + " or " + (stages + 1) + " rows, got "
                    + (coefficients == null ? null : coefficients.length));
        int degree = coefficients[0].length;
        if (degree < 1) throw new IllegalArgumentException("coefficients rows must have length >= 1");
        double[][] copy = new double[stages + 1][degree];
        for (int i = 0; i < coefficients.length; i++) {
            if (coefficients[i].length != degree)
                throw new IllegalArgumentException("coefficients[" + i + "] must have length " + degree
                        + ", got " + coefficients[i].length);
            for (int p = 0; p < degree; p++) {
                if (!Double.isFinite(coefficients[i][p]))
                    throw new IllegalArgumentException("coefficients[" + i + "][" + p + "] must be finite");
                copy[i][p] = coefficients[i][p];
            }
        }
        return new Interpolant(name, order, stages, copy);
    }

    /**
     * Cubic Hermite interpolation from (y, f) at both ends of the step, third order. For FSAL tableaux the end
     * derivative is the last stage; otherwise it costs one evaluation (reused as the next step's first stage).
     */
    public static Interpolant hermiteCubic(ButcherTableau tableau) {
        int s = tableau.stages();
        double[][] w = new double[s + 1][3];
        // y(θ) = h00 y0 + h10 h f0 + h01 y1 + h11 h f1, with y1 = y0 + h Σ b_i k_i and f0 = k_0.
        w[0][0] += 1.0;   // h10 = θ − 2θ² + θ³
        w[0][1] += -2.0;
        w[0][2] += 1.0;
        for (int i = 0; i < s; i++) { // h01 = 3θ² − 2θ³
            w[i][1] += 3.0 * tableau.b(i);
            w[i][2] += -2.0 * tableau.b(i);
        }
        w[s][1] = -1.0;   // h11 = θ³ − θ²
        w[s][2] = 1.0;
        foldFsal(tableau, w);
        return new Interpolant("hermite-cubic", 3, s, w);
    }

    /**
     * Shampine's quartic for FSAL pairs (Shampine 1986; the dense output of Hairer's DOPRI5 and of torchdiffeq):
     * the quartic through y, y_new, f(y), f(y_new) and a fourth-order midpoint value
     * {@code y_mid = y + h Σ mid_i k_i}. Fourth order.
     */
    public static Interpolant quarticWithMidpoint(ButcherTableau tableau, double[] mid) {
        int s = tableau.stages();
        if (!tableau.isFsal()) throw new IllegalArgumentException(tableau.name() + " is not FSAL");
        if (mid == null || mid.length != s) throw new IllegalArgumentException("mid must have length " + s);
        double[][] w = new double[s + 1][4];
        // p(θ) = y0 + θ d + θ² c + θ³ b + θ⁴ a with
        // d = h f0, c = h(f1 − 4 f0) − 11 y0 − 5 y1 + 16 ym, b = h(5 f0 − 3 f1) + 18 y0 + 14 y1 − 32 ym,
        // a = 2h(f1 − f0) − 8(y0 + y1) + 16 ym; the y0 terms cancel once y1, ym are written through the stages.
        w[0][0] = 1.0;
        w[0][1] += -4.0;
        w[0][2] += 5.0;
        w[0][3] += -2.0;
        w[s][1] = 1.0;
        w[s][2] = -3.0;
        w[s][3] = 2.0;
        for (int i = 0; i < s; i++) {
            double bi = tableau.b(i), mi = mid[i];
            w[i][1] += -5.0 * bi + 16.0 * mi;
            w[i][2] += 14.0 * bi - 32.0 * mi;
            w[i][3] += -8.0 * bi + 16.0 * mi;
        }
        foldFsal(tableau, w);
        return new Interpolant("shampine-quartic", 4, s, w);
    }

    private static void foldFsal(ButcherTableau tableau, double[][] w) {
        int s = tableau.stages();
        if (!tableau.isFsal()) return;
        for (int p = 0; p < w[s].length; p++) {
            w[s - 1][p] += w[s][p];
            w[s][p] = 0.0;
        }
    }

    /** A short name, e.g. {@code "hermite-cubic"}. */
    public String name() {
        return name;
    }

    /** The order of the interpolant: its error inside a step is O(h^(order+1)). */
    public int order() {
        return order;
    }

    /** The number of extra stages m evaluated after a step to interpolate in it (0 for most methods). */
    public int extraStages() {
        return extraC.length;
    }

    /** The node of extra stage j. */
    public double extraC(int j) {
        return extraC[j];
    }

    /** A copy of the coefficients of extra stage j over k_0 .. k_{s+j}. */
    public double[] extraA(int j) {
        return extraA[j].clone();
    }

    double[] extraARowView(int j) {
        return extraA[j];
    }

    /**
     * Whether the dense output reads stage {@code i} (of the s stages) at all: some weight polynomial coefficient of
     * it, or a coefficient of it in an extra stage, is non-zero. A stage it does not read has the weight 0 at every θ.
     */
    public boolean weighs(int i) {
        if (i < 0 || i >= stages) throw new IllegalArgumentException("i must be in [0, " + stages + "), got " + i);
        for (double w : coefficients[i]) if (w != 0.0) return true;
        for (double[] a : extraA) if (a[i] != 0.0) return true;
        return false;
    }

    /** The number of weights {@link #weights} writes: s + 1 + extraStages(). */
    public int weightCount() {
        return coefficients.length;
    }

    /** The number of stages s of the tableau; {@link #weights} writes {@link #weightCount()} values. */
    public int stages() {
        return stages;
    }

    /** The polynomial degree in θ. */
    public int degree() {
        return coefficients[0].length;
    }

    /** True when the end derivative {@code f(t+h, y_new)} carries a weight (non-FSAL tableaux). */
    public boolean usesEndDerivative() {
        if (extraC.length > 0) return true;
        for (double v : coefficients[stages]) if (v != 0.0) return true;
        return false;
    }

    /** A copy of the coefficient matrix, {@code weightCount() × degree}: {@code w_i(θ) = Σ_p coefficients[i][p] θ^(p+1)}. */
    public double[][] coefficients() {
        return Tableaux.copyRows(coefficients);
    }

    /** Writes {@code w_0(θ) .. w_{weightCount()−1}(θ)} into {@code out}. Allocates nothing. */
    public void weights(double theta, double[] out) {
        int deg = coefficients[0].length;
        for (int i = 0; i < coefficients.length; i++) {
            double[] ci = coefficients[i];
            double w = 0.0;
            for (int p = deg - 1; p >= 0; p--) w = w * theta + ci[p];
            out[i] = w * theta;
        }
    }

    /** Writes {@code dw_i/dθ} into {@code out}: {@code dy/dt(t + θh) = Σ w_i'(θ) k_i}. */
    public void weightDerivatives(double theta, double[] out) {
        int deg = coefficients[0].length;
        for (int i = 0; i < coefficients.length; i++) {
            double[] ci = coefficients[i];
            double w = 0.0;
            for (int p = deg - 1; p >= 0; p--) w = w * theta + (p + 1) * ci[p];
            out[i] = w;
        }
    }

    @Override
    public String toString() {
        return "Interpolant[" + name + ", order " + order + "]";
    }
}
