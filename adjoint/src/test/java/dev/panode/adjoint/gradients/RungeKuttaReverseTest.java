package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panode.adjoint.models.TanhField;
import org.junit.jupiter.api.Test;

class RungeKuttaReverseTest {
    /** L = Σ w·y_new for a fixed random w: one reversed RK4 step against central differences. */
    @Test
    void reverseOfOneStepMatchesFiniteDifferences() {
        int d = 3;
        int rows = 2;
        TanhField field = new TanhField(d, 7);
        RungeKuttaReverse rk = new RungeKuttaReverse(field, dev.panode.solvers.RungeKutta.rk4(), rows, d);
        double t = 0.3;
        double h = 0.2;
        double[] y = {0.1, -0.4, 0.7, 1.2, 0.0, -0.3};
        double[] w = {0.5, -1.0, 0.25, 2.0, 0.1, -0.7};
        double[] yBar = w.clone();
        double[] thetaBar = new double[field.parameterCount()];
        rk.beginReverse();
        rk.reverse(t, h, y, yBar, thetaBar, null, 0);

        double eps = 1e-6;
        double[] out = new double[6];
        for (int j = 0; j < y.length; j++) {
            double[] yp = y.clone();
            yp[j] += eps;
            rk.advance(t, h, yp, out);
            double lp = dot(w, out);
            yp[j] -= 2 * eps;
            rk.advance(t, h, yp, out);
            double lm = dot(w, out);
            assertEquals((lp - lm) / (2 * eps), yBar[j], 1e-9, "dL/dy[" + j + "]");
        }
        for (int p = 0; p < thetaBar.length; p++) {
            double keep = field.theta[p];
            field.theta[p] = keep + eps;
            rk.advance(t, h, y, out);
            double lp = dot(w, out);
            field.theta[p] = keep - eps;
            rk.advance(t, h, y, out);
            double lm = dot(w, out);
            field.theta[p] = keep;
            assertEquals((lp - lm) / (2 * eps), thetaBar[p], 1e-9, "dL/dθ[" + p + "]");
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
