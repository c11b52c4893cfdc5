package dev.panode.solvers;

/**
 * The stepper of an {@link Esdirk} method: each implicit stage {@code Y_i = ψ_i + γh f(t + c_i h, Y_i)} is solved by
 * the simplified Newton iteration {@code (I − γhJ) Δ = ψ_i + γh f(Y) − Y, Y += Δ} with one LU for all stages and, while
 * the iteration converges well, for many steps (Hairer and Wanner II §IV.8; CVODE's setup strategy):
 * <ul>
 *   <li>J is re-evaluated at the start of a step only after a step whose iteration contracted slowly (θ &gt;
 *       {@link Esdirk#slowContraction()}) or failed;</li>
 *   <li>I − γhJ is refactorised when J changed or γh moved more than {@link Esdirk#refactorRatio()} (relative) from the
 *       value it was factorised with; in between the iteration runs with the stale γh, which only slows it;</li>
 *   <li>a stage that does not converge in {@link Esdirk#maxNewtonIterations()} iterations, or diverges (θ ≥ 1), is
 *       retried once from the step's start with a fresh J; if that fails too the attempt is returned as non-finite,
 *       which the solver rejects with its smallest step factor.</li>
 * </ul>
 * Convergence test (Hairer and Wanner II (8.10)–(8.13)): with η = θ/(1 − θ) and θ the ratio of successive correction
 * norms (scaled by the solve's tolerances), stop when η‖Δ‖ ≤ κ, κ = max(10u/rtol, {@link Esdirk#newtonTolerance()}) (0.03 by default; the norm is already scaled by the tolerances). The stage
 * derivative is then taken as (Y − ψ)/(γh), which equals f(Y) at convergence and does not amplify the iteration error
 * by the stiffness as f(Y) would. The iteration starts from y for the first implicit stage, and for the others from
 * the cubic Hermite interpolant through (0, y, k_0) and the solved stage with the largest node (c_j, Y_j, k_j),
 * evaluated at c_i (for Kværnø's pair: an extrapolation for the second implicit stage, interpolations after it). Built
 * from the method's own stage derivatives it stays close on stiff components, where an explicit predictor
 * (ψ + γh·k) overshoots: on Robertson at rtol 1e-4 that one made the iteration diverge on every other step (467
 * rejections in 986 attempts, against none), and against starting from the previous stage's value this one halves
 * the Newton iterations (HIRES at rtol 1e-8: 12 742 evaluations → 7 948).
 */
final class EsdirkStepper extends ImplicitStepper {
    private final Esdirk esdirk;
    private final DirkTableau tab;
    /** Stage derivatives k_1..k_{s−1} (k_0 is f0). */
    private final double[][] k;
    private final double[] psi, stage, delta, embedded, anchor;
    /**
     * The derivative the step starts from: the previous step's last stage derivative (Y − ψ)/(γh) (first same as
     * last), or f(t0, y0) in the first step (when {@link #fromPrevious} is false).
     */
    private double[] startDerivative;
    private boolean fromPrevious;
    private boolean refreshJacobian;
    private double eta;

    EsdirkStepper(Esdirk esdirk, VectorField field, int maxRows, int dim) {
        super(esdirk, esdirk.tableau().stages(), esdirk.tableau().gamma(), field, maxRows, dim);
        this.esdirk = esdirk;
        this.tab = esdirk.tableau();
        int size = Math.multiplyExact(maxRows, dim);
        this.k = new double[s][size];
        this.psi = new double[size];
        this.stage = new double[size];
        this.delta = new double[size];
        this.embedded = new double[size];
        this.anchor = new double[size];
        this.startDerivative = new double[size];
    }

    @Override
    void reset() {
        refreshJacobian = true;
        fromPrevious = false;
        eta = 1.0;
    }

    /** The stage-0 derivative of the current step. */
    private double[] k0() {
        return fromPrevious ? startDerivative : f0;
    }

    @Override
    public void accept() {
        super.accept();
        double[] tmp = startDerivative; // the last stage derivative becomes the next step's first
        startDerivative = k[s - 1];
        k[s - 1] = tmp;
        fromPrevious = true;
    }

    @Override
    public int attempt(double t, double h, double tEnd, double[] y, double[] yOut, double[] errOut) {
        recordAttempt(t, h, tEnd, y, yOut);
        int nfe = fromPrevious ? 0 : ensureF0(t, y);
        double hg = h * gamma;
        while (true) {
            if (refreshJacobian) {
                nfe += evaluateJacobian(t, y);
                refreshJacobian = false;
            }
            double fc = matrix.factoredC();
            if (!(Math.abs(hg / fc - 1.0) <= esdirk.refactorRatio()) && !factorise(hg)) {
                refreshJacobian = true;
                fail(yOut);
                return nfe;
            }
            int used = stages(t, h, hg, y, yOut);
            if (used >= 0) {
                nfe += used;
                break;
            }
            nfe += -used - 1;
            if (jacobianAtStart) { // already fresh: give up, the solver shrinks h
                eta = 1.0;
                fail(yOut);
                return nfe;
            }
            refreshJacobian = true;
        }
        if (errOut != null) {
            for (int i = 0; i < n; i++) errOut[i] = yOut[i] - embedded[i];
        }
        return nfe;
    }

    /**
     * Solves the stages of one step. Returns the evaluations made when every stage converged, else −(evaluations + 1).
     * Sets {@link #refreshJacobian} when the contraction was slow.
     */
    private int stages(double t, double h, double hg, double[] y, double[] yOut) {
        int nfe = 0;
        double kappa = Math.max(10 * ForwardDifference.UNIT_ROUNDOFF / rtol, esdirk.newtonTolerance());
        int maxIter = esdirk.maxNewtonIterations();
        double thetaMax = 0.0;
        int anchorStage = 0;
        for (int i = 1; i < s; i++) {
            double[] ki = k[i];
            double[] k0 = k0();
            for (int p = 0; p < n; p++) {
                double acc = tab.a(i, 0) * k0[p];
                for (int j = 1; j < i; j++) acc += tab.a(i, j) * k[j][p];
                psi[p] = y[p] + h * acc;
            }
            if (anchorStage == 0) {
                System.arraycopy(y, 0, stage, 0, n);
            } else { // cubic Hermite through (0, y, k0) and the furthest solved stage (c_j, Y_j, k_j), at c_i
                HermiteCubic.interpolate(tab.c(i) / tab.c(anchorStage), tab.c(anchorStage) * h, y, k0, anchor,
                        k[anchorStage], stage, 0, n);
            }
            double ti = t + tab.c(i) * h;
            double etaIt = Math.pow(Math.max(eta, ForwardDifference.UNIT_ROUNDOFF), 0.8);
            double previous = Double.NaN;
            boolean converged = false;
            for (int iter = 0; iter < maxIter; iter++) {
                field.evaluateUnchecked(ti, stage, ki, rows, fieldWs);
                nfe++;
                for (int p = 0; p < n; p++) delta[p] = psi[p] + hg * ki[p] - stage[p];
                matrix.solve(delta);
                double dn = correctionNorm(delta, y, stage);
                for (int p = 0; p < n; p++) stage[p] += delta[p];
                if (!(dn < Double.POSITIVE_INFINITY)) break;
                if (iter > 0) {
                    double theta = dn / previous;
                    thetaMax = Math.max(thetaMax, theta);
                    if (theta >= 0.99) break;
                    etaIt = theta / (1 - theta);
                    // the rest of the iterations, contracting at this rate, would not reach the tolerance
                    if (Math.pow(theta, maxIter - 1 - iter) * etaIt * dn > kappa) break;
                }
                if (etaIt * dn <= kappa || dn == 0.0) {
                    converged = true;
                    eta = etaIt;
                    break;
                }
                previous = dn;
            }
            if (!converged) {
                return -(nfe + 1);
            }
            double inv = 1.0 / hg;
            for (int p = 0; p < n; p++) ki[p] = (stage[p] - psi[p]) * inv;
            if (i == s - 2) System.arraycopy(stage, 0, embedded, 0, n);
            if (tab.c(i) > tab.c(anchorStage)) {
                anchorStage = i;
                System.arraycopy(stage, 0, anchor, 0, n);
            }
        }
        System.arraycopy(stage, 0, yOut, 0, n);
        if (thetaMax > esdirk.slowContraction()) refreshJacobian = true;
        return nfe;
    }

    /**
     * Dense output: cubic Hermite from y and y_new with the step's own derivatives at both ends, the first-stage
     * derivative and the last stage's (Y − ψ)/(γh), not f(t + h, y_new). Third order; no evaluations. The method's
     * derivatives stay accurate on stiff components, where f of the new state is off by ‖J‖ times its error (on
     * Robertson at rtol 1e-4 a Hermite interpolant with f missed y2 by 10⁴ tolerances).
     */
    @Override
    public int interpolate(double theta, double[] out, int outOff) {
        HermiteCubic.interpolate(theta, h, y, k0(), yOut, k[s - 1], out, outOff, n);
        return 0;
    }

    // ------------------------------------------------------------------ StepView

    @Override
    public double[][] stages() {
        k[0] = k0();
        return k;
    }
}
