package dev.panode.solvers;

import dev.panode.simd.StageKernels;

/**
 * A {@link LinearMultistep} method (leapfrog, Adams–Bashforth) run through the common entry point
 * {@link Solver#solve}, so that it returns the same {@link Solution}, statistics, save policies (t1, times, steps),
 * observers and failure results as the Runge–Kutta family.
 *
 * <p>Fixed steps only: use {@link ConstantStep}; the grid must divide [t0, t1] evenly and tstops are not supported
 * ({@link #requiresUniformSteps()}). The first k−1 steps use the method's {@link Starter}; afterwards each step costs
 * one evaluation. Save times inside a step use cubic Hermite interpolation from (y, f) at both ends (third order),
 * whose end derivative is the next step's f and so costs nothing extra. For per-step parameters (a ResNet read as an
 * ODE, {@link StepwiseField}) and for the trajectory that multistep backprop reads, use {@link MultistepSolver}.
 */
public final class MultistepMethod implements OdeMethod {
    private final LinearMultistep lmm;

    private MultistepMethod(LinearMultistep lmm) {
        this.lmm = lmm;
    }

    /** The method for {@link Solver#solve}. */
    public static MultistepMethod of(LinearMultistep lmm) {
        if (lmm == null) throw new IllegalArgumentException("lmm must be non-null");
        return new MultistepMethod(lmm);
    }

    /** The multistep formula. */
    public LinearMultistep formula() {
        return lmm;
    }

    @Override
    public String name() {
        return lmm.name();
    }

    @Override
    public int order() {
        return lmm.order();
    }

    @Override
    public int errorOrder() {
        return 0;
    }

    @Override
    public boolean requiresUniformSteps() {
        return true;
    }

    @Override
    public Stepper newStepper(VectorField field, int maxRows, int dim) {
        return new LmmStepper(this, field, maxRows, dim);
    }

    @Override
    public String toString() {
        return "MultistepMethod[" + lmm.name() + "]";
    }

    /** History rings of k states and k derivatives; the starter's stages. */
    private static final class LmmStepper implements Stepper {
        private final MultistepMethod method;
        private final LinearMultistep lmm;
        private final VectorField field;
        private final FieldWorkspace fieldWs;
        private final int maxRows, dim, k;
        private final double[][] z, f, ordered, stages;
        private final double[] stageIn;
        private final double[] beta;
        private int rows, n;
        private long m;
        private boolean fValid, endValid;
        private double t, h, tEnd;
        private double[] y, yOut;

        LmmStepper(MultistepMethod method, VectorField field, int maxRows, int dim) {
            this.method = method;
            this.lmm = method.lmm;
            this.field = field;
            this.fieldWs = field.newWorkspace(maxRows);
            this.maxRows = maxRows;
            this.dim = dim;
            this.k = lmm.steps();
            int size = maxRows * dim;
            this.z = new double[k][size];
            this.f = new double[k][size];
            this.ordered = new double[k][];
            this.stages = new double[lmm.starter().stages()][size];
            this.stageIn = new double[size];
            this.beta = lmm.betaArray();
        }

        @Override
        public boolean fits(OdeMethod m, VectorField fld, int rows, int dim) {
            return m == method && fld == field && dim == this.dim && rows <= maxRows;
        }

        @Override
        public int start(double t0, double[] y0, int rows) {
            this.rows = rows;
            this.n = rows * dim;
            this.m = 0;
            System.arraycopy(y0, 0, z[0], 0, n);
            field.evaluate(t0, y0, f[0], rows, fieldWs);
            fValid = true;
            endValid = false;
            return 1;
        }

        @Override
        public double[] derivative() {
            return f[(int) (m % k)];
        }

        @Override
        public void evaluate(double t, double[] y, double[] out) {
            field.evaluate(t, y, out, rows, fieldWs);
        }

        @Override
        public int attempt(double t, double h, double tEnd, double[] y, double[] yOut, double[] errOut) {
            int nfe = 0;
            int cur = (int) (m % k);
            if (!fValid) {
                field.evaluate(t, y, f[cur], rows, fieldWs);
                fValid = true;
                nfe = 1;
            }
            if (m < k - 1) {
                Starter st = lmm.starter();
                int s = st.stages();
                System.arraycopy(f[cur], 0, stages[0], 0, n);
                for (int i = 1; i < s; i++) {
                    StageKernels.combine(y, 0, h, st.row(i), i, stages, 0, stageIn, 0, n);
                    field.evaluate(t + st.c(i) * h, stageIn, stages[i], rows, fieldWs);
                }
                StageKernels.combine(y, 0, h, st.weights(), s, stages, 0, yOut, 0, n);
                nfe += s - 1;
            } else {
                for (int j = 0; j < k; j++) ordered[j] = f[(int) ((m - j) % k)];
                int anchor = lmm.anchor();
                double[] base;
                if (anchor >= 0) {
                    base = z[(int) ((m - anchor) % k)];
                } else {
                    for (int i = 0; i < n; i++) {
                        double acc = 0.0;
                        for (int j = 0; j < k; j++) acc += lmm.alpha(j) * z[(int) ((m - j) % k)][i];
                        yOut[i] = acc;
                    }
                    base = yOut;
                }
                StageKernels.combine(base, 0, h, beta, k, ordered, 0, yOut, 0, n);
            }
            this.t = t;
            this.h = h;
            this.tEnd = tEnd;
            this.y = y;
            this.yOut = yOut;
            endValid = false;
            return nfe;
        }

        @Override
        public int interpolate(double theta, double[] out, int outOff) {
            int nfe = 0;
            double[] f1 = f[(int) ((m + 1) % k)]; // holds f_{m+1−k}, which the step just taken no longer needs
            if (!endValid) {
                field.evaluate(tEnd, yOut, f1, rows, fieldWs);
                endValid = true;
                nfe = 1;
            }
            double[] f0 = f[(int) (m % k)];
            double t2 = theta * theta, t3 = t2 * theta;
            double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + theta, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
            for (int i = 0; i < n; i++)
                out[outOff + i] = h00 * y[i] + h01 * yOut[i] + h * (h10 * f0[i] + h11 * f1[i]);
            return nfe;
        }

        @Override
        public void accept() {
            System.arraycopy(yOut, 0, z[(int) ((m + 1) % k)], 0, n);
            m++;
            fValid = endValid;
            endValid = false;
        }

        @Override
        public OdeMethod method() {
            return method;
        }

        @Override
        public double t() {
            return t;
        }

        @Override
        public double h() {
            return h;
        }

        @Override
        public double tEnd() {
            return tEnd;
        }

        @Override
        public double[] yBefore() {
            return y;
        }

        @Override
        public double[] yAfter() {
            return yOut;
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public int stageCount() {
            return m < k - 1 ? lmm.starter().stages() : k;
        }

        /** Starter steps: the starter's stages; afterwards the derivatives f_m, f_{m−1}, … the formula used. */
        @Override
        public double[][] stages() {
            return m < k - 1 ? stages : ordered;
        }

        @Override
        public double[][] stageInputs() {
            return null;
        }
    }
}
