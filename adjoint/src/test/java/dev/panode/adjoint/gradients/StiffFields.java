package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.FieldWorkspace;

/** Small stiff differentiable fields with hand-written VJPs, for the gradient tests of the implicit methods. */
final class StiffFields {
    private StiffFields() {}

    /** Robertson's kinetics with θ = (k1, k2, k3), nominally (0.04, 3e7, 1e4); autonomous, nonlinear. */
    static DifferentiableField robertson() {
        return new Base(3, new double[] {0.04, 3e7, 1e4}) {
            @Override
            public void evaluate(double t, double[] y, double[] out, int rows, FieldWorkspace ws) {
                double k1 = theta[0], k2 = theta[1], k3 = theta[2];
                for (int r = 0; r < rows; r++) {
                    int o = 3 * r;
                    double y1 = y[o], y2 = y[o + 1], y3 = y[o + 2];
                    out[o] = -k1 * y1 + k3 * y2 * y3;
                    out[o + 1] = k1 * y1 - k3 * y2 * y3 - k2 * y2 * y2;
                    out[o + 2] = k2 * y2 * y2;
                }
            }

            @Override
            void vjpRow(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, int o) {
                double k1 = theta[0], k2 = theta[1], k3 = theta[2];
                double y1 = y[o], y2 = y[o + 1], y3 = y[o + 2];
                double v1 = v[o], v2 = v[o + 1], v3 = v[o + 2];
                yBar[o] = k1 * (v2 - v1);
                yBar[o + 1] = k3 * y3 * (v1 - v2) + 2 * k2 * y2 * (v3 - v2);
                yBar[o + 2] = k3 * y2 * (v1 - v2);
                if (thetaBar != null) {
                    thetaBar[0] += y1 * (v2 - v1);
                    thetaBar[1] += y2 * y2 * (v3 - v2);
                    thetaBar[2] += y2 * y3 * (v1 - v2);
                }
            }
        };
    }

    /** Van der Pol, y1' = y2, y2' = μ((1 − y1²) y2 − y1), θ = (μ); stiff for large μ, nonlinear in y. */
    static DifferentiableField vanDerPol(double mu) {
        return new Base(2, new double[] {mu}) {
            @Override
            public void evaluate(double t, double[] y, double[] out, int rows, FieldWorkspace ws) {
                for (int r = 0; r < rows; r++) {
                    int o = 2 * r;
                    out[o] = y[o + 1];
                    out[o + 1] = theta[0] * ((1 - y[o] * y[o]) * y[o + 1] - y[o]);
                }
            }

            @Override
            void vjpRow(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, int o) {
                double mu = theta[0], y1 = y[o], y2 = y[o + 1];
                yBar[o] = v[o + 1] * mu * (-2 * y1 * y2 - 1);
                yBar[o + 1] = v[o] + v[o + 1] * mu * (1 - y1 * y1);
                if (thetaBar != null) thetaBar[0] += v[o + 1] * ((1 - y1 * y1) * y2 - y1);
            }
        };
    }

    /**
     * Prothero–Robinson, y_i' = −k_i (y_i − sin(ω_i t)) + ω_i cos(ω_i t) with ω = (1, 3), θ = (k_1, k_2); the exact
     * solution from y_i(0) = 0 is sin(ω_i t). Non-autonomous, linear in y; J = −diag(θ) depends on θ.
     */
    static DifferentiableField protheroRobinson(double k1, double k2) {
        return new Base(2, new double[] {k1, k2}) {
            @Override
            public void evaluate(double t, double[] y, double[] out, int rows, FieldWorkspace ws) {
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < 2; i++) {
                        double w = i + 1 + i; // 1, 3
                        out[2 * r + i] = -theta[i] * (y[2 * r + i] - Math.sin(w * t)) + w * Math.cos(w * t);
                    }
                }
            }

            @Override
            void vjpRow(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, int o) {
                for (int i = 0; i < 2; i++) {
                    double w = i + 1 + i;
                    yBar[o + i] = -theta[i] * v[o + i];
                    if (thetaBar != null) thetaBar[i] += -(y[o + i] - Math.sin(w * t)) * v[o + i];
                }
            }
        };
    }

    private abstract static class Base implements DifferentiableField {
        private final int dim;
        final double[] theta;

        Base(int dim, double[] theta) {
            this.dim = dim;
            this.theta = theta;
        }

        abstract void vjpRow(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, int offset);

        @Override
        public double vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
                          boolean wantTime, FieldWorkspace ws) {
            if (wantTime) throw new UnsupportedOperationException("no time derivative in this test field");
            if (fOut != null) evaluate(t, y, fOut, rows, ws);
            for (int r = 0; r < rows; r++) vjpRow(t, y, v, yBar, thetaBar, r * dim);
            return 0.0;
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public int parameterCount() {
            return theta.length;
        }

        @Override
        public double[] parameters() {
            return theta;
        }
    }
}
