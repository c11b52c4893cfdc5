package dev.panode.solvers;

import dev.panode.solvers.problems.ClassicProblems;

/** Test problems: the classic ODEs of {@link ClassicProblems} and a linear system with its matrix-exponential solution. */
final class Problems {
    private Problems() {}

    /** Lorenz (σ = 10, ρ = 28, β = 8/3), applied row-wise over a batch of 3-vectors. */
    static final VectorField LORENZ = ClassicProblems.lorenz();

    /** Van der Pol with μ = 1: x' = v, v' = μ(1 − x²)v − x. */
    static final VectorField VAN_DER_POL = ClassicProblems.vanDerPol();

    /** dy/dt = A y over a batch, A given row-major d × d. */
    static VectorField linear(double[] a, int d) {
        return new VectorField() {
            @Override
            public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < d; i++) {
                        double acc = 0;
                        for (int j = 0; j < d; j++) acc += a[i * d + j] * y[r * d + j];
                        dy[r * d + i] = acc;
                    }
            }

            @Override
            public int dim() {
                return d;
            }
        };
    }

    /** expm(A t) by scaling and squaring with a degree-20 Taylor polynomial; A row-major d × d. */
    static double[] expm(double[] a, int d, double t) {
        double norm = 0;
        for (int i = 0; i < d; i++) {
            double row = 0;
            for (int j = 0; j < d; j++) row += Math.abs(a[i * d + j] * t);
            norm = Math.max(norm, row);
        }
        int s = Math.max(0, (int) Math.ceil(Math.log(Math.max(norm, 1e-300) / 0.25) / Math.log(2)));
        double scale = t / Math.pow(2, s);
        double[] x = new double[d * d];
        for (int i = 0; i < d * d; i++) x[i] = a[i] * scale;
        double[] result = identity(d), term = identity(d);
        for (int k = 1; k <= 20; k++) {
            term = mul(term, x, d);
            for (int i = 0; i < d * d; i++) term[i] /= k;
            for (int i = 0; i < d * d; i++) result[i] += term[i];
        }
        for (int i = 0; i < s; i++) result = mul(result, result, d);
        return result;
    }

    static double[] identity(int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) m[i * d + i] = 1;
        return m;
    }

    static double[] mul(double[] p, double[] q, int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int k = 0; k < d; k++)
                for (int j = 0; j < d; j++) m[i * d + j] += p[i * d + k] * q[k * d + j];
        return m;
    }

    /** exact solution y(t) = expm(A t) y0 for each row of y0. */
    static double[] linearExact(double[] a, int d, double[] y0, double t) {
        double[] e = expm(a, d, t);
        int rows = y0.length / d;
        double[] y = new double[y0.length];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < d; i++) {
                double acc = 0;
                for (int j = 0; j < d; j++) acc += e[i * d + j] * y0[r * d + j];
                y[r * d + i] = acc;
            }
        return y;
    }

    static double maxAbsDiff(double[] p, double[] q) {
        double m = 0;
        for (int i = 0; i < p.length; i++) m = Math.max(m, Math.abs(p[i] - q[i]));
        return m;
    }
}
