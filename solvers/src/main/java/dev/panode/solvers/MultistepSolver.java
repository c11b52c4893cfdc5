package dev.panode.solvers;

import dev.panode.simd.StageKernels;

/**
 * Fixed-step integration with a {@link LinearMultistep} method: the starter takes steps 0 … k−2, then every step
 * costs one evaluation of f and one stage combination (the simd-core {@link StageKernels#combine} kernel).
 *
 * <p>Step n goes from t_n = t0 + n·h to t_{n+1} and evaluates f_n (the step's own right-hand side, see
 * {@link StepwiseField}); all the starter's stages on step n use f_n too. The whole trajectory z_0 … z_N is written,
 * because backprop through the recursion ({@code MultistepBackprop} in the adjoint module) reads it. Nothing is
 * allocated after the workspace is built.
 */
public final class MultistepSolver {
    private MultistepSolver() {}

    /**
     * Integrates N = {@code steps} steps of size {@code h} from (t0, y0) and writes z_n into {@code states[n]}.
     *
     * @param states N+1 arrays of at least {@code rows·dim} each; {@code states[0]} receives a copy of {@code y0}
     * @return the number of field evaluations (over the whole batch)
     */
    public static int integrate(LinearMultistep method, StepwiseField field, double t0, double h, int steps,
                                double[] y0, int rows, double[][] states, MultistepWorkspace ws) {
        checkArguments(method, field, t0, h, steps, rows, ws);
        int n = rows * ws.dim;
        if (y0 == null || y0.length < n) {
            throw new IllegalArgumentException("y0 must hold rows*dim = " + n + " values, got "
                    + (y0 == null ? "null" : y0.length));
        }
        if (states == null || states.length < steps + 1) {
            throw new IllegalArgumentException("states must hold steps+1 = " + (steps + 1) + " arrays, got "
                    + (states == null ? "null" : states.length));
        }
        for (int m = 0; m <= steps; m++) {
            if (states[m] == null || states[m].length < n) {
                throw new IllegalArgumentException("states[" + m + "] must hold rows*dim = " + n + " values");
            }
        }
        for (int j = 0; j < n; j++) {
            if (!Double.isFinite(y0[j])) throw new IllegalArgumentException("y0[" + j + "] is not finite: " + y0[j]);
        }
        System.arraycopy(y0, 0, states[0], 0, n);
        return run(method, field, t0, h, steps, rows, states, ws);
    }

    /** Validates what {@link #integrate} and its reverse pass share; public for the adjoint module's checks. */
    public static void checkArguments(LinearMultistep method, StepwiseField field, double t0, double h, int steps,
                                      int rows, MultistepWorkspace ws) {
        if (method == null) throw new IllegalArgumentException("method must not be null");
        if (field == null) throw new IllegalArgumentException("field must not be null");
        if (ws == null) throw new IllegalArgumentException("ws must not be null");
        if (!Double.isFinite(t0)) throw new IllegalArgumentException("t0 must be finite, got " + t0);
        if (!Double.isFinite(h) || h == 0.0) throw new IllegalArgumentException("h must be finite and non-zero, got " + h);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (steps > field.steps()) {
            throw new IllegalArgumentException("steps = " + steps + " exceeds the field's " + field.steps() + " steps");
        }
        if (rows < 1 || rows > ws.maxRows) {
            throw new IllegalArgumentException("rows must be in 1.." + ws.maxRows + ", got " + rows);
        }
        if (ws.method.steps() != method.steps() || ws.method.starter() != method.starter()) {
            throw new IllegalArgumentException("ws was built for " + ws.method + ", not " + method);
        }
        if (ws.dim != field.dim()) {
            throw new IllegalArgumentException("ws was built for dim " + ws.dim + ", field has dim " + field.dim());
        }
    }

    private static int run(LinearMultistep method, StepwiseField field, double t0, double h, int steps, int rows,
                           double[][] states, MultistepWorkspace ws) {
        int n = rows * ws.dim;
        int k = method.steps();
        int nfe = 0;
        int starterSteps = Math.min(k - 1, steps);
        for (int m = 0; m < starterSteps; m++) {
            nfe += starterStep(method.starter(), field, m, t0 + m * h, h, states[m], states[m + 1], rows, n, ws);
            System.arraycopy(ws.stages[0], 0, ws.history[m % k], 0, n);
        }
        int anchor = method.anchor();
        double[] alpha = method.alphaArray();
        double[] beta = method.betaArray();
        for (int m = k - 1; m < steps; m++) {
            double[] fm = ws.history[m % k];
            field.evaluateAtStep(m, t0 + m * h, states[m], fm, rows, ws.fieldWorkspace);
            nfe++;
            for (int j = 0; j < k; j++) ws.ordered[j] = ws.history[(m - j) % k];
            double[] next = states[m + 1];
            double[] base;
            if (anchor >= 0) {
                base = states[m - anchor];
            } else {
                for (int i = 0; i < n; i++) {
                    double acc = 0.0;
                    for (int j = 0; j < k; j++) acc += alpha[j] * states[m - j][i];
                    next[i] = acc;
                }
                base = next;
            }
            StageKernels.combine(base, 0, h, beta, k, ws.ordered, 0, next, 0, n);
        }
        return nfe;
    }

    /** One explicit Runge–Kutta step of {@code starter} on step m; leaves the stages in {@code ws.stages}. */
    static int starterStep(Starter starter, StepwiseField field, int m, double t, double h, double[] z,
                           double[] out, int rows, int n, MultistepWorkspace ws) {
        int s = starter.stages();
        field.evaluateAtStep(m, t, z, ws.stages[0], rows, ws.fieldWorkspace);
        for (int i = 1; i < s; i++) {
            StageKernels.combine(z, 0, h, starter.row(i), i, ws.stages, 0, ws.stageInput, 0, n);
            field.evaluateAtStep(m, t + starter.c(i) * h, ws.stageInput, ws.stages[i], rows, ws.fieldWorkspace);
        }
        StageKernels.combine(z, 0, h, starter.weights(), s, ws.stages, 0, out, 0, n);
        return s;
    }
}
