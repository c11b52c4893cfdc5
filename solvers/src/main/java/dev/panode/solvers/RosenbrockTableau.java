package dev.panode.solvers;

/**
 * The tableau of a Rosenbrock method (Rosenbrock–Wanner, ROW) in the transformed form of Hairer and Wanner
 * (Solving ODEs II, §IV.7, eq. (7.25)), which needs one LU of {@code I − γhJ} per step and no matrix–vector products:
 *
 * <pre>
 * (I/(γh) − J) U_i = f(t + c_i h, y + Σ_{j&lt;i} a_ij U_j) + Σ_{j&lt;i} (C_ij / h) U_j + h d_i ∂f/∂t     i = 0..s−1
 * y_new = y + Σ m_i U_i,        err = Σ (m_i − m̂_i) U_i
 * </pre>
 *
 * J = ∂f/∂y at (t, y) must be exact for the method's order (it is not a W-method).
 *
 * @param name       e.g. {@code "rodas5p"}
 * @param gamma      the diagonal γ &gt; 0
 * @param c          the nodes c_i, length s
 * @param d          the time-derivative weights d_i, length s
 * @param a          strictly lower triangular, s rows, row i of length i
 * @param cc         the C_ij, strictly lower triangular, same shape as {@code a}
 * @param m          the solution weights, length s
 * @param mHat       the embedded weights, length s
 * @param order      the order of {@code m}
 * @param errorOrder the order of {@code m̂}
 * @param dense      the dense-output matrix H, r rows of length s: {@code y(θ) = (1 − θ) y + θ (y_new + (1 − θ)
 *                   (K_1 + θ (K_2 + ... + θ K_r)))}, {@code K_q = Σ_j H_qj U_j}; no rows gives linear interpolation
 */
public record RosenbrockTableau(String name, double gamma, double[] c, double[] d, double[][] a, double[][] cc,
                                double[] m, double[] mHat, int order, int errorOrder, double[][] dense) {

    public RosenbrockTableau {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must be non-blank, got " + name);
        if (!(gamma > 0 && Double.isFinite(gamma))) throw new IllegalArgumentException(name + ": gamma must be > 0, got " + gamma);
        if (c == null || c.length < 1) throw new IllegalArgumentException(name + ": c must have at least one node");
        int s = c.length;
        checkVector(name, "d", d, s);
        checkVector(name, "m", m, s);
        checkVector(name, "mHat", mHat, s);
        checkVector(name, "c", c, s);
        a = lower(name, "a", a, s);
        cc = lower(name, "cc", cc, s);
        if (order < 1 || errorOrder < 1 || errorOrder >= order)
            throw new IllegalArgumentException(name + ": need 1 <= errorOrder < order, got order " + order
                    + ", errorOrder " + errorOrder);
        if (dense == null) throw new IllegalArgumentException(name + ": dense must be non-null (no rows for linear interpolation)");
        double[][] h = new double[dense.length][];
        for (int r = 0; r < dense.length; r++) {
            checkVector(name, "dense[" + r + "]", dense[r], s);
            h[r] = dense[r].clone();
        }
        dense = h;
        c = c.clone();
        d = d.clone();
        m = m.clone();
        mHat = mHat.clone();
    }

    private static void checkVector(String name, String what, double[] v, int s) {
        if (v == null || v.length != s)
            throw new IllegalArgumentException(name + ": " + what + " must have length " + s + ", got " + (v == null ? null : v.length));
        for (int i = 0; i < s; i++)
            if (!Double.isFinite(v[i])) throw new IllegalArgumentException(name + ": " + what + "[" + i + "] = " + v[i]);
    }

    private static double[][] lower(String name, String what, double[][] x, int s) {
        if (x == null || x.length != s)
            throw new IllegalArgumentException(name + ": " + what + " must have " + s + " rows, got " + (x == null ? null : x.length));
        double[][] rows = new double[s][];
        for (int i = 0; i < s; i++) {
            if (x[i] == null || x[i].length != i)
                throw new IllegalArgumentException(name + ": " + what + "[" + i + "] must have length " + i + ", got "
                        + (x[i] == null ? null : x[i].length));
            checkVector(name, what + "[" + i + "]", x[i], i);
            rows[i] = x[i].clone();
        }
        return rows;
    }

    /** The number of stages s. */
    public int stages() {
        return c.length;
    }

    /** a_ij for j &lt; i. */
    public double a(int i, int j) {
        return a[i][j];
    }

    /** The node c_i. */
    public double c(int i) {
        return c[i];
    }

    /** C_ij for j &lt; i. */
    public double cc(int i, int j) {
        return cc[i][j];
    }

    @Override
    public double[] c() {
        return c.clone();
    }

    @Override
    public double[] d() {
        return d.clone();
    }

    @Override
    public double[] m() {
        return m.clone();
    }

    @Override
    public double[] mHat() {
        return mHat.clone();
    }

    @Override
    public double[][] a() {
        return Tableaux.copyRows(a);
    }

    @Override
    public double[][] cc() {
        return Tableaux.copyRows(cc);
    }

    @Override
    public double[][] dense() {
        return Tableaux.copyRows(dense);
    }

    /**
     * Rodas5P: Steinebach's 8-stage, order 5 (4) Rosenbrock method, stiffly accurate (the last two stages complete the
     * solution and the embedded solution), L-stable, with the coefficients chosen for better accuracy on
     * Prothero–Robinson-type problems and less order reduction than Rodas5 (Di Marzo 1993); dense output of order 4
     * from three combinations of the stages.
     * G. Steinebach, Construction of Rosenbrock–Wanner method Rodas5P and numerical benchmarks within the Julia
     * Differential Equations package, BIT 63 (2023) 27.
     */
    public static RosenbrockTableau rodas5p() {
        double a61 = -7.502846399306121, a62 = 2.561846144803919, a63 = -11.627539656261098,
                a64 = -0.18268767659942256, a65 = 0.030198172008377946;
        return new RosenbrockTableau("rodas5p", 0.21193756319429014,
                new double[] {0, 0.6358126895828704, 0.4095798393397535, 0.9769306725060716, 0.4288403609558664, 1, 1, 1},
                new double[] {0.21193756319429014, -0.42387512638858027, -0.3384627126235924, 1.8046452872882734,
                        2.325825639765069, 0, 0, 0},
                new double[][] {
                        {},
                        {3.0},
                        {2.849394379747939, 0.45842242204463923},
                        {-6.954028509809101, 2.489845061869568, -10.358996098473584},
                        {2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641},
                        {a61, a62, a63, a64, a65},
                        {a61, a62, a63, a64, a65, 1},
                        {a61, a62, a63, a64, a65, 1, 1}},
                new double[][] {
                        {},
                        {-14.155112264123755},
                        {-17.97296035885952, -2.859693295451294},
                        {147.12150275711716, -1.41221402718213, 71.68940251302358},
                        {165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306},
                        {24.854864614690072, -3.0009227002832186, 47.4931110020768, 5.5814197821558125, -0.6610691825249471},
                        {30.91273214028599, -3.1208243349937974, 77.79954646070892, 34.28646028294783,
                                -19.097331116725623, -28.087943162872662},
                        {37.80277123390563, -3.2571969029072276, 112.26918849496327, 66.9347231244047,
                                -40.06618937091002, -54.66780262877968, -9.48861652309627}},
                new double[] {a61, a62, a63, a64, a65, 1, 1, 1},
                new double[] {a61, a62, a63, a64, a65, 1, 1, 0},
                5, 4,
                new double[][] {
                        {25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204,
                                0.524948541321073, 1.1241088310450404, 0.4272876194431874, -0.17202221070155493},
                        {-9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796,
                                20.176138334709044, 15.98066361424651, -6.789040303419874, -6.710236069923372},
                        {11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643,
                                -52.072871366152654, -59.78993625266729, -0.15582684282751913, 4.883087185713722}});
    }
}
