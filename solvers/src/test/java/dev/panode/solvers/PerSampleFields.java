package dev.panode.solvers;

import dev.panode.solvers.problems.ClassicProblems;

/** Row-independent test fields for per-sample solves; a sample's parameters travel in its state. */
final class PerSampleFields {
    private PerSampleFields() {}

    /** Van der Pol with μ as a constant third component: (x, v, μ)' = (v, μ(1 − x²)v − x, 0). Autonomous. */
    static final RowTimeField VAN_DER_POL_MU = ClassicProblems.vanDerPolMu();

    /** A forced damped oscillator, time-dependent: (x, v)' = (v, −x − 0.1v + cos(2t)). */
    static final RowTimeField FORCED = new RowTimeField() {
        @Override
        public void evaluateRows(double[] tRows, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) row(tRows[r], y, dy, 2 * r);
        }

        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) row(t, y, dy, 2 * r);
        }

        private void row(double t, double[] y, double[] dy, int o) {
            dy[o] = y[o + 1];
            dy[o + 1] = -y[o] - 0.1 * y[o + 1] + Math.cos(2 * t);
        }

        @Override
        public int dim() {
            return 2;
        }
    };

    /** dy/dt = y², blowing up at t = 1/y0: a sample that fails. */
    static final RowTimeField BLOW_UP = new RowTimeField() {
        @Override
        public void evaluateRows(double[] tRows, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            evaluate(0.0, y, dy, rows, ws);
        }

        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) dy[r] = y[r] * y[r];
        }

        @Override
        public int dim() {
            return 1;
        }
    };
}
