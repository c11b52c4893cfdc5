package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.ForwardDifference;
import dev.panode.solvers.Interpolant;
import dev.panode.solvers.JacobianField;
import dev.panode.solvers.Rosenbrock;
import dev.panode.solvers.RosenbrockTableau;
import dev.panode.solvers.SolveOptions;

/**
 * The discrete adjoint of a {@link Rosenbrock} step in the transformed form the stepper runs,
 * <pre>
 * M U_i = γh (f(t + c_i h, Y_i) + h d_i f_t + Σ_{j&lt;i} (C_ij/h) U_j),   Y_i = y + Σ_{j&lt;i} a_ij U_j,   M = I − γh J(t, y)
 * y_new = y + Σ m_i U_i
 * </pre>
 * with f_t the forward difference (f(t + δ, y) − f(t, y))/δ the stepper takes (none when the field is a
 * {@link JacobianField} declaring itself autonomous). The replay uses the exact Jacobian from VJPs; the stepper's
 * may be a finite-difference one, so the replayed step differs from the forward one by the effect of that Jacobian's
 * error.
 *
 * <p><b>The Jacobian is differentiated, not frozen.</b> J = ∂f/∂y(t, y, θ) enters the step explicitly, so the exact
 * discrete gradient has a term {@code Σ_i λ_iᵀ (dJ) U_i} with λ_i = γh M⁻ᵀ Ū_i, the cotangent of stage i's right-hand
 * side: second derivatives of f. They are taken as central differences of VJPs along each U_i,
 * {@code (VJP(t, y + εU_i, λ_i) − VJP(t, y − εU_i, λ_i)) / 2ε} for both ȳ and θ̄, with ε‖U_i‖ = u^{1/3}(1 + ‖y‖)
 * (truncation and rounding error about 1e-10 relative): two VJPs per stage. Treating J as frozen (a W-method's view)
 * drops this term; on y' = A·y with θ = A that makes ∂L/∂θ wrong at first order in h (RosenbrockBackpropTest measures
 * it), so it is not done.
 *
 * <p><b>Reverse.</b> With Ū_i = m_i ȳ_new, for i = s−1 … 0: λ_i = γh M⁻ᵀ Ū_i (the same LU, {@code dgetrs} with
 * trans = 'T'); Ū_j += (C_ij/h) λ_i; f̄_t += h d_i λ_i; for i ≥ 1 a VJP at (t_i, Y_i) gives w = J_iᵀ λ_i, added to ȳ
 * and, times a_ij, to Ū_j, and its θ part to θ̄; the Jacobian term above. Last the VJPs at (t, y) (stage 0 and the
 * difference's base point) and at (t + δ, y).
 *
 * <p>Cost per step: dim VJPs for J, one LU per row, s − 1 (+1 for f_t) evaluations to replay, and about 3s VJPs
 * backwards.
 */
final class RosenbrockReverse extends ImplicitReverse {
    private static final double CBRT_U = Math.cbrt(ForwardDifference.UNIT_ROUNDOFF);

    private final RosenbrockTableau tab;
    private final double[] d, m;
    private final boolean autonomous;
    private final boolean frozenJacobian;
    private final double[][] u, stage, uBar;
    private final double[] f0, fDelta, ft, fi, lambda, lambda0, ftBar, jd, shifted, scaled;
    private final double[] stageDerivative;
    private double delta, lastH;

    RosenbrockReverse(DifferentiableField field, Rosenbrock method, int rows, int dim, SolveOptions options) {
        this(field, method, rows, dim, options, false);
    }

    /** @param frozenJacobian drop the Jacobian's derivative (for measuring that approximation only) */
    RosenbrockReverse(DifferentiableField field, Rosenbrock method, int rows, int dim, SolveOptions options,
                      boolean frozenJacobian) {
        super(field, method.name(), method.tableau().stages(), method.tableau().gamma(), dense(method.tableau()), rows,
                dim, options);
        this.tab = method.tableau();
        this.d = tab.d();
        this.m = tab.m();
        this.autonomous = field instanceof JacobianField j && j.isAutonomous();
        this.frozenJacobian = frozenJacobian;
        this.u = new double[s][n];
        this.stage = new double[s][n];
        this.uBar = new double[s][n];
        this.f0 = new double[n];
        this.fDelta = new double[n];
        this.ft = new double[n];
        this.fi = new double[n];
        this.lambda = new double[n];
        this.lambda0 = new double[n];
        this.ftBar = new double[n];
        this.jd = new double[n];
        this.shifted = new double[n];
        this.scaled = new double[n];
        this.stageDerivative = new double[n];
    }

    /**
     * The stepper's dense output (y(θ) = (1 − θ) y + θ (y_new + (1 − θ)(K_1 + θ K_2 + …)), K_q = Σ_j H_qj U_j) in stage
     * form over k_j = U_j / h: w_j(θ) = θ (m_j + H_1j) + Σ_{q≥2} θ^q (H_qj − H_{q−1,j}) − θ^{r+1} H_rj.
     */
    static Interpolant dense(RosenbrockTableau tab) {
        int s = tab.stages();
        double[][] h = tab.dense();
        double[] m = tab.m();
        int r = h.length;
        double[][] c = new double[s][r + 1];
        for (int j = 0; j < s; j++) {
            c[j][0] = m[j] + (r > 0 ? h[0][j] : 0.0);
            for (int q = 1; q < r; q++) c[j][q] = h[q][j] - h[q - 1][j];
            if (r > 0) c[j][r] = -h[r - 1][j];
        }
        return Interpolant.ofStagePolynomials(tab.name() + "-dense", Math.max(1, tab.order() - 1), s, c);
    }

    /** U_i / h of the step last replayed, in a buffer the next call overwrites. */
    @Override
    public double[] stage(int i) {
        double inv = 1.0 / lastH;
        for (int p = 0; p < n; p++) stageDerivative[p] = u[i][p] * inv;
        return stageDerivative;
    }

    @Override
    public void advance(double t, double h, double[] y, double[] yOut) {
        replay(t, h, y);
        for (int p = 0; p < n; p++) {
            double acc = y[p];
            for (int j = 0; j < s; j++) acc += m[j] * u[j][p];
            yOut[p] = acc;
        }
    }

    private void replay(double t, double h, double[] y) {
        double hg = gamma * h;
        lastH = h;
        evaluate(t, y, f0);
        factoriseAt(t, y, hg);
        if (!autonomous) {
            double target = ForwardDifference.perturbed(t);
            delta = target - t;
            evaluate(target, y, fDelta);
            for (int p = 0; p < n; p++) ft[p] = (fDelta[p] - f0[p]) / delta;
        }
        for (int i = 0; i < s; i++) {
            double[] f = f0;
            if (i > 0) {
                double[] yi = stage[i];
                for (int p = 0; p < n; p++) {
                    double acc = y[p];
                    for (int j = 0; j < i; j++) acc += tab.a(i, j) * u[j][p];
                    yi[p] = acc;
                }
                evaluate(t + tab.c(i) * h, yi, fi);
                f = fi;
            }
            double[] ui = u[i];
            double dt = autonomous ? 0.0 : h * d[i];
            for (int p = 0; p < n; p++) {
                double acc = f[p] + (autonomous ? 0.0 : dt * ft[p]);
                for (int j = 0; j < i; j++) acc += tab.cc(i, j) / h * u[j][p];
                ui[p] = hg * acc;
            }
            matrix.solve(ui);
        }
    }

    @Override
    public void reverse(double t, double h, double[] y, double[] yBar, double[] thetaBar, double[][] saved,
                        int firstSlot) {
        replay(t, h, y);
        double hg = gamma * h;
        for (int j = 0; j < s; j++) {
            double[] ub = uBar[j];
            for (int p = 0; p < n; p++) ub[p] = m[j] * yBar[p];
        }
        java.util.Arrays.fill(ftBar, 0, n, 0.0);
        java.util.Arrays.fill(lambda0, 0, n, 0.0);
        for (int i = s - 1; i >= 0; i--) {
            if (isZero(uBar[i], n)) continue;
            System.arraycopy(uBar[i], 0, lambda, 0, n);
            matrix.solveTransposed(lambda);
            for (int p = 0; p < n; p++) lambda[p] *= hg;
            for (int j = 0; j < i; j++) {
                double c = tab.cc(i, j) / h;
                double[] ub = uBar[j];
                for (int p = 0; p < n; p++) ub[p] += c * lambda[p];
            }
            if (!autonomous) {
                double c = h * d[i];
                for (int p = 0; p < n; p++) ftBar[p] += c * lambda[p];
            }
            if (i > 0) {
                vjp(t + tab.c(i) * h, stage[i], lambda, jd, thetaBar);
                for (int p = 0; p < n; p++) yBar[p] += jd[p];
                for (int j = 0; j < i; j++) {
                    double a = tab.a(i, j);
                    if (a == 0.0) continue;
                    double[] ub = uBar[j];
                    for (int p = 0; p < n; p++) ub[p] += a * jd[p];
                }
            } else {
                System.arraycopy(lambda, 0, lambda0, 0, n);
            }
            if (!frozenJacobian) jacobianTerm(t, y, lambda, u[i], yBar, thetaBar);
        }
        // f(t, y) carries stage 0's cotangent and the base point of the difference in t
        if (!autonomous) {
            double inv = 1.0 / delta;
            for (int p = 0; p < n; p++) {
                scaled[p] = ftBar[p] * inv;
                lambda0[p] -= scaled[p];
            }
            vjp(t + delta, y, scaled, jd, thetaBar);
            for (int p = 0; p < n; p++) yBar[p] += jd[p];
        }
        vjp(t, y, lambda0, jd, thetaBar);
        for (int p = 0; p < n; p++) yBar[p] += jd[p];
    }

    /**
     * Adds ∂/∂(y, θ) of λᵀ J(t, y, θ) U, the derivative of λᵀ ∂f/∂y · U, to yBar and thetaBar: the directional derivative
     * of the VJP along U, by central differences.
     */
    private void jacobianTerm(double t, double[] y, double[] lam, double[] dir, double[] yBar, double[] thetaBar) {
        double dirNorm = maxAbs(dir, n);
        if (dirNorm == 0.0) return;
        double eps = CBRT_U * (1.0 + maxAbs(y, n)) / dirNorm;
        double half = 0.5 / eps;
        for (int sign = 1; sign >= -1; sign -= 2) {
            for (int p = 0; p < n; p++) {
                shifted[p] = y[p] + sign * eps * dir[p];
                scaled[p] = sign * half * lam[p];
            }
            vjp(t, shifted, scaled, jd, thetaBar);
            for (int p = 0; p < n; p++) yBar[p] += jd[p];
        }
    }
}
