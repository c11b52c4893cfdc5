package dev.panode.solvers;

/**
 * The stepper of a {@link Rosenbrock} method. Per step: the Jacobian at the step's start (kept across rejected attempts
 * from the same point), ∂f/∂t by a forward difference unless the field is a {@link JacobianField} that declares itself
 * autonomous, one LU of I − γhJ per attempt, then s linear solves:
 * {@code U_i = (I − γhJ)⁻¹ · γh · (f(t + c_i h, y + Σ a_ij U_j) + Σ (C_ij/h) U_j + h d_i ∂f/∂t)}.
 */
final class RosenbrockStepper extends ImplicitStepper {
    private final RosenbrockTableau tab;
    /** The stage increments U_i. */
    private final double[][] u;
    private final double[] stageIn, fi, ft;
    private final boolean autonomous;
    private final double[] d, m, mHat;
    private final double[][] dense;

    RosenbrockStepper(Rosenbrock method, VectorField field, int maxRows, int dim) {
        super(method, method.tableau().stages(), method.tableau().gamma(), field, maxRows, dim);
        this.tab = method.tableau();
        int size = Math.multiplyExact(maxRows, dim);
        this.u = new double[s][size];
        this.stageIn = new double[size];
        this.fi = new double[size];
        this.ft = new double[size];
        this.autonomous = jacobian.isAutonomous();
        this.d = tab.d();
        this.m = tab.m();
        this.mHat = tab.mHat();
        this.dense = tab.dense();
    }

    @Override
    void reset() {
    }

    @Override
    public int attempt(double t, double h, double tEnd, double[] y, double[] yOut, double[] errOut) {
        recordAttempt(t, h, tEnd, y, yOut);
        int nfe = ensureF0(t, y);
        if (!jacobianAtStart) {
            nfe += evaluateJacobian(t, y);
            if (!autonomous) {
                double target = ForwardDifference.perturbed(t);
                double dt = target - t;
                field.evaluateUnchecked(target, y, ft, rows, fieldWs);
                nfe++;
                for (int p = 0; p < n; p++) ft[p] = (ft[p] - f0[p]) / dt;
            }
        }
        double hg = h * gamma;
        if (!factorise(hg)) {
            fail(yOut);
            return nfe;
        }
        for (int i = 0; i < s; i++) {
            double[] f;
            if (i == 0) {
                f = f0;
            } else {
                for (int p = 0; p < n; p++) {
                    double acc = y[p];
                    for (int j = 0; j < i; j++) acc += tab.a(i, j) * u[j][p];
                    stageIn[p] = acc;
                }
                field.evaluateUnchecked(t + tab.c(i) * h, stageIn, fi, rows, fieldWs);
                nfe++;
                f = fi;
            }
            double[] ui = u[i];
            double dt = autonomous ? 0.0 : h * d[i];
            for (int p = 0; p < n; p++) {
                double acc = f[p] + dt * ft[p];
                for (int j = 0; j < i; j++) acc += tab.cc(i, j) / h * u[j][p];
                ui[p] = hg * acc;
            }
            matrix.solve(ui);
        }
        for (int p = 0; p < n; p++) {
            double acc = y[p], err = 0.0;
            for (int j = 0; j < s; j++) {
                acc += m[j] * u[j][p];
                err += (m[j] - mHat[j]) * u[j][p];
            }
            yOut[p] = acc;
            if (errOut != null) errOut[p] = err;
        }
        return nfe;
    }

    /**
     * Dense output from the stage increments (Steinebach's for Rodas5P, order 4; no evaluations):
     * {@code y(θ) = (1 − θ) y + θ (y_new + (1 − θ)(K_1 + θ (K_2 + θ (K_3 + ...))))} with {@code K_r = Σ_j H_rj U_j}.
     * The U_j carry the factor (I − γhJ)⁻¹, so this stays accurate on stiff components, where a Hermite interpolant
     * from f values does not.
     */
    @Override
    public int interpolate(double theta, double[] out, int outOff) {
        int rowsH = dense.length;
        for (int p = 0; p < n; p++) {
            double acc = 0.0;
            for (int r = rowsH - 1; r >= 0; r--) {
                double kr = 0.0;
                double[] hr = dense[r];
                for (int j = 0; j < s; j++) kr += hr[j] * u[j][p];
                acc = kr + theta * acc;
            }
            // acc = K_1 + θ (K_2 + θ K_3 ...)
            out[outOff + p] = (1 - theta) * y[p] + theta * (yOut[p] + (1 - theta) * acc);
        }
        return 0;
    }

    // ------------------------------------------------------------------ StepView

    @Override
    public double[][] stages() {
        return u;
    }
}
