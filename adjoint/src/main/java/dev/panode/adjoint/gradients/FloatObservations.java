package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableFloatField;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.SolveOptions;
import java.util.Arrays;

/**
 * What the float32 gradient sessions ({@link BackpropF32}, {@link BacksolveF32}, {@link InterpolatingF32}) share:
 * their argument checks, the options saving at the grid of the current call, the forward solve's saved float states
 * and the loss, evaluated in double on the widened states. Reallocates only when the grid changes.
 */
final class FloatObservations {
    private final SolveOptions options;
    private final int rows, dim, n, p;
    /** The grid of the last call, the options saving on it, the saved states (grid × rows × dim). */
    double[] times = new double[0];
    SolveOptions onGrid;
    float[] saved = new float[0];
    /** The widened saved states and the loss's gradients ∂L/∂y(t_i). */
    double[][] states = new double[0][], grads = new double[0][];

    FloatObservations(SolveOptions options, int rows, int dim, int p) {
        this.options = options;
        this.rows = rows;
        this.dim = dim;
        this.n = Math.multiplyExact(rows, dim);
        this.p = p;
    }

    /** The checks every float gradient session makes when it is made; the message names the argument and value. */
    static void checkSession(DifferentiableFloatField field, int rows, SolveOptions options) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (options == null) throw new IllegalArgumentException("options must be non-null");
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        if (field.dim() < 1) throw new IllegalArgumentException("field.dim() must be >= 1, got " + field.dim());
        if (options.hasExplicitSaveAt()) {
            throw new IllegalArgumentException("options.saveAt must be left unset: the gradient saves at its grid, got "
                    + options.saveAt());
        }
        if (!options.throwOnFailure()) {
            throw new IllegalArgumentException("options.throwOnFailure must be true for a gradient, got false");
        }
    }

    /**
     * Checks one call's arguments and makes the grid current.
     *
     * @param increasing whether the grid must increase (the adjoints)
     */
    void begin(float[] y0, double[] grid, Loss loss, float[] dLdy0, float[] dLdTheta, boolean increasing) {
        if (y0 == null || y0.length != n)
            throw new IllegalArgumentException("y0 must have length rows × dim = " + n + ", got "
                    + (y0 == null ? null : y0.length));
        if (loss == null) throw new IllegalArgumentException("loss must be non-null");
        if (dLdy0 == null || dLdy0.length < n)
            throw new IllegalArgumentException("dLdy0 must have length >= " + n + ", got "
                    + (dLdy0 == null ? null : dLdy0.length));
        if (dLdTheta == null || dLdTheta.length < p)
            throw new IllegalArgumentException("dLdTheta must have length >= " + p + ", got "
                    + (dLdTheta == null ? null : dLdTheta.length));
        if (grid == null || grid.length < 2 || (increasing && !(grid[grid.length - 1] > grid[0])))
            throw new IllegalArgumentException("times must hold " + (increasing ? "increasing " : "") + "t0 .. t1, got "
                    + (grid == null ? null : Arrays.toString(grid)));
        if (!Arrays.equals(grid, times)) {
            onGrid = options.toBuilder().saveAt(SaveAt.times(grid)).build();
            times = grid.clone();
            saved = new float[grid.length * n];
            states = new double[grid.length][n];
            grads = new double[grid.length][n];
        }
    }

    /** L of the saved states, with its gradients in {@link #grads}; throws on a non-finite loss or gradient. */
    double loss(Loss loss) {
        for (int i = 0; i < times.length; i++) for (int j = 0; j < n; j++) states[i][j] = saved[i * n + j];
        double l = loss.evaluate(times, states, rows, dim, grads);
        NonFiniteLossException.check(loss, l, times, grads, n);
        return l;
    }

    /** Copies of the saved states, one per grid time. */
    float[][] savedStates() {
        float[][] out = new float[times.length][];
        for (int i = 0; i < times.length; i++) out[i] = Arrays.copyOfRange(saved, i * n, (i + 1) * n);
        return out;
    }
}
