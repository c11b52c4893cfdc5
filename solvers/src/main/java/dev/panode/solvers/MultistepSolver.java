package dev.panode.solvers;

import dev.panode.simd.VectorApi;

/**
 * Fixed-step integration with a {@link LinearMultistep} method into caller-owned buffers: the starter takes steps
 * 0 … k−2, then every step costs one evaluation of f and one stage combination (the simd-core
 * {@code StageKernels.combine} kernel). The same stepping runs under {@link Solver#solve}; this entry point is the
 * allocation-free one that training loops use, writing the trajectory straight into the arrays backprop reads.
 *
 * <p>Step n goes from t_n = t0 + n·h to t_{n+1} and evaluates f_n (the step's own right-hand side, see
 * {@link StepwiseField}); all the starter's stages on step n use f_n too. The whole trajectory z_0 … z_N is written,
 * because backprop through the recursion ({@code MultistepBackprop} in the adjoint module) reads it. Nothing is
 * allocated after the workspace is built.
 */
public final class MultistepSolver {
    private static final double[] NO_STOPS = new double[0];

    private MultistepSolver() {}

    /**
     * Integrates N = {@code steps} steps of size {@code h} from (t0, y0) and writes z_n into {@code states[n]}.
     *
     * @param states N+1 arrays of at least {@code rows·dim} each; {@code states[0]} receives a copy of {@code y0}
     * @return the number of field evaluations (over the whole batch)
     */
    public static int integrate(LinearMultistep method, StepwiseField field, double t0, double h, int steps,
                                double[] y0, int rows, double[][] states, MultistepWorkspace ws) {
        VectorApi.require();
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
                throw new IllegalArgumentException("states[" + m + "] must hold rows*dim = " + n + " values, got "
                        + (states[m] == null ? "null" : states[m].length));
            }
        }
        for (int j = 0; j < n; j++) {
            if (!Double.isFinite(y0[j])) throw new IllegalArgumentException("y0[" + j + "] must be finite, got " + y0[j]);
        }
        System.arraycopy(y0, 0, states[0], 0, n);
        return run(t0, h, steps, rows, states, ws);
    }

    private static void checkArguments(LinearMultistep method, StepwiseField field, double t0, double h, int steps,
                                      int rows, MultistepWorkspace ws) {
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (ws == null) throw new IllegalArgumentException("ws must be non-null");
        if (!Double.isFinite(t0)) throw new IllegalArgumentException("t0 must be finite, got " + t0);
        if (!Double.isFinite(h) || h == 0.0) throw new IllegalArgumentException("h must be finite and non-zero, got " + h);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (steps > field.steps()) {
            throw new IllegalArgumentException("steps must be <= the field's steps() = " + field.steps() + ", got "
                    + steps);
        }
        if (rows < 1 || rows > ws.maxRows) {
            throw new IllegalArgumentException("rows must be in 1.." + ws.maxRows + ", got " + rows);
        }
        if (!ws.method.equals(method) || ws.field != field) {
            throw new IllegalArgumentException("ws must be built for " + method + " and this field, got a workspace of "
                    + ws.method + (ws.field != field ? " and another field" : ""));
        }
    }

    /**
     * The steps on the uniform grid of {@link StepControl} (t_m = t0 + m·h, landing exactly on t0 + N·h), each
     * attempted with exactly h. The states are not judged: they are written as computed (a training loop reads them).
     */
    private static int run(double t0, double h, int steps, int rows, double[][] states, MultistepWorkspace ws) {
        MultistepStepper st = ws.stepper;
        StepControl control = ws.control;
        int nfe = st.start(t0, states[0], rows);
        control.start(t0, t0 + steps * h, Math.abs(h), NO_STOPS);
        for (int m = 0; control.running() && control.propose(); m++) {
            nfe += st.attempt(control.t(), h, control.tNew(), states[m], states[m + 1], null);
            control.decide(0.0);
            st.accept();
        }
        return nfe;
    }
}
