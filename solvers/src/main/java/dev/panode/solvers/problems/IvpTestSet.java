package dev.panode.solvers.problems;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.JacobianField;

/**
 * Three stiff problems of the IVP Test Set, each with its analytic Jacobian (row-major {@code dim × dim} blocks, one
 * per row of the batch), autonomous, and the reference value of y(end) that the Test Set publishes (RADAU5 at
 * tol 1.1e-18). For checking an implicit solver's accuracy and comparing its cost; an explicit method needs of the
 * order of 10^4 (HIRES) to 10^14 (Robertson to 1e11) steps on them. Evaluations and Jacobians cost O(dim) and
 * O(dim²) per row and allocate nothing.
 *
 * <p>Reference: F. Mazzia, C. Magherini, Test Set for Initial Value Problem Solvers, release 2.4, University of Bari
 * (2008).
 */
public final class IvpTestSet {
    private IvpTestSet() {}

    /** HIRES ("High Irradiance RESponse", plant physiology): 8 components, t ∈ [0, 321.8122]. */
    public static final ReferenceProblem HIRES = new ReferenceProblem("HIRES", new JacobianField() {
        @Override
        public void evaluate(double t, double[] y, double[] f, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 8 * r;
                double y1 = y[o], y2 = y[o + 1], y3 = y[o + 2], y4 = y[o + 3], y5 = y[o + 4], y6 = y[o + 5],
                        y7 = y[o + 6], y8 = y[o + 7];
                f[o] = -1.71 * y1 + 0.43 * y2 + 8.32 * y3 + 0.0007;
                f[o + 1] = 1.71 * y1 - 8.75 * y2;
                f[o + 2] = -10.03 * y3 + 0.43 * y4 + 0.035 * y5;
                f[o + 3] = 8.32 * y2 + 1.71 * y3 - 1.12 * y4;
                f[o + 4] = -1.745 * y5 + 0.43 * y6 + 0.43 * y7;
                f[o + 5] = -280.0 * y6 * y8 + 0.69 * y4 + 1.71 * y5 - 0.43 * y6 + 0.69 * y7;
                f[o + 6] = 280.0 * y6 * y8 - 1.81 * y7;
                f[o + 7] = -280.0 * y6 * y8 + 1.81 * y7;
            }
        }

        @Override
        public void jacobian(double t, double[] y, double[] j, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 8 * r, b = 64 * r;
                java.util.Arrays.fill(j, b, b + 64, 0.0);
                double y6 = y[o + 5], y8 = y[o + 7];
                set(j, b, 0, 0, -1.71); set(j, b, 0, 1, 0.43); set(j, b, 0, 2, 8.32);
                set(j, b, 1, 0, 1.71); set(j, b, 1, 1, -8.75);
                set(j, b, 2, 2, -10.03); set(j, b, 2, 3, 0.43); set(j, b, 2, 4, 0.035);
                set(j, b, 3, 1, 8.32); set(j, b, 3, 2, 1.71); set(j, b, 3, 3, -1.12);
                set(j, b, 4, 4, -1.745); set(j, b, 4, 5, 0.43); set(j, b, 4, 6, 0.43);
                set(j, b, 5, 3, 0.69); set(j, b, 5, 4, 1.71); set(j, b, 5, 5, -280.0 * y8 - 0.43);
                set(j, b, 5, 6, 0.69); set(j, b, 5, 7, -280.0 * y6);
                set(j, b, 6, 5, 280.0 * y8); set(j, b, 6, 6, -1.81); set(j, b, 6, 7, 280.0 * y6);
                set(j, b, 7, 5, -280.0 * y8); set(j, b, 7, 6, 1.81); set(j, b, 7, 7, -280.0 * y6);
            }
        }

        private void set(double[] j, int b, int row, int col, double v) {
            j[b + row * 8 + col] = v;
        }

        @Override
        public int dim() {
            return 8;
        }

        @Override
        public boolean isAutonomous() {
            return true;
        }
    }, new double[] {1, 0, 0, 0, 0, 0, 0, 0.0057}, 321.8122,
            new double[] {0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
                    0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2});

    /**
     * Van der Pol in the Test Set's scaling: y1' = y2, y2' = ((1 − y1²) y2 − y1)/ε, ε = 1e-6, t ∈ [0, 2]. The reference
     * is the Test Set's y(2) = (0.1706167732170469e+1, −0.8928097010248125e+0). (Quoted elsewhere with y2 scaled by
     * 1e-3, which contradicts the slow manifold: there (1 − y1²)·y2 ≈ y1, so y2 ≈ 1.70617/(1 − 1.70617²) = −0.8928.)
     */
    public static final ReferenceProblem VDPOL = new ReferenceProblem("VDPOL", new JacobianField() {
        static final double EPS = 1e-6;

        @Override
        public void evaluate(double t, double[] y, double[] f, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 2 * r;
                double y1 = y[o], y2 = y[o + 1];
                f[o] = y2;
                f[o + 1] = ((1 - y1 * y1) * y2 - y1) / EPS;
            }
        }

        @Override
        public void jacobian(double t, double[] y, double[] j, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 2 * r, b = 4 * r;
                double y1 = y[o], y2 = y[o + 1];
                j[b] = 0;
                j[b + 1] = 1;
                j[b + 2] = (-2 * y1 * y2 - 1) / EPS;
                j[b + 3] = (1 - y1 * y1) / EPS;
            }
        }

        @Override
        public int dim() {
            return 2;
        }

        @Override
        public boolean isAutonomous() {
            return true;
        }
    }, new double[] {2, 0}, 2.0, new double[] {1.706167732170469, -0.8928097010248125});

    /** Robertson's chemical kinetics (ROBER): 3 components, t ∈ [0, 1e11]. */
    public static final ReferenceProblem ROBER = new ReferenceProblem("ROBER", new JacobianField() {
        @Override
        public void evaluate(double t, double[] y, double[] f, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 3 * r;
                double y1 = y[o], y2 = y[o + 1], y3 = y[o + 2];
                f[o] = -0.04 * y1 + 1e4 * y2 * y3;
                f[o + 2] = 3e7 * y2 * y2;
                f[o + 1] = -f[o] - f[o + 2];
            }
        }

        @Override
        public void jacobian(double t, double[] y, double[] j, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 3 * r, b = 9 * r;
                double y2 = y[o + 1], y3 = y[o + 2];
                j[b] = -0.04;
                j[b + 1] = 1e4 * y3;
                j[b + 2] = 1e4 * y2;
                j[b + 6] = 0;
                j[b + 7] = 6e7 * y2;
                j[b + 8] = 0;
                j[b + 3] = 0.04;
                j[b + 4] = -1e4 * y3 - 6e7 * y2;
                j[b + 5] = -1e4 * y2;
            }
        }

        @Override
        public int dim() {
            return 3;
        }

        @Override
        public boolean isAutonomous() {
            return true;
        }
    }, new double[] {1, 0, 0}, 1e11, new double[] {0.2083340149701255e-7, 0.8333360770334713e-13, 0.9999999791665050});
}
