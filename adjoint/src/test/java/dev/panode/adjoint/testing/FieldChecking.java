package dev.panode.adjoint.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.FieldWorkspace;
import java.util.SplittableRandom;

/**
 * Oracles shared by the field tests: directional derivatives of {@code s ↦ vᵀ f(t + s·τ, y + s·w, θ + s·ω)} by the
 * fourth-order central difference {@code (−g(2h) + 8g(h) − 8g(−h) + g(−2h)) / 12h}, compared with what a VJP gives.
 */
public final class FieldChecking {
    private FieldChecking() {}

    public static double[] random(SplittableRandom rng, int n, double range) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextDouble(-range, range);
        return x;
    }

    public static double dot(double[] a, double[] b, int n) {
        double s = 0.0;
        for (int i = 0; i < n; i++) s += a[i] * b[i];
        return s;
    }

    /** vᵀ f(t, y) with the field's live parameters. */
    public static double contracted(DifferentiableField f, double t, double[] y, double[] v, int rows, FieldWorkspace ws) {
        double[] out = new double[rows * f.dim()];
        f.evaluate(t, y, out, rows, ws);
        return dot(v, out, out.length);
    }

    /**
     * d/ds vᵀ f(t + s·dt, y + s·dy, θ + s·dθ) at s = 0 by central differences; the parameters are restored.
     * {@code dy} or {@code dTheta} may be null (no perturbation).
     */
    public static double directional(DifferentiableField f, double t, double[] y, double[] v, int rows,
                              double dt, double[] dy, double[] dTheta, double h) {
        FieldWorkspace ws = f.newWorkspace(rows);
        double[] theta = f.parameters();
        double[] theta0 = theta.clone();
        double[] ys = y.clone();
        double[] g = new double[4];
        double[] steps = {-2 * h, -h, h, 2 * h};
        for (int k = 0; k < 4; k++) {
            double s = steps[k];
            for (int i = 0; i < ys.length; i++) ys[i] = y[i] + (dy == null ? 0.0 : s * dy[i]);
            for (int i = 0; i < theta.length; i++) theta[i] = theta0[i] + (dTheta == null ? 0.0 : s * dTheta[i]);
            g[k] = contracted(f, t + s * dt, ys, v, rows, ws);
        }
        System.arraycopy(theta0, 0, theta, 0, theta.length);
        return (g[0] - 8 * g[1] + 8 * g[2] - g[3]) / (12 * h);
    }

    public static void assertRelativeClose(double expected, double actual, double rtol, String what) {
        double err = Math.abs(expected - actual);
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        assertTrue(err <= rtol * scale,
                what + ": expected " + expected + " got " + actual + " (relative error " + err / scale + ")");
    }

    /** max |a − b| / max |b| over n entries. */
    public static double normwiseRelative(double[] a, double[] b, int n) {
        double err = 0.0;
        double scale = 0.0;
        for (int i = 0; i < n; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return err / scale;
    }
}
