package dev.panode.solvers;

import dev.panode.simd.StageKernels;

/**
 * An explicit Runge–Kutta method: a {@link ButcherTableau} plus an {@link Interpolant} for dense output.
 * Immutable and thread-safe; the stages live in a {@link RkWorkspace}.
 *
 * <h2>Methods</h2>
 * <table>
 * <caption>Built-in methods</caption>
 * <tr><th>factory</th><th>stages</th><th>order (error order)</th><th>dense output</th><th>source</th></tr>
 * <tr><td>{@link #euler()}</td><td>1</td><td>1</td><td>Hermite 3</td><td>Euler</td></tr>
 * <tr><td>{@link #midpoint()}</td><td>2</td><td>2</td><td>Hermite 3</td><td>explicit midpoint</td></tr>
 * <tr><td>{@link #heun()}</td><td>2</td><td>2</td><td>Hermite 3</td><td>Heun (explicit trapezoid)</td></tr>
 * <tr><td>{@link #ralston()}</td><td>2</td><td>2</td><td>Hermite 3</td><td>Ralston 1962, minimum error bound</td></tr>
 * <tr><td>{@link #rk4()}</td><td>4</td><td>4</td><td>Hermite 3</td><td>Kutta 1901, classic</td></tr>
 * <tr><td>{@link #rk4ThreeEighths()}</td><td>4</td><td>4</td><td>Hermite 3</td><td>Kutta's 3/8 rule (torchdiffeq's "rk4")</td></tr>
 * <tr><td>{@link #bosh3()}</td><td>4, FSAL</td><td>3 (2)</td><td>Hermite 3</td><td>Bogacki &amp; Shampine 1989</td></tr>
 * <tr><td>{@link #dopri5()}</td><td>7, FSAL</td><td>5 (4)</td><td>Shampine quartic, 4</td><td>Dormand &amp; Prince 1980</td></tr>
 * <tr><td>{@link #dopri5Torchdiffeq()}</td><td>7, FSAL</td><td>5 (4)</td><td>Shampine quartic, 4</td><td>same, Shampine's b̂ (torchdiffeq)</td></tr>
 * <tr><td>{@link #tsit5()}</td><td>7, FSAL</td><td>5 (4)</td><td>Tsitouras' free quartic, 4</td><td>Tsitouras 2011</td></tr>
 * <tr><td>{@link #dop853()}</td><td>12</td><td>8 (5 and 3, combined)</td><td>Hermite 3</td><td>Hairer's DOP853 coefficients</td></tr>
 * <tr><td>{@link #dop853Dense()}</td><td>12</td><td>8 (5 and 3, combined)</td><td>DOP853's, 7 (3 extra stages)</td><td>same, Hairer's dense output</td></tr>
 * </table>
 *
 * <p><b>dopri5 conventions.</b> {@link #dopri5()} uses Dormand and Prince's embedded weights
 * b̂ = (5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40), as Hairer's DOPRI5, Hipparchus and diffrax
 * do. torchdiffeq uses Shampine's b̂ = (1951/21600, 0, 22642/50085, 451/720, −12231/42400, 649/6300, 1/60), whose
 * error vector is 2/3 of the standard one (about 8% longer steps): that is {@link #dopri5Torchdiffeq()}, selected
 * automatically by a torchdiffeq-compatible solve ({@link TorchdiffeqConventions}).
 *
 * <p><b>dop853.</b> The step is controlled with Hairer's combined estimate, as in his DOP853 code and in scipy:
 * err = err5² / √(err5² + 0.01·err3²), err5 and err3 the scaled norms of the fifth-order (e = b − b̂₅) and third-order
 * (b − b̂₃) estimates ({@link #combinedError}), with the controller exponent 1/8 ({@link #errorOrder()} 7). It needs
 * about half the evaluations of the fifth-order estimate alone (which diffrax and torchdiffeq use) at tight tolerances:
 * on Lorenz over [0, 25] at rtol = atol = 1e-12, 23 719 against 59 973 before (scipy 1.17.1: 21 974).
 * {@link #dop853()} interpolates with cubic
 * Hermite; {@link #dop853Dense()} with DOP853's seventh-order continuous extension, where interpolating inside a step
 * costs four evaluations (f at the end of the step, reused by the next step, and three extra stages).
 *
 * <p>When not to use: stiff problems (every method here is explicit: the step is bounded by stability, not accuracy).
 */
public final class RungeKutta implements OdeMethod {
    private final ButcherTableau tableau;
    private final Interpolant interpolant;
    private final String name;
    /** Hairer's third-order error weights (b − b̂₃) of DOP853's combined estimate; null for every other method. */
    private final double[] e3;
    /**
     * Per stage, whether only its inner-stage-input role is read: b_i = 0, the dense output gives it the weight 0,
     * and it is not the FSAL stage (the next step's k_0). Of such a stage's derivative a step reads only the
     * components its later stage inputs and its error estimate read ({@link VectorField#evaluateLeadingUnchecked}).
     */
    private final boolean[] inputOnly;

    /** A method from a tableau and its interpolant ({@link Interpolant#hermiteCubic} if null). */
    public RungeKutta(ButcherTableau tableau, Interpolant interpolant) {
        this(tableau == null ? null : tableau.name(), tableau, interpolant);
    }

    private RungeKutta(String name, ButcherTableau tableau, Interpolant interpolant) {
        this(name, tableau, interpolant, null);
    }

    private RungeKutta(String name, ButcherTableau tableau, Interpolant interpolant, double[] e3) {
        if (tableau == null) throw new IllegalArgumentException("tableau must be non-null");
        Interpolant in = interpolant == null ? Interpolant.hermiteCubic(tableau) : interpolant;
        if (in.stages() != tableau.stages())
            throw new IllegalArgumentException("interpolant has " + in.stages() + " stages but the tableau has "
                    + tableau.stages());
        this.tableau = tableau;
        this.interpolant = in;
        this.name = name;
        this.e3 = e3;
        int s = tableau.stages();
        this.inputOnly = new boolean[s];
        for (int i = 1; i < s; i++) {
            inputOnly[i] = tableau.b(i) == 0.0 && !in.weighs(i) && !(tableau.isFsal() && i == s - 1);
        }
    }

    // ---------------------------------------------------------------- fixed-step methods

    private static final RungeKutta EULER = new RungeKutta(new ButcherTableau("euler",
            new double[]{0}, new double[][]{{}}, new double[]{1}, null, 1, 0), null);
    private static final RungeKutta MIDPOINT = new RungeKutta(new ButcherTableau("midpoint",
            new double[]{0, 0.5}, new double[][]{{}, {0.5}}, new double[]{0, 1}, null, 2, 0), null);
    private static final RungeKutta HEUN = new RungeKutta(new ButcherTableau("heun",
            new double[]{0, 1}, new double[][]{{}, {1}}, new double[]{0.5, 0.5}, null, 2, 0), null);
    private static final RungeKutta RALSTON = new RungeKutta(new ButcherTableau("ralston",
            new double[]{0, 2.0 / 3.0}, new double[][]{{}, {2.0 / 3.0}}, new double[]{0.25, 0.75}, null, 2, 0), null);
    private static final RungeKutta RK4 = new RungeKutta(new ButcherTableau("rk4",
            new double[]{0, 0.5, 0.5, 1},
            new double[][]{{}, {0.5}, {0, 0.5}, {0, 0, 1}},
            new double[]{1.0 / 6.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0}, null, 4, 0), null);
    private static final RungeKutta RK4_38 = new RungeKutta(new ButcherTableau("rk4-3/8",
            new double[]{0, 1.0 / 3.0, 2.0 / 3.0, 1},
            new double[][]{{}, {1.0 / 3.0}, {-1.0 / 3.0, 1}, {1, -1, 1}},
            new double[]{1.0 / 8.0, 3.0 / 8.0, 3.0 / 8.0, 1.0 / 8.0}, null, 4, 0), null);

    // ---------------------------------------------------------------- embedded pairs

    private static final RungeKutta BOSH3 = new RungeKutta(ButcherTableau.embedded("bosh3",
            new double[]{0, 0.5, 0.75, 1},
            new double[][]{{}, {0.5}, {0, 0.75}, {2.0 / 9.0, 1.0 / 3.0, 4.0 / 9.0}},
            new double[]{2.0 / 9.0, 1.0 / 3.0, 4.0 / 9.0, 0},
            new double[]{7.0 / 24.0, 1.0 / 4.0, 1.0 / 3.0, 1.0 / 8.0}, 3, 2), null);

    private static final double[] DOPRI5_C = {0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1, 1};
    private static final double[][] DOPRI5_A = {
            {},
            {1.0 / 5.0},
            {3.0 / 40.0, 9.0 / 40.0},
            {44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0},
            {19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0},
            {9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0},
            {35.0 / 384.0, 0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0}};
    private static final double[] DOPRI5_B = {35.0 / 384.0, 0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0, 0};
    /** Shampine's fourth-order midpoint weights (the dense output of DOPRI5 evaluated at θ = 1/2). */
    private static final double[] DOPRI5_MID = {
            6025192743.0 / 30085553152.0 / 2, 0, 51252292925.0 / 65400821598.0 / 2, -2691868925.0 / 45128329728.0 / 2,
            187940372067.0 / 1594534317056.0 / 2, -1776094331.0 / 19743644256.0 / 2, 11237099.0 / 235043384.0 / 2};
    private static final ButcherTableau DOPRI5_TABLEAU = ButcherTableau.embedded("dopri5", DOPRI5_C, DOPRI5_A, DOPRI5_B,
            new double[]{5179.0 / 57600.0, 0, 7571.0 / 16695.0, 393.0 / 640.0, -92097.0 / 339200.0, 187.0 / 2100.0, 1.0 / 40.0},
            5, 4);
    private static final ButcherTableau DOPRI5_SHAMPINE_TABLEAU = ButcherTableau.embedded("dopri5-torchdiffeq",
            DOPRI5_C, DOPRI5_A, DOPRI5_B,
            new double[]{1951.0 / 21600.0, 0, 22642.0 / 50085.0, 451.0 / 720.0, -12231.0 / 42400.0, 649.0 / 6300.0, 1.0 / 60.0},
            5, 4);
    private static final RungeKutta DOPRI5_TORCHDIFFEQ = new RungeKutta(DOPRI5_SHAMPINE_TABLEAU,
            Interpolant.quarticWithMidpoint(DOPRI5_SHAMPINE_TABLEAU, DOPRI5_MID));
    private static final RungeKutta DOPRI5 = new RungeKutta(DOPRI5_TABLEAU,
            Interpolant.quarticWithMidpoint(DOPRI5_TABLEAU, DOPRI5_MID));

    private static final ButcherTableau TSIT5_TABLEAU = new ButcherTableau("tsit5",
            new double[]{0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1},
            new double[][]{
                    {},
                    {0.161},
                    {-0.008480655492356989, 0.335480655492357},
                    {2.897153057105493, -6.359448489975075, 4.3622954328695815},
                    {5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525},
                    {5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383},
                    {0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774}},
            new double[]{0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081,
                    2.324710524099774, 0},
            new double[]{-0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995, -0.1447110071732629,
                    0.5823571654525552, -0.45808210592918697, 1.0 / 66.0},
            5, 4);
    /** Tsitouras' free fourth-order interpolant (Tsitouras 2011), as stage polynomials in θ, θ², θ³, θ⁴. */
    private static final RungeKutta TSIT5 = new RungeKutta(TSIT5_TABLEAU, Interpolant.ofStagePolynomials("tsit5-free", 4, 7,
            new double[][]{
                    {1.0, -2.763706197274826, 2.9132554618219126, -1.0530884977290216},
                    {0, 0.13169999999999998, -0.2234, 0.1017},
                    {0, 3.9302962368947516, -5.941033872131505, 2.490627285651253},
                    {0, -12.411077166933676, 30.33818863028232, -16.548102889244902},
                    {0, 37.50931341651104, -88.1789048947664, 47.37952196281928},
                    {0, -27.896526289197286, 65.09189467479366, -34.87065786149661},
                    {0, 1.5, -4.0, 2.5}}));

    private static final RungeKutta DOP853 = new RungeKutta("dop853", Dop853.TABLEAU, null, Dop853.E3);
    private static final RungeKutta DOP853_DENSE = new RungeKutta("dop853-dense", Dop853.TABLEAU, Dop853.denseOutput(),
            Dop853.E3);

    /** Forward Euler, order 1. */
    public static RungeKutta euler() {
        return EULER;
    }

    /** The explicit midpoint rule, order 2. */
    public static RungeKutta midpoint() {
        return MIDPOINT;
    }

    /** Heun's method (explicit trapezoid), order 2. */
    public static RungeKutta heun() {
        return HEUN;
    }

    /** Ralston's second-order method (minimum truncation-error bound). */
    public static RungeKutta ralston() {
        return RALSTON;
    }

    /** The classic fourth-order Runge–Kutta method (Kutta 1901). */
    public static RungeKutta rk4() {
        return RK4;
    }

    /** Kutta's 3/8 rule, fourth order; torchdiffeq's {@code method="rk4"}. */
    public static RungeKutta rk4ThreeEighths() {
        return RK4_38;
    }

    /** Bogacki–Shampine 3(2), FSAL (MATLAB's ode23, torchdiffeq's and diffrax's bosh3). */
    public static RungeKutta bosh3() {
        return BOSH3;
    }

    /** Dormand–Prince 5(4), FSAL, with Dormand and Prince's b̂ and Shampine's quartic dense output. */
    public static RungeKutta dopri5() {
        return DOPRI5;
    }

    /** Dormand–Prince 5(4) with Shampine's b̂, exactly as torchdiffeq's {@code dopri5}. */
    public static RungeKutta dopri5Torchdiffeq() {
        return DOPRI5_TORCHDIFFEQ;
    }

    /** Tsitouras 5(4), FSAL, with its free quartic interpolant. */
    public static RungeKutta tsit5() {
        return TSIT5;
    }

    /**
     * Dormand–Prince 8(5), Hairer's DOP853 coefficients, with cubic Hermite dense output (third order); see the class
     * comment for its error estimate.
     */
    public static RungeKutta dop853() {
        return DOP853;
    }

    /**
     * The same steps as {@link #dop853()} with DOP853's seventh-order dense output (three extra stages per
     * interpolated step). Use it when save times fall inside steps and third-order interpolation is not enough.
     * Gradient methods that differentiate the interpolant must support {@link Interpolant#extraStages()}.
     */
    public static RungeKutta dop853Dense() {
        return DOP853_DENSE;
    }

    // ---------------------------------------------------------------- accessors

    /** The tableau. */
    public ButcherTableau tableau() {
        return tableau;
    }

    /** The dense-output interpolant. */
    @Override
    public Interpolant interpolant() {
        return interpolant;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int order() {
        return tableau.order();
    }

    /**
     * The order of the error estimate's embedded solution, for the controller's exponent 1/(errorOrder + 1): the
     * tableau's, except for {@link #dop853()} and {@link #dop853Dense()}, whose combined estimate
     * err5²/√(err5² + 0.01·err3²) behaves as O(h⁸) and so counts as 7 (as in Hairer's DOP853 and scipy).
     */
    @Override
    public int errorOrder() {
        return e3 != null ? tableau.order() - 1 : tableau.errorOrder();
    }

    /** Whether this method controls its step with Hairer's combined fifth- and third-order estimate (dop853). */
    public boolean combinesErrorEstimates() {
        return e3 != null;
    }

    /**
     * Hairer's combination of DOP853's two scaled error norms (Hairer, Nørsett and Wanner I, §II.10, and the DOP853
     * code): {@code err5² / √(err5² + 0.01·err3²)}, 0 when both are 0, NaN when either is. For small h it behaves as
     * err5²/(0.1·err3) = O(h⁸), so it is used with the exponent 1/8; the third-order estimate guards against a fifth-
     * order estimate that is small by accident.
     *
     * @param err5 the norm of h Σ (b − b̂₅)_i k_i
     * @param err3 the norm of h Σ (b − b̂₃)_i k_i
     */
    public static double combinedError(double err5, double err3) {
        double e5 = err5 * err5;
        double denominator = e5 + 0.01 * err3 * err3;
        if (denominator == 0.0) return 0.0;
        return e5 / Math.sqrt(denominator);
    }

    /** A workspace for {@link #step}: stages and stage inputs for up to {@code maxRows × dim}. */
    public RkWorkspace newWorkspace(VectorField field, int maxRows, int dim) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        return new RkWorkspace(this, field.newWorkspace(maxRows), maxRows, dim);
    }

    @Override
    public Stepper newStepper(VectorField field, int maxRows, int dim) {
        return new RkStepper(this, field, newWorkspace(field, maxRows, dim));
    }

    /**
     * One step from (t, y) with the signed step h, all s stages evaluated (so that a replay recomputes exactly the
     * step the solver took): {@code ws.stages()[i] = k_i}, {@code ws.stageInputs()[i] = Y_i} (Y_0 = y),
     * {@code yOut = y + h Σ b_i k_i}, and {@code errOut = h Σ e_i k_i} when non-null and the method is embedded.
     * Allocates nothing.
     *
     * @return the number of field evaluations, s
     * @throws IllegalArgumentException if the buffers are too short for {@code rows·dim} or the workspace belongs to
     *                                  another method, or t or h is not finite
     */
    public int step(VectorField field, double t, double h, double[] y, double[] yOut, double[] errOut, int rows,
                    RkWorkspace ws) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (ws == null || ws.method() != this)
            throw new IllegalArgumentException("ws must be a workspace of " + name() + ", got " + ws);
        if (rows < 1 || rows > ws.maxRows())
            throw new IllegalArgumentException("rows must be in [1, " + ws.maxRows() + "], got " + rows);
        int n = rows * ws.dim();
        if (y == null || y.length < n) throw new IllegalArgumentException("y must have length >= " + n);
        if (yOut == null || yOut.length < n) throw new IllegalArgumentException("yOut must have length >= " + n);
        if (errOut != null && errOut.length < n) throw new IllegalArgumentException("errOut must have length >= " + n);
        if (!Double.isFinite(t) || !Double.isFinite(h))
            throw new IllegalArgumentException("t and h must be finite, got t = " + t + ", h = " + h);
        field.evaluate(t, y, ws.k[0], rows, ws.fieldWs);
        stagesAfterFirst(field, t, h, y, yOut, errOut, rows, n, n, n, ws);
        return tableau.stages();
    }

    /**
     * The first stages of the step from (t, y) with the signed step h, as {@link #step} computes them bit for bit,
     * for a reverse pass that needs stage inputs without the whole step: {@code ws.stageInputs()[i] = Y_i} for
     * i ≤ {@code last} and {@code ws.stages()[i] = k_i} for i &lt; {@code last} ({@code last} evaluations). Allocates
     * nothing.
     *
     * @param last the last stage input wanted, in [0, s − 1]
     * @return the number of field evaluations, {@code last}
     * @throws IllegalArgumentException on a foreign workspace, an out-of-range {@code last} or {@code rows}, or a
     *                                  short {@code y}
     */
    public int stageInputs(VectorField field, double t, double h, double[] y, int last, int rows, RkWorkspace ws) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (ws == null || ws.method() != this)
            throw new IllegalArgumentException("ws must be a workspace of " + name() + ", got " + ws);
        if (rows < 1 || rows > ws.maxRows())
            throw new IllegalArgumentException("rows must be in [1, " + ws.maxRows() + "], got " + rows);
        int s = tableau.stages();
        if (last < 0 || last >= s) throw new IllegalArgumentException("last must be in [0, " + (s - 1) + "], got " + last);
        int n = rows * ws.dim();
        if (y == null || y.length < n) throw new IllegalArgumentException("y must have length >= " + n);
        double[][] k = ws.k;
        double[][] yi = ws.stageIn;
        double[] c = tableau.cView();
        System.arraycopy(y, 0, yi[0], 0, n);
        for (int i = 0; i < last; i++) {
            field.evaluate(t + c[i] * h, yi[i], k[i], rows, ws.fieldWs);
            StageKernels.combine(y, 0, h, tableau.aRowView(i + 1), i + 1, k, 0, yi[i + 1], 0, n);
        }
        return last;
    }

    /**
     * Stages 1..s−1 given k_0 in {@code ws.k[0]}, then y_new and the error. Of the inner stage inputs only the first
     * {@code read} components are formed (all n of the last one of an FSAL method, which is y_new): the field reads
     * no others ({@link VectorField#componentsRead}); of the error estimate only the first {@code measured} (the norm
     * reads no others, {@link ErrorNorm#componentsMeasured}); of a stage that only feeds later stage inputs (b_i = 0,
     * no dense-output weight, such as dopri5's k_1) only the components those inputs and the error estimate read, when
     * that is fewer than n ({@link VectorField#evaluateLeadingUnchecked}). Unchecked.
     */
    void stagesAfterFirst(VectorField field, double t, double h, double[] y, double[] yOut, double[] errOut,
                          int rows, int n, int read, int measured, RkWorkspace ws) {
        double[][] k = ws.k;
        double[][] yi = ws.stageIn;
        int s = tableau.stages();
        double[] c = tableau.cView();
        System.arraycopy(y, 0, yi[0], 0, n);
        for (int i = 1; i < s; i++) {
            StageKernels.combine(y, 0, h, tableau.aRowView(i), i, k, 0, yi[i], 0, i == s - 1 && ws.fsal ? n : read);
            int wanted = inputOnly[i] ? leadingWanted(i, read, measured) : n;
            if (wanted < n) field.evaluateLeadingUnchecked(t + c[i] * h, yi[i], k[i], wanted, rows, ws.fieldWs);
            else field.evaluateUnchecked(t + c[i] * h, yi[i], k[i], rows, ws.fieldWs);
        }
        if (ws.fsal) System.arraycopy(yi[s - 1], 0, yOut, 0, n);
        else StageKernels.combine(y, 0, h, tableau.bView(), s, k, 0, yOut, 0, n);
        double[] e = tableau.eView();
        if (errOut != null && e != null) StageKernels.errorEstimate(h, e, s, k, 0, errOut, 0, measured);
        if (errOut != null && e3 != null) StageKernels.errorEstimate(h, e3, s, k, 0, ws.err3, 0, measured);
    }

    /**
     * The leading components of an input-only stage's derivative a step reads: those its later stage inputs read, and
     * those of the error estimate when the stage weighs in it.
     */
    private int leadingWanted(int i, int read, int measured) {
        boolean inError = tableau.e(i) != 0.0 || (e3 != null && e3[i] != 0.0);
        return inError ? Math.max(read, measured) : read;
    }

    /**
     * Stages 1..s−1 of a packed block in which row j steps from {@code tRows[j]} with its own signed step
     * {@code hRows[j]}, given k_0 in {@code ws.k[0]}; then y_new and the error, row by row. The kernels run per row
     * over {@code dim} components, so a row's result does not depend on its slot in the block. Unchecked.
     *
     * @param tStage scratch of at least {@code rows} for the stage times
     */
    void stagesAfterFirstPerRow(RowTimeField field, double[] tRows, double[] hRows, double[] y, double[] yOut,
                                double[] errOut, int rows, int dim, RkWorkspace ws, double[] tStage) {
        double[][] k = ws.k;
        double[][] yi = ws.stageIn;
        int s = tableau.stages();
        double[] c = tableau.cView();
        int n = rows * dim;
        System.arraycopy(y, 0, yi[0], 0, n);
        for (int i = 1; i < s; i++) {
            double[] a = tableau.aRowView(i);
            for (int j = 0, off = 0; j < rows; j++, off += dim) {
                StageKernels.combine(y, off, hRows[j], a, i, k, off, yi[i], off, dim);
                tStage[j] = tRows[j] + c[i] * hRows[j];
            }
            field.evaluateRowsUnchecked(tStage, yi[i], k[i], rows, ws.fieldWs);
        }
        double[] e = tableau.eView();
        for (int j = 0, off = 0; j < rows; j++, off += dim) {
            if (ws.fsal) System.arraycopy(yi[s - 1], off, yOut, off, dim);
            else StageKernels.combine(y, off, hRows[j], tableau.bView(), s, k, off, yOut, off, dim);
            if (errOut != null && e != null) StageKernels.errorEstimate(hRows[j], e, s, k, off, errOut, off, dim);
            if (errOut != null && e3 != null) StageKernels.errorEstimate(hRows[j], e3, s, k, off, ws.err3, off, dim);
        }
    }

    /** Dense output of row {@code j} of a packed block (see {@link #stagesAfterFirstPerRow}) into {@code out}. */
    void interpolateRow(double theta, double h, double[] y, int j, double[] out, int outOff, RkWorkspace ws) {
        int dim = ws.dim();
        interpolant.weights(theta, ws.weights);
        StageKernels.combine(y, j * dim, h, ws.weights, interpolant.weightCount(), ws.k, j * dim, out, outOff, dim);
    }

    /**
     * Dense output of a step held in {@code ws}: {@code out = y + h Σ_i w_i(θ) k_i} with the interpolant's weights.
     * For non-FSAL methods {@code ws.stages()[s]} must hold f(t+h, y_new) (see {@link Interpolant#usesEndDerivative}),
     * followed by the interpolant's extra stages ({@link #extraStages}).
     */
    public void interpolate(double theta, double h, double[] y, double[] out, int outOff, int rows, RkWorkspace ws) {
        int n = rows * ws.dim();
        interpolant.weights(theta, ws.weights);
        StageKernels.combine(y, 0, h, ws.weights, interpolant.weightCount(), ws.k, 0, out, outOff, n);
    }

    /**
     * Evaluates the interpolant's extra stages of a step held in {@code ws} (after {@code ws.stages()[s]} was set to
     * f(t+h, y_new)); returns the number of evaluations.
     */
    public int extraStages(VectorField field, double t, double h, double[] y, int rows, RkWorkspace ws) {
        int m = interpolant.extraStages();
        int s = tableau.stages();
        int n = rows * ws.dim();
        for (int j = 0; j < m; j++) {
            StageKernels.combine(y, 0, h, interpolant.extraARowView(j), s + 1 + j, ws.k, 0, ws.extraIn, 0, n);
            field.evaluateUnchecked(t + interpolant.extraC(j) * h, ws.extraIn, ws.k[s + 1 + j], rows, ws.fieldWs);
        }
        return m;
    }

    @Override
    public String toString() {
        return "RungeKutta[" + name() + "]";
    }
}
