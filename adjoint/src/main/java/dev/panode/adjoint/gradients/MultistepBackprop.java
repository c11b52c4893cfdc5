package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.PerStepField;
import dev.panode.simd.StageKernels;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.LinearMultistep;
import dev.panode.solvers.Solution;
import dev.panode.solvers.Starter;
import java.util.Arrays;

/**
 * Backprop through a fixed-step {@link LinearMultistep} recursion with per-step parameters ({@link PerStepField}):
 * given the trajectory z_0 … z_N of {@link dev.panode.solvers.MultistepSolver#integrate} and g = ∂L/∂z_N, it returns
 * ∂L/∂z_0 and one gradient block G_n per step. Cost: one VJP per multistep step, s VJPs plus s−1 re-evaluations per
 * starter step, one more VJP for {@link Mode#CONSISTENT_ADJOINT}; memory O(k) states beyond the trajectory; nothing
 * allocated after the workspace is built.
 *
 * <p>The recursion (docs/ALGORITHMS.md §7 and §10): with z_{n+1} = Σ α_j z_{n−j} + h Σ β_j F_{n−j}, F_m = f_m(z_m), the sweep
 * runs n = N−1 … k−1 with z̄_{n−j} += α_j z̄_{n+1}, F̄_{n−j} += h β_j z̄_{n+1}, then z̄_n += J_nᵀ F̄_n and
 * G_n = K_nᵀ F̄_n; the starter steps are reversed as explicit Runge–Kutta steps (§7), the multistep history's use of
 * F_m entering as extra cotangent of their first stage.
 *
 * <p>Which mode: leapfrog with per-step parameters needs {@link Mode#FILTERED} or {@link Mode#CONSISTENT_ADJOINT}
 * for per-step updates; Adams–Bashforth needs none (only its end layers differ from the pointwise gradient); a
 * shared parameter (the sum over steps) is right to O(h²) in every mode. Reference for the phenomenon: Xu, Chen &amp;
 * Li, "Correcting auto-differentiation in neural-ODE training", arXiv:2306.02192; the formulas here are our own.
 *
 * <p>Two ways in: {@link Gradients#compute} (or {@link Gradients#of}) with this as the gradient method, this
 * method's {@link #method()} as the forward method and a {@link dev.panode.solvers.ConstantStep} controller, for a
 * field whose parameters are shared by every step (the per-step gradients are summed); or {@link #gradient} directly,
 * for per-step parameters ({@link PerStepField}) and a reusable {@link Workspace}.
 */
public final class MultistepBackprop implements GradientMethod {

    /** What the backward pass returns. */
    public enum Mode {
        /**
         * The exact gradient of the discrete loss (to rounding), for every method, starter and field: ∂L/∂z_0 and
         * ∂L/∂θ_n. For leapfrog the per-step values G_n/h are an O(1) even/odd sawtooth around the continuous
         * functional gradient (docs/ALGORITHMS.md §10), so per-step updates learn a sawtooth; sums over steps are fine.
         */
        EXACT,
        /**
         * Correction A, leapfrog only: the exact gradients, then a [1, 2, 1]/4 filter across steps,
         * Gc_n = (G_{n−1} + 2G_n + G_{n+1})/4, with the sequence mirrored at the ends (G_{−1} = G_0, G_N = G_{N−1}).
         * Exact for: ∂L/∂z_0, and the sum over steps (a shared θ), which the mirrored filter conserves to rounding.
         * Per step it is no discrete gradient, but Gc_n/h approximates the functional gradient (∂f/∂θ)ᵀa(t_n) to
         * O(h²) away from the ends. (Averaging two layers at each end instead gives the same interior, but makes the
         * sum wrong at O(h); mirroring keeps it exact.)
         */
        FILTERED,
        /**
         * Correction B, leapfrog only: the consistent discrete adjoint. The backward recursion starts from
         * p_{N+1} = g, p_N = g + h J(z_N)ᵀg (one extra VJP, J evaluated at θ extrapolated linearly to t_N), and
         * weights Gc_n = h K_nᵀp_{n+1} (half of the leapfrog weight 2h), with the trapezoidal end weights ½ on step 0
         * and 3⁄2 on step N−1 so that the sum over steps is a second-order quadrature. Both branches of the recursion
         * now carry the whole adjoint, so ∂L/∂z_0 is halved likewise. Exact for no discrete
         * quantity: it is not the gradient of the discrete loss. It is a second-order-consistent discretisation of
         * the continuous adjoint: Gc_n/h = (∂f/∂θ)ᵀa(t_n) + O(h²) in the interior; ∂L/∂z_0 and the sum over steps
         * are right to O(h²).
         */
        CONSISTENT_ADJOINT
    }

    private final LinearMultistep method;
    private final Mode mode;

    /**
     * Backprop through {@code method} with the gradient correction {@code mode}.
     *
     * @throws IllegalArgumentException when a leapfrog correction is asked of a method that is not leapfrog
     */
    public MultistepBackprop(LinearMultistep method, Mode mode) {
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (mode == null) throw new IllegalArgumentException("mode must be non-null");
        if (mode != Mode.EXACT && method.family() != LinearMultistep.Family.LEAPFROG) {
            throw new IllegalArgumentException("mode " + mode + " corrects leapfrog's parasitic mode; method "
                    + method.name() + " has none: use EXACT");
        }
        this.method = method;
        this.mode = mode;
    }

    /** The multistep method differentiated. */
    public LinearMultistep method() {
        return method;
    }

    /** The gradient correction applied. */
    public Mode mode() {
        return mode;
    }

    /** Scratch for one field and up to {@code maxRows} rows; one per thread. */
    public Workspace newWorkspace(PerStepField field, int maxRows) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        return new Workspace(method, field, maxRows);
    }

    /**
     * The backward pass.
     *
     * @param states  z_0 … z_N from the forward pass with the same method, field, t0, h and steps
     * @param dLdzN   g = ∂L/∂z_N, {@code rows·dim} values
     * @param y0Bar   receives ∂L/∂z_0 ({@code rows·dim}), overwritten
     * @param thetaBar receives G_0 … G_{N−1} ({@code steps·P}, layout of {@link PerStepField#parameters()}), overwritten
     */
    public void gradient(PerStepField field, double t0, double h, int steps, int rows, double[][] states,
                         double[] dLdzN, double[] y0Bar, double[] thetaBar, Workspace ws) {
        check(field, t0, h, steps, rows, states, dLdzN, y0Bar, thetaBar, ws);
        ws.states = states;
        ws.solution = null;
        run(field, t0, h, steps, rows, dLdzN, y0Bar, thetaBar, ws);
    }

    /**
     * The backward pass from the output of {@link dev.panode.solvers.Solver#solve} with this method, a
     * {@link dev.panode.solvers.ConstantStep} controller and {@link dev.panode.solvers.SaveAt#steps()}: the solution
     * holds z_0 … z_N, from which t0, h and N are read. Otherwise as
     * {@link #gradient(PerStepField, double, double, int, int, double[][], double[], double[], double[], Workspace)}.
     *
     * @throws IllegalArgumentException when the solution did not succeed, is not uniformly spaced, or its shape does
     *                                  not match the field
     */
    public void gradient(PerStepField field, Solution forward, double[] dLdzN, double[] y0Bar, double[] thetaBar,
                         Workspace ws) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (forward == null) throw new IllegalArgumentException("forward must be non-null");
        if (!forward.isSuccess()) {
            throw new IllegalArgumentException("forward must be a successful solve, got " + forward.result());
        }
        int steps = forward.size() - 1;
        if (steps < 1) {
            throw new IllegalArgumentException("forward must hold every step (SaveAt.steps()), got " + forward.size()
                    + " saved states");
        }
        if (forward.dim() != field.dim()) {
            throw new IllegalArgumentException("forward has dim " + forward.dim() + ", the field has dim "
                    + field.dim());
        }
        double t0 = forward.time(0);
        double h = (forward.time(steps) - t0) / steps;
        for (int m = 1; m <= steps; m++) {
            double expected = t0 + m * h;
            if (Math.abs(forward.time(m) - expected) > 1e-9 * Math.abs(h)) {
                throw new IllegalArgumentException("forward must be saved at every uniform step (SaveAt.steps() with "
                        + "ConstantStep), but time(" + m + ") = " + forward.time(m) + " instead of " + expected);
            }
        }
        int rows = forward.rows();
        checkScalars(field, t0, h, steps, rows, ws);
        int n = rows * field.dim();
        checkLength("dLdzN", dLdzN, n);
        checkLength("y0Bar", y0Bar, n);
        checkLength("thetaBar", thetaBar, steps * field.parametersPerStep());
        checkFinite(dLdzN, n);
        ws.states = null;
        ws.solution = forward;
        run(field, t0, h, steps, rows, dLdzN, y0Bar, thetaBar, ws);
        ws.solution = null;
    }

    /** z_m from whichever forward record the workspace points at. */
    private static double[] state(Workspace ws, int m) {
        if (ws.states != null) return ws.states[m];
        ws.solution.state(m, ws.stateBuffer);
        return ws.stateBuffer;
    }

    private void run(PerStepField field, double t0, double h, int steps, int rows, double[] dLdzN, double[] y0Bar,
                     double[] thetaBar, Workspace ws) {
        int dim = field.dim();
        int n = rows * dim;
        int p = field.parametersPerStep();
        int k = method.steps();
        double[][] zBar = ws.zBar;
        double[][] fBar = ws.fBar;
        for (double[] a : zBar) Arrays.fill(a, 0, n, 0.0);
        for (double[] a : fBar) Arrays.fill(a, 0, n, 0.0);
        Arrays.fill(thetaBar, 0, steps * p, 0.0);
        double[] theta = field.parameters();
        FieldWorkspace fws = ws.fieldWorkspace;

        System.arraycopy(dLdzN, 0, zBar[steps % (k + 1)], 0, n);
        if (mode == Mode.CONSISTENT_ADJOINT) {
            consistentTerminal(field, t0 + steps * h, h, steps, rows, state(ws, steps), dLdzN, ws);
        }

        for (int m = steps - 1; m >= k - 1; m--) {
            double[] next = zBar[(m + 1) % (k + 1)];
            int fresh = m - k + 1;
            Arrays.fill(zBar[fresh % (k + 1)], 0, n, 0.0);
            Arrays.fill(fBar[fresh % k], 0, n, 0.0);
            for (int j = 0; j < k; j++) {
                double a = method.alpha(j);
                double b = h * method.beta(j);
                double[] zb = zBar[(m - j) % (k + 1)];
                double[] fb = fBar[(m - j) % k];
                if (a != 0.0) axpy(a, next, zb, n, ws);
                if (b != 0.0) axpy(b, next, fb, n, ws);
            }
            field.vjpUnchecked(theta, m * p, t0 + m * h, state(ws, m), fBar[m % k], ws.yBar, thetaBar, m * p, rows,
                    fws);
            axpy(1.0, ws.yBar, zBar[m % (k + 1)], n, ws);
        }
        for (int m = Math.min(k - 2, steps - 1); m >= 0; m--) {
            reverseStarterStep(field, m, t0 + m * h, h, rows, state(ws, m), zBar[(m + 1) % (k + 1)],
                    zBar[m % (k + 1)], fBar[m % k], thetaBar, ws);
        }
        System.arraycopy(zBar[0], 0, y0Bar, 0, n);

        if (mode == Mode.FILTERED) {
            filter(thetaBar, steps, p, ws);
        } else if (mode == Mode.CONSISTENT_ADJOINT) {
            for (int i = 0; i < n; i++) y0Bar[i] *= 0.5;
            for (int i = 0; i < steps * p; i++) thetaBar[i] *= 0.5;
            int last = (steps - 1) * p;
            for (int i = 0; i < p; i++) thetaBar[last + i] *= steps == 1 ? 2.0 : 1.5;
        }
    }

    /** p_N = g + h J(z_N)ᵀg, p_{N+1} = g entering z̄_{N−1} as leapfrog's step N would. */
    private void consistentTerminal(PerStepField field, double tN, double h, int steps, int rows, double[] zN,
                                    double[] g, Workspace ws) {
        int n = rows * field.dim();
        int p = field.parametersPerStep();
        double[] theta = field.parameters();
        int last = (steps - 1) * p;
        if (steps >= 2) {
            for (int i = 0; i < p; i++) ws.thetaEnd[i] = 2.0 * theta[last + i] - theta[last - p + i];
        } else {
            System.arraycopy(theta, last, ws.thetaEnd, 0, p);
        }
        field.vjpUnchecked(ws.thetaEnd, 0, tN, zN, g, ws.yBar, null, 0, rows, ws.fieldWorkspace);
        axpy(h, ws.yBar, ws.zBar[steps % 3], n, ws);
        axpy(1.0, g, ws.zBar[(steps - 1) % 3], n, ws);
    }

    /** Reverse of the starter's Runge–Kutta step m (docs/ALGORITHMS.md §7), F̄_m added to the first stage's cotangent. */
    private void reverseStarterStep(PerStepField field, int m, double t, double h, int rows, double[] z,
                                    double[] zBarNext, double[] zBarOut, double[] fBarM, double[] thetaBar,
                                    Workspace ws) {
        Starter st = method.starter();
        int s = st.stages();
        int n = rows * field.dim();
        int p = field.parametersPerStep();
        double[] theta = field.parameters();
        FieldWorkspace fws = ws.fieldWorkspace;
        System.arraycopy(z, 0, ws.stageInput[0], 0, n);
        for (int i = 0; i < s; i++) {
            if (i > 0) StageKernels.combine(z, 0, h, ws.starterRows[i], i, ws.stage, 0, ws.stageInput[i], 0, n);
            if (i < s - 1) {
                field.evaluateUnchecked(theta, m * p, t + st.c(i) * h, ws.stageInput[i], ws.stage[i], rows, fws);
            }
        }
        for (int i = 0; i < s; i++) {
            double w = h * st.b(i);
            for (int e = 0; e < n; e++) ws.stageBar[i][e] = w * zBarNext[e];
        }
        axpy(1.0, fBarM, ws.stageBar[0], n, ws);
        axpy(1.0, zBarNext, zBarOut, n, ws);
        for (int i = s - 1; i >= 0; i--) {
            field.vjpUnchecked(theta, m * p, t + st.c(i) * h, ws.stageInput[i], ws.stageBar[i], ws.yBar, thetaBar,
                    m * p, rows, fws);
            axpy(1.0, ws.yBar, zBarOut, n, ws);
            for (int j = 0; j < i; j++) {
                double a = h * st.a(i, j);
                if (a != 0.0) axpy(a, ws.yBar, ws.stageBar[j], n, ws);
            }
        }
    }

    private static final double[] ONE = {1.0};

    /** {@code y += a·x} through the simd-core stage kernel. */
    private static void axpy(double a, double[] x, double[] y, int n, Workspace ws) {
        ws.single[0] = x;
        StageKernels.combine(y, 0, a, ONE, 1, ws.single, 0, y, 0, n);
    }

    /** In-place mirrored [1, 2, 1]/4 filter across the N blocks of P values. */
    private static void filter(double[] g, int steps, int p, Workspace ws) {
        double[] prev = ws.filterPrev;
        double[] cur = ws.filterCur;
        System.arraycopy(g, 0, cur, 0, p);
        System.arraycopy(g, 0, prev, 0, p);
        for (int m = 0; m < steps; m++) {
            int off = m * p;
            boolean hasNext = m + 1 < steps;
            for (int i = 0; i < p; i++) {
                double c = cur[i];
                double nx = hasNext ? g[off + p + i] : c;
                g[off + i] = 0.25 * (prev[i] + 2.0 * c + nx);
                prev[i] = c;
                cur[i] = nx;
            }
        }
    }

    private void check(PerStepField field, double t0, double h, int steps, int rows, double[][] states,
                       double[] dLdzN, double[] y0Bar, double[] thetaBar, Workspace ws) {
        checkScalars(field, t0, h, steps, rows, ws);
        int n = rows * field.dim();
        if (states == null || states.length < steps + 1) {
            throw new IllegalArgumentException("states must hold steps+1 = " + (steps + 1) + " arrays, got "
                    + (states == null ? "null" : states.length));
        }
        for (int m = 0; m <= steps; m++) {
            if (states[m] == null || states[m].length < n) {
                throw new IllegalArgumentException("states[" + m + "] must hold rows*dim = " + n + " values");
            }
        }
        checkLength("dLdzN", dLdzN, n);
        checkLength("y0Bar", y0Bar, n);
        checkLength("thetaBar", thetaBar, steps * field.parametersPerStep());
        checkFinite(dLdzN, n);
    }

    private static void checkScalars(PerStepField field, double t0, double h, int steps, int rows, Workspace ws) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (ws == null) throw new IllegalArgumentException("ws must be non-null");
        if (ws.field != field) throw new IllegalArgumentException("ws was built for another field");
        if (!Double.isFinite(t0)) throw new IllegalArgumentException("t0 must be finite, got " + t0);
        if (!Double.isFinite(h) || h == 0.0) throw new IllegalArgumentException("h must be finite and non-zero, got " + h);
        if (steps < 1 || steps > field.steps()) {
            throw new IllegalArgumentException("steps must be in 1.." + field.steps() + ", got " + steps);
        }
        if (rows < 1 || rows > ws.maxRows) throw new IllegalArgumentException("rows must be in 1.." + ws.maxRows + ", got " + rows);
    }

    private static void checkFinite(double[] dLdzN, int n) {
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(dLdzN[i])) throw new IllegalArgumentException("dLdzN[" + i + "] is not finite: " + dLdzN[i]);
        }
    }

    private static void checkLength(String name, double[] a, int n) {
        if (a == null || a.length < n) {
            throw new IllegalArgumentException(name + " must hold " + n + " values, got " + (a == null ? "null" : a.length));
        }
    }

    /** Per-thread scratch of {@link MultistepBackprop}: k+1 state cotangents, k history cotangents, starter stages. */
    public static final class Workspace {
        final PerStepField field;
        final int maxRows;
        final double[][] zBar;
        final double[][] fBar;
        final double[][] stage;
        final double[][] stageInput;
        final double[][] stageBar;
        final double[] yBar;
        final double[] thetaEnd;
        final double[] filterPrev;
        final double[] filterCur;
        final double[][] starterRows;
        final double[][] single = new double[1][];
        final double[] stateBuffer;
        double[][] states;
        Solution solution;
        final FieldWorkspace fieldWorkspace;

        Workspace(LinearMultistep method, PerStepField field, int maxRows) {
            this.field = field;
            this.maxRows = maxRows;
            int n = Math.multiplyExact(maxRows, field.dim());
            int k = method.steps();
            int s = method.starter().stages();
            int p = field.parametersPerStep();
            zBar = new double[k + 1][n];
            fBar = new double[k][n];
            stage = new double[s][n];
            stageInput = new double[s][n];
            stageBar = new double[s][n];
            yBar = new double[n];
            stateBuffer = new double[n];
            thetaEnd = new double[p];
            filterPrev = new double[p];
            filterCur = new double[p];
            starterRows = new double[s][];
            for (int i = 0; i < s; i++) {
                starterRows[i] = new double[i];
                for (int j = 0; j < i; j++) starterRows[i][j] = method.starter().a(i, j);
            }
            fieldWorkspace = field.newWorkspace(maxRows);
        }
    }
}
