package dev.panode.solvers.problems;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.RowTimeField;
import dev.panode.solvers.VectorField;

/**
 * Two classic non-stiff problems, applied row-wise over a batch: Lorenz's chaotic system and Van der Pol's
 * oscillator with μ = 1, and Van der Pol with a μ of each sample's own, for per-sample solves. Neither has a closed-form solution; they are for comparing solvers against each other
 * (evaluation counts, agreement at a tolerance), not for measuring an error. Each evaluation costs a handful of
 * flops per row and allocates nothing. For stiff problems with reference values see {@link IvpTestSet}.
 *
 * <p>Reference: E. N. Lorenz, Deterministic nonperiodic flow, J. Atmos. Sci. 20 (1963); E. Hairer, S. P. Nørsett,
 * G. Wanner, Solving Ordinary Differential Equations I, Springer (1993), §I.16 (Van der Pol).
 */
public final class ClassicProblems {
    private ClassicProblems() {}

    private static final VectorField LORENZ = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 3 * r;
                double x = y[o], yy = y[o + 1], z = y[o + 2];
                dy[o] = 10.0 * (yy - x);
                dy[o + 1] = x * (28.0 - z) - yy;
                dy[o + 2] = x * yy - (8.0 / 3.0) * z;
            }
        }

        @Override
        public int dim() {
            return 3;
        }
    };

    private static final VectorField VAN_DER_POL = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 2 * r;
                double x = y[o], v = y[o + 1];
                dy[o] = v;
                dy[o + 1] = (1.0 - x * x) * v - x;
            }
        }

        @Override
        public int dim() {
            return 2;
        }
    };

    private static final RowTimeField VAN_DER_POL_MU = new RowTimeField() {
        @Override
        public void evaluateRows(double[] tRows, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            evaluate(0.0, y, dy, rows, ws);
        }

        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                int o = 3 * r;
                double x = y[o], v = y[o + 1], mu = y[o + 2];
                dy[o] = v;
                dy[o + 1] = mu * (1 - x * x) * v - x;
                dy[o + 2] = 0.0;
            }
        }

        @Override
        public int dim() {
            return 3;
        }
    };

    /**
     * Lorenz's system with σ = 10, ρ = 28, β = 8/3: x' = σ(y − x), y' = x(ρ − z) − y, z' = xy − βz; dimension 3,
     * chaotic (nearby trajectories separate by about e^(0.9 t)). One shared, stateless instance.
     *
     * @return the field
     */
    public static VectorField lorenz() {
        return LORENZ;
    }

    /**
     * Van der Pol's oscillator with μ = 1: x' = v, v' = μ(1 − x²)v − x; dimension 2, a limit cycle of period about
     * 6.66. Not stiff at μ = 1; {@link IvpTestSet#VDPOL} is its stiff scaling. One shared, stateless instance.
     *
     * @return the field
     */
    public static VectorField vanDerPol() {
        return VAN_DER_POL;
    }

    /**
     * Van der Pol with μ as a constant third component: (x, v, μ)' = (v, μ(1 − x²)v − x, 0); dimension 3, autonomous,
     * rows independent. Each sample carries its own μ in its state, so one batch mixes easy (small μ) and stiff-ish
     * (large μ) samples: the case for {@link dev.panode.solvers.PerSampleSolver}. One shared, stateless instance.
     *
     * @return the field
     */
    public static RowTimeField vanDerPolMu() {
        return VAN_DER_POL_MU;
    }
}
