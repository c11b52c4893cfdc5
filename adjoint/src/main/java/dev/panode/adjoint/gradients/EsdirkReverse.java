package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.DirkTableau;
import dev.panode.solvers.Esdirk;
import dev.panode.solvers.Interpolant;
import dev.panode.solvers.SolveOptions;

/**
 * The discrete adjoint of an {@link Esdirk} step, differentiating the method with its stage equations solved exactly
 * (the implicit-function theorem), not the Newton iteration that approximates them:
 * <pre>
 * k_0 = f(t, y),   k_i = f(t + c_i h, Y_i),   Y_i = y + h Σ_{j&lt;i} a_ij k_j + γh k_i   (i ≥ 1),   y_new = Y_{s−1}
 * </pre>
 * <b>Replay.</b> The stages are re-solved from the step's starting state by Newton's method with the exact Jacobian
 * (from VJPs) at (t, y), refreshed at the current iterate when the iteration contracts slowly, down to a millionth
 * of the forward solve's tolerance (a thousandth at the rounding floor). The forward solve stopped its simplified Newton iteration
 * at a few hundredths of the tolerance, so the replayed step differs from the forward one by that much; the gradient
 * is the exact gradient of the replayed (exactly solved) step at the forward states.
 *
 * <p><b>Reverse.</b> With k̄_j = h b_j ȳ_new, for i = s−1 … 1: the stage's cotangent passes through the transposed
 * stage system {@code (I − γh J_iᵀ) μ_i = k̄_i}, J_i = ∂f/∂y at (t_i, Y_i); then {@code w_i = J_iᵀ μ_i} and
 * {@code θ̄ += (∂f/∂θ)ᵀ μ_i} (one VJP at the stage), {@code ȳ += w_i}, {@code k̄_j += h a_ij w_i} for j &lt; i; last
 * the explicit stage, a VJP at (t, y) with k̄_0. The transposed system is solved by the iteration
 * {@code μ += M⁻ᵀ (k̄_i − μ + γh J_iᵀ μ)} preconditioned by the LU of {@code M = I − γhJ} already factorised
 * ({@code dgetrs} with trans = 'T'), one VJP per iteration — one in all when J_i is the Jacobian of that LU, as on a
 * linear problem; when it contracts slowly the LU is redone at the stage (dim VJPs) and the next iteration is exact.
 *
 * <p>Cost per step: dim VJPs for the Jacobian, one LU per row, the replayed Newton iterations (about 2–4 evaluations
 * per implicit stage), and 1–3 VJPs per stage backwards.
 */
final class EsdirkReverse extends ImplicitReverse {
    private static final int MAX_ITERATIONS = 40;
    /** The replayed Newton iteration stops when its estimated error is below this fraction of the solve's tolerance, */
    private static final double NEWTON_TOLERANCE = 1e-6;
    /** or when it no longer contracts (the rounding floor) below this fraction. */
    private static final double NEWTON_FLOOR = 1e-3;
    /** A contraction rate above this makes the iteration refresh its Jacobian at the current point. */
    private static final double SLOW = 0.3;

    private final DirkTableau tab;
    private final double[][] k, stage, kBar;
    private final double[] psi, f, delta, mu, w, r, jd;

    EsdirkReverse(DifferentiableField field, Esdirk method, int rows, int dim, SolveOptions options) {
        super(field, method.name(), method.tableau().stages(), method.tableau().gamma(), hermite(method.tableau()), rows,
                dim, options);
        this.tab = method.tableau();
        this.k = new double[s][n];
        this.stage = new double[s][n];
        this.kBar = new double[s][n];
        this.psi = new double[n];
        this.f = new double[n];
        this.delta = new double[n];
        this.mu = new double[n];
        this.w = new double[n];
        this.r = new double[n];
        this.jd = new double[n];
    }

    /**
     * The stepper's dense output in stage form: the cubic Hermite interpolant through (y, k_0) and
     * (y_new, k_{s−1}) with y_new − y = h Σ b_i k_i, so w_i(θ) = (3θ² − 2θ³) b_i + (θ − 2θ² + θ³) [i = 0] +
     * (θ³ − θ²) [i = s − 1].
     */
    static Interpolant hermite(DirkTableau tab) {
        int s = tab.stages();
        double[][] c = new double[s][3];
        for (int i = 0; i < s; i++) {
            double b = tab.a(s - 1, i);
            c[i][1] = 3 * b;
            c[i][2] = -2 * b;
        }
        c[0][0] += 1;
        c[0][1] -= 2;
        c[0][2] += 1;
        c[s - 1][1] -= 1;
        c[s - 1][2] += 1;
        return Interpolant.ofStagePolynomials(tab.name() + "-hermite", 3, s, c);
    }

    @Override
    public double[] stage(int i) {
        return k[i];
    }

    @Override
    public void advance(double t, double h, double[] y, double[] yOut) {
        replay(t, h, y);
        System.arraycopy(stage[s - 1], 0, yOut, 0, n);
    }

    /** Solves the stages of the step from y (see the class comment). */
    private void replay(double t, double h, double[] y) {
        double hg = gamma * h;
        System.arraycopy(y, 0, stage[0], 0, n);
        evaluate(t, y, k[0]);
        factoriseAt(t, y, hg);
        for (int i = 1; i < s; i++) {
            double ti = t + tab.c(i) * h;
            for (int p = 0; p < n; p++) {
                double acc = 0.0;
                for (int j = 0; j < i; j++) acc += tab.a(i, j) * k[j][p];
                psi[p] = y[p] + h * acc;
            }
            double[] yi = stage[i];
            System.arraycopy(stage[i - 1], 0, yi, 0, n);
            double previous = Double.NaN;
            boolean converged = false;
            for (int iter = 0; iter < MAX_ITERATIONS && !converged; iter++) {
                evaluate(ti, yi, f);
                for (int p = 0; p < n; p++) delta[p] = psi[p] + hg * f[p] - yi[p];
                matrix.solve(delta);
                for (int p = 0; p < n; p++) yi[p] += delta[p];
                double dn = scaledNorm(delta, yi);
                if (!(dn < Double.POSITIVE_INFINITY)) break;
                double theta = iter == 0 ? 0.0 : dn / previous;
                // converged, or at the rounding floor (no more progress, far below the tolerance)
                double eta = iter == 0 || theta >= 1 ? 1.0 : theta / (1 - theta);
                converged = eta * dn <= NEWTON_TOLERANCE || (theta >= 0.5 && dn <= NEWTON_FLOOR);
                if (!converged && theta > SLOW) factoriseAt(ti, yi, hg);
                previous = dn;
            }
            if (!converged) {
                throw new IllegalStateException(methodName + ": replaying the step from t = " + t + " (h = " + h
                        + "), stage " + i + "'s Newton iteration did not converge; the step cannot be differentiated");
            }
            double inv = 1.0 / hg;
            for (int p = 0; p < n; p++) k[i][p] = (yi[p] - psi[p]) * inv;
        }
    }

    @Override
    public void reverse(double t, double h, double[] y, double[] yBar, double[] thetaBar, double[][] saved,
                        int firstSlot) {
        replay(t, h, y);
        double hg = gamma * h;
        for (int j = 0; j < s; j++) {
            double wj = h * tab.a(s - 1, j);
            double[] kb = kBar[j];
            for (int p = 0; p < n; p++) kb[p] = wj * yBar[p];
        }
        for (int i = s - 1; i >= 1; i--) {
            if (isZero(kBar[i], n)) continue;
            transposedStage(t + tab.c(i) * h, stage[i], kBar[i], hg, thetaBar);
            for (int p = 0; p < n; p++) yBar[p] += w[p];
            for (int j = 0; j < i; j++) {
                double a = h * tab.a(i, j);
                if (a == 0.0) continue;
                double[] kb = kBar[j];
                for (int p = 0; p < n; p++) kb[p] += a * w[p];
            }
        }
        if (!isZero(kBar[0], n)) {
            vjp(t, y, kBar[0], jd, thetaBar);
            for (int p = 0; p < n; p++) yBar[p] += jd[p];
        }
    }

    /**
     * Solves {@code (I − γh J_iᵀ) μ = k̄} at the stage (t_i, Y_i) and leaves {@code w = J_iᵀ μ}; adds
     * {@code (∂f/∂θ)ᵀ μ} to thetaBar (see the class comment).
     */
    private void transposedStage(double ti, double[] yi, double[] kb, double hg, double[] thetaBar) {
        java.util.Arrays.fill(mu, 0, n, 0.0);
        java.util.Arrays.fill(w, 0, n, 0.0);
        System.arraycopy(kb, 0, delta, 0, n);
        matrix.solveTransposed(delta);
        double previous = Double.NaN;
        boolean refreshed = false;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            // μ += Δ, and the products of Δ (linear, so they add up to those of μ)
            for (int p = 0; p < n; p++) mu[p] += delta[p];
            vjp(ti, yi, delta, jd, thetaBar);
            for (int p = 0; p < n; p++) w[p] += jd[p];
            for (int p = 0; p < n; p++) r[p] = kb[p] - mu[p] + hg * w[p];
            System.arraycopy(r, 0, delta, 0, n);
            matrix.solveTransposed(delta);
            double dn = maxAbs(delta, n), scale = maxAbs(mu, n);
            if (dn <= 1e-13 * scale || dn == 0.0) return;
            double theta = iter == 0 ? 0.0 : dn / previous;
            if (theta >= 0.5 && dn <= 1e-9 * scale) return; // the rounding floor
            if (theta > SLOW && !refreshed) {
                factoriseAt(ti, yi, hg);
                refreshed = true;
                System.arraycopy(r, 0, delta, 0, n);
                matrix.solveTransposed(delta);
                dn = maxAbs(delta, n);
            }
            previous = dn;
        }
        throw new IllegalStateException(methodName + ": the transposed stage system at t = " + ti
                + " did not converge; the step cannot be differentiated");
    }
}
