package dev.panode.cli;

import dev.panode.adjoint.gradients.MultistepBackprop;
import dev.panode.adjoint.models.AffineTanhField;
import dev.panode.adjoint.models.PerStepParameters;
import dev.panode.solvers.AdamsBashforth;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.Leapfrog;
import dev.panode.solvers.LinearMultistep;
import dev.panode.solvers.MultistepSolver;
import dev.panode.solvers.MultistepWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.Starter;
import dev.panode.solvers.VectorField;

/**
 * The leapfrog gradient experiment of docs/ALGORITHMS.md §10 (our design, after the observation of Xu, Chen &amp; Li,
 * arXiv:2306.02192): z ∈ R², {@code f(z; b) = tanh(W z + b)} with {@code W = [[0.5, −1.2], [1.0, 0.3]]},
 * z0 = (1, −0.5), T = 1, {@code L = ½|z_N − (0.3, 0.2)|²}, and a bias b_n per step.
 *
 * <ul>
 *   <li>{@link #reference}: the continuous functional gradient δL/δb(t) = (∂f/∂b)ᵀa(t) of the bias path
 *       b(t) = 0.5·(sin 2πt, cos πt), by classic RK4 forward and an RK4 continuous adjoint (§9) on a fine grid
 *       (both solved by {@link Solver}).</li>
 *   <li>E1 ({@link #e1}): the interior max error of G_n/h against it, for plain backprop, corrections A and B, AB2.</li>
 *   <li>E2 ({@link #train}): gradient descent {@code b_n −= lr·G_n/h} from b = 0 and the roughness
 *       {@code max|b_{n+1} − 2b_n + b_{n−1}|} of what it learns.</li>
 * </ul>
 * Cost: the reference is 8 VJP-sized evaluations per fine step; E1 and E2 are one forward and one backward sweep per
 * gradient. Single-threaded; an instance holds one reference and is immutable afterwards.
 */
public final class LeapfrogExperiment {
    /** The matrix W, row-major. */
    public static final double[] W = {0.5, -1.2, 1.0, 0.3};
    /** The initial state. */
    public static final double[] Z0 = {1.0, -0.5};
    /** The target of the loss. */
    public static final double[] TARGET = {0.3, 0.2};
    /** The end time. */
    public static final double T = 1.0;
    /** The number of fine steps of the published reference. */
    public static final int REFERENCE_STEPS = 20_000;

    private static final int D = 2;

    /** The gradient methods compared in E1 and E2. */
    public enum Variant {
        /** Leapfrog (Euler starter), exact backprop. */
        LEAPFROG_PLAIN(Leapfrog.of(), MultistepBackprop.Mode.EXACT),
        /** Leapfrog, correction A. */
        LEAPFROG_FILTERED(Leapfrog.of(), MultistepBackprop.Mode.FILTERED),
        /** Leapfrog, correction B. */
        LEAPFROG_CONSISTENT(Leapfrog.of(), MultistepBackprop.Mode.CONSISTENT_ADJOINT),
        /** AB2 with an Euler starter, exact backprop. */
        AB2_PLAIN(AdamsBashforth.of(2, Starter.EULER), MultistepBackprop.Mode.EXACT);

        private final MultistepBackprop backprop;

        Variant(LinearMultistep method, MultistepBackprop.Mode mode) {
            this.backprop = new MultistepBackprop(method, mode);
        }

        /** The backprop (with or without correction) this variant runs. */
        public MultistepBackprop backprop() {
            return backprop;
        }
    }

    /** One row of the E1 table: interior max errors of G_n/h, indexed by {@link Variant#ordinal()}. */
    public record E1Row(int steps, double[] errors) {
        /** The error of variant {@code v} at this step count. */
        public double error(Variant v) {
            return errors[v.ordinal()];
        }
    }

    /** The outcome of E2 training: final loss, roughness of the learned biases, and the biases (N × 2, step-major). */
    public record TrainResult(int steps, Variant variant, double finalLoss, double roughness, double[] biases) {}

    private final double[] refTimes;
    private final double[] refGradient;
    private final double[] refInitialAdjoint = new double[D];

    /** Computes the reference gradient on {@code referenceSteps} fine RK4 steps (the published figures use 20,000). */
    public LeapfrogExperiment(int referenceSteps) {
        if (referenceSteps < 10) throw new IllegalArgumentException("referenceSteps must be >= 10, got " + referenceSteps);
        this.refTimes = new double[referenceSteps + 1];
        this.refGradient = new double[(referenceSteps + 1) * D];
        computeReference(referenceSteps);
    }

    /** The bias path b(t) = 0.5·(sin 2πt, cos πt) written into {@code out[off, off+2)}. */
    public static void biasPath(double t, double[] out, int off) {
        out[off] = 0.5 * Math.sin(2.0 * Math.PI * t);
        out[off + 1] = 0.5 * Math.cos(Math.PI * t);
    }

    /** The reference functional gradient δL/δb(t), linearly interpolated on the fine grid, into {@code out[off, off+2)}. */
    public void reference(double t, double[] out, int off) {
        int m = refTimes.length - 1;
        double x = t / T * m;
        int i = Math.max(0, Math.min(m - 1, (int) Math.floor(x)));
        double w = x - i;
        for (int c = 0; c < D; c++) out[off + c] = (1 - w) * refGradient[i * D + c] + w * refGradient[(i + 1) * D + c];
    }

    /** ∫_0^T δL/δb(t) dt by the trapezoid rule on the fine grid: the gradient of a bias shared by all steps. */
    public double[] sharedBiasGradient() {
        int m = refTimes.length - 1;
        double h = T / m;
        double[] s = new double[D];
        for (int i = 0; i <= m; i++) {
            double w = (i == 0 || i == m) ? 0.5 * h : h;
            for (int c = 0; c < D; c++) s[c] += w * refGradient[i * D + c];
        }
        return s;
    }

    /** The continuous adjoint a(0) = ∂L/∂z0 of the reference. */
    public double[] referenceInitialAdjoint() {
        return refInitialAdjoint.clone();
    }

    /** A per-step field over N steps with biases b_n = b(t_n). */
    public static PerStepParameters fieldOnPath(int steps) {
        PerStepParameters f = PerStepParameters.replicate(new AffineTanhField(W, new double[D]), steps);
        double h = T / steps;
        for (int n = 0; n < steps; n++) biasPath(n * h, f.parameters(), n * D);
        return f;
    }

    /**
     * The per-step gradients G_n (N × 2, step-major, not divided by h) of {@code field} with the given variant;
     * returns the loss.
     */
    public static double gradient(PerStepParameters field, Variant variant, double[] gOut) {
        return gradient(field, variant, gOut, new double[D]);
    }

    /** As {@link #gradient(PerStepParameters, Variant, double[])}, also writing ∂L/∂z0 into {@code z0Bar}. */
    public static double gradient(PerStepParameters field, Variant variant, double[] gOut, double[] z0Bar) {
        int steps = field.steps();
        double h = T / steps;
        MultistepBackprop bp = variant.backprop();
        LinearMultistep method = bp.method();
        double[][] states = new double[steps + 1][D];
        MultistepSolver.integrate(method, field, 0.0, h, steps, Z0, 1, states, new MultistepWorkspace(method, field, 1));
        double[] g = new double[D];
        double loss = 0.0;
        for (int c = 0; c < D; c++) {
            g[c] = states[steps][c] - TARGET[c];
            loss += 0.5 * g[c] * g[c];
        }
        bp.gradient(field, 0.0, h, steps, 1, states, g, z0Bar, gOut, bp.newWorkspace(field, 1));
        return loss;
    }

    /** E1: the max over steps 3 … N−4 and both components of |G_n/h − δL/δb(t_n)|, for each variant. */
    public E1Row e1(int steps) {
        if (steps < 8) throw new IllegalArgumentException("steps must be >= 8, got " + steps);
        double h = T / steps;
        double[] errors = new double[Variant.values().length];
        double[] ref = new double[D];
        double[] g = new double[steps * D];
        for (Variant v : Variant.values()) {
            gradient(fieldOnPath(steps), v, g);
            double e = 0.0;
            for (int n = 3; n <= steps - 4; n++) {
                reference(n * h, ref, 0);
                for (int c = 0; c < D; c++) e = Math.max(e, Math.abs(g[n * D + c] / h - ref[c]));
            }
            errors[v.ordinal()] = e;
        }
        return new E1Row(steps, errors);
    }

    /**
     * E2: {@code iterations} steps of gradient descent {@code b_n −= lr·G_n/h} from b = 0 with the variant's gradient.
     * Roughness is the max of |b_{n+1} − 2b_n + b_{n−1}| over centres n = 6 … N−7, both components.
     */
    public static TrainResult train(int steps, Variant variant, int iterations, double lr) {
        if (steps < 16) throw new IllegalArgumentException("steps must be >= 16, got " + steps);
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        if (!(lr > 0.0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be positive, got " + lr);
        PerStepParameters field = PerStepParameters.replicate(new AffineTanhField(W, new double[D]), steps);
        double h = T / steps;
        MultistepBackprop bp = variant.backprop();
        LinearMultistep method = bp.method();
        MultistepWorkspace fws = new MultistepWorkspace(method, field, 1);
        MultistepBackprop.Workspace bws = bp.newWorkspace(field, 1);
        double[][] states = new double[steps + 1][D];
        double[] g = new double[D];
        double[] y0Bar = new double[D];
        double[] grad = new double[steps * D];
        double[] b = field.parameters();
        double loss = Double.NaN;
        for (int it = 0; it <= iterations; it++) {
            MultistepSolver.integrate(method, field, 0.0, h, steps, Z0, 1, states, fws);
            loss = 0.0;
            for (int c = 0; c < D; c++) {
                g[c] = states[steps][c] - TARGET[c];
                loss += 0.5 * g[c] * g[c];
            }
            if (it == iterations) break;
            bp.gradient(field, 0.0, h, steps, 1, states, g, y0Bar, grad, bws);
            for (int i = 0; i < b.length; i++) b[i] -= lr * grad[i] / h;
        }
        double rough = 0.0;
        for (int n = 6; n <= steps - 7; n++) {
            for (int c = 0; c < D; c++) {
                rough = Math.max(rough, Math.abs(b[(n + 1) * D + c] - 2.0 * b[n * D + c] + b[(n - 1) * D + c]));
            }
        }
        return new TrainResult(steps, variant, loss, rough, b.clone());
    }

    /**
     * RK4 forward with b(t), then the RK4 continuous adjoint da/dt = −J(z, b(t))ᵀa backwards, both by
     * {@link Solver#solve} with {@link RungeKutta#rk4()} on m equal steps; G = (∂f/∂b)ᵀa on the grid. The adjoint's
     * stages read z at the grid points and, at half steps, the mean of the two neighbours.
     */
    private void computeReference(int m) {
        AffineTanhField f = new AffineTanhField(W, new double[D]);
        SolveOptions grid = SolveOptions.builder().steps(m).saveAt(SaveAt.steps()).build();
        Solution forward = Solver.solve(new OnBiasPath(f), Z0, 1, 0.0, T, RungeKutta.rk4(), grid);
        double[] z = forward.states();
        double[] a1 = new double[D];
        for (int c = 0; c < D; c++) a1[c] = z[m * D + c] - TARGET[c];
        Solution adjoint = Solver.solve(new AdjointOnGrid(f, z, m), a1, 1, T, 0.0, RungeKutta.rk4(), grid);
        FieldWorkspace ws = f.newWorkspace(1);
        double[] zn = new double[D], a = new double[D], yBar = new double[D], kb = new double[D];
        double h = T / m;
        for (int n = m; n >= 0; n--) {
            double t = n * h;
            refTimes[n] = t;
            System.arraycopy(z, n * D, zn, 0, D);
            adjoint.state(m - n, a);
            biasPath(t, f.parameters(), 0);
            java.util.Arrays.fill(kb, 0.0);
            f.vjp(t, zn, a, yBar, kb, null, 1, false, ws);
            System.arraycopy(kb, 0, refGradient, n * D, D);
        }
        adjoint.state(m, refInitialAdjoint);
    }

    /** f(t, z; b(t)): the field with its bias on the path. */
    private record OnBiasPath(AffineTanhField f) implements VectorField {
        @Override
        public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            biasPath(t, f.parameters(), 0);
            f.evaluate(t, y, dyOut, rows, ws);
        }

        @Override
        public int dim() {
            return D;
        }

        @Override
        public FieldWorkspace newWorkspace(int maxRows) {
            return f.newWorkspace(maxRows);
        }
    }

    /** −J(z(t), b(t))ᵀa with z from the forward grid of m steps: z_n at t_n, (z_n + z_{n+1})/2 between. */
    private record AdjointOnGrid(AffineTanhField f, double[] z, int m) implements VectorField {
        @Override
        public void evaluate(double t, double[] a, double[] out, int rows, FieldWorkspace ws) {
            long half = Math.round(2.0 * t / T * m);
            int lo = (int) (half / 2), hi = (int) ((half + 1) / 2);
            double[] zt = ((Scratch) ws).z;
            for (int c = 0; c < D; c++) zt[c] = lo == hi ? z[lo * D + c] : 0.5 * (z[hi * D + c] + z[lo * D + c]);
            biasPath(t, f.parameters(), 0);
            f.vjp(t, zt, a, out, null, null, 1, false, ((Scratch) ws).inner);
            for (int c = 0; c < D; c++) out[c] = -out[c];
        }

        @Override
        public int dim() {
            return D;
        }

        @Override
        public FieldWorkspace newWorkspace(int maxRows) {
            return new Scratch(f.newWorkspace(maxRows), new double[D]);
        }
    }

    private record Scratch(FieldWorkspace inner, double[] z) implements FieldWorkspace {}
}
