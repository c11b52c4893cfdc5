package dev.panode.solvers;

import java.util.Arrays;

/**
 * An initial-value problem dy/dt = f(t, y), y(t_0) = y_0, observed on a time grid t_0, t_1, …, t_N: what solving and
 * differentiating share (torchdiffeq's {@code odeint(func, y0, t)}, diffrax's {@code diffeqsolve} terms, y0 and
 * {@code SaveAt(ts=...)}). The method, the controller with its tolerances, the save policy and the gradient method
 * are separate values beside it.
 *
 * <pre>{@code
 * OdeProblem<Mlp> problem = OdeProblem.of(mlp, y0, 0.0, 0.5, 1.0);    // rows = y0.length / mlp.dim()
 * Solution sol = Solver.solve(problem);                               // dopri5, rtol 1e-7, atol 1e-9
 * GradientResult g = Gradients.of(problem, Loss.sumOfSquaresAtEnd()).compute();
 * }</pre>
 *
 * <p>One time convention for both: t_0 = {@code times[0]} is the initial time, the solve runs to t_N =
 * {@code times[N]} and the solution is saved at every grid time, t_0 included; a loss sees the states at the same
 * times. The grid is strictly increasing or strictly decreasing (a backward solve).
 *
 * <p>A batch of {@code rows} samples is one row-major array of {@code rows × dim}; {@link #of} infers the rows from
 * the field's dimension, {@link #batch} takes them for fields defined component-wise ({@code dim() == -1}).
 * Construction copies y0 and the grid (O(rows·dim + N)) and checks them once; the problem is then immutable and may
 * be shared between threads. For a serving loop that must not allocate, keep the problem and pass a
 * {@link SolverWorkspace} to {@link Solver#solve(OdeProblem, OdeMethod, SolveOptions, SolverWorkspace)}.
 *
 * @param <F> the kind of field; gradients need a differentiable one
 */
public final class OdeProblem<F extends VectorField> {
    private final F field;
    private final double[] y0;
    private final int rows;
    private final int dim;
    private final double[] times;

    private OdeProblem(F field, double[] y0, int rows, int dim, double[] times) {
        this.field = field;
        this.y0 = y0;
        this.rows = rows;
        this.dim = dim;
        this.times = times;
    }

    /**
     * The problem for a field that knows its dimension: {@code rows = y0.length / field.dim()}; a field of unknown
     * dimension ({@code dim() == -1}) is taken to have one sample of dimension {@code y0.length}.
     *
     * @throws IllegalArgumentException naming the argument and its value when it is null, non-finite, of the wrong
     *                                  length, or when the grid has fewer than two times or is not strictly monotone
     */
    public static <F extends VectorField> OdeProblem<F> of(F field, double[] y0, double... times) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (y0 == null) throw new IllegalArgumentException("y0 must be non-null");
        return batch(field, y0, rowsOf(field.dim(), y0.length), times);
    }

    /**
     * The problem for a batch of {@code rows} samples, for fields of any dimension.
     *
     * @throws IllegalArgumentException naming the argument and its value (see {@link #of})
     */
    public static <F extends VectorField> OdeProblem<F> batch(F field, double[] y0, int rows, double... times) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (y0 == null) throw new IllegalArgumentException("y0 must be non-null");
        if (times == null) throw new IllegalArgumentException("times must be non-null");
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        int dim = dimOf(field.dim(), y0.length, rows);
        for (int i = 0; i < y0.length; i++) {
            if (!Double.isFinite(y0[i])) throw new IllegalArgumentException("y0[" + i + "] must be finite, got " + y0[i]);
        }
        checkGrid(times);
        return new OdeProblem<>(field, y0.clone(), rows, dim, times.clone());
    }

    /**
     * The rows of a y0 of {@code length} values for a field of dimension {@code fieldDim} (one row when the field's
     * dimension is unknown); shared by the double and the float problem.
     *
     * @throws IllegalArgumentException when the length is not a positive multiple of a known dimension
     */
    static int rowsOf(int fieldDim, int length) {
        if (fieldDim > 0 && (length == 0 || length % fieldDim != 0)) {
            throw new IllegalArgumentException("y0 must have a length that is a positive multiple of the field's dim = "
                    + fieldDim + ", got length " + length);
        }
        return fieldDim > 0 ? length / fieldDim : 1;
    }

    /**
     * The dimension of one sample of a y0 of {@code length} values in {@code rows} rows for a field of dimension
     * {@code fieldDim} (−1: any); shared by the double and the float problem.
     *
     * @throws IllegalArgumentException when the length is not {@code rows × dim}
     */
    static int dimOf(int fieldDim, int length, int rows) {
        int dim = fieldDim > 0 ? fieldDim : (length % rows == 0 ? length / rows : -1);
        if (dim < 1 || (long) rows * dim != length) {
            throw new IllegalArgumentException("y0 must have length rows × dim = " + rows + " × "
                    + (fieldDim > 0 ? fieldDim : "dim") + ", got length " + length);
        }
        return dim;
    }

    static void checkGrid(double[] t) {
        if (t.length < 2) {
            throw new IllegalArgumentException("times must hold at least t0 and t1, got " + Arrays.toString(t));
        }
        for (int i = 0; i < t.length; i++) {
            if (!Double.isFinite(t[i])) throw new IllegalArgumentException("times[" + i + "] must be finite, got " + t[i]);
        }
        if (!Double.isFinite(t[t.length - 1] - t[0])) {
            throw new IllegalArgumentException("times must span a finite interval, got times[0] = " + t[0]
                    + ", times[" + (t.length - 1) + "] = " + t[t.length - 1]);
        }
        double dir = Math.signum(t[1] - t[0]);
        for (int i = 1; i < t.length; i++) {
            if (dir == 0 || Math.signum(t[i] - t[i - 1]) != dir) {
                throw new IllegalArgumentException("times must be strictly increasing or strictly decreasing, got times["
                        + (i - 1) + "] = " + t[i - 1] + ", times[" + i + "] = " + t[i]);
            }
        }
    }

    /** The vector field. */
    public F field() { return field; }

    /** The number of samples in the batch. */
    public int rows() { return rows; }

    /** The state dimension of one sample. */
    public int dim() { return dim; }

    /** The initial time t_0. */
    public double t0() { return times[0]; }

    /** The final time t_N. */
    public double t1() { return times[times.length - 1]; }

    /** A copy of the initial states, {@code rows × dim} row-major. */
    public double[] y0() { return y0.clone(); }

    /** A copy of the time grid t_0..t_N. */
    public double[] times() { return times.clone(); }

    /** The same problem from other initial states (rows inferred as in {@link #batch} with this problem's dim). */
    public OdeProblem<F> withY0(double[] newY0) {
        if (newY0 == null) throw new IllegalArgumentException("y0 must be non-null");
        if (newY0.length == 0 || newY0.length % dim != 0) {
            throw new IllegalArgumentException("y0 must have a length that is a positive multiple of dim = " + dim
                    + ", got length " + newY0.length);
        }
        return batch(field, newY0, newY0.length / dim, times);
    }

    double[] y0View() { return y0; }

    double[] timesView() { return times; }

    @Override
    public String toString() {
        return "OdeProblem[rows=" + rows + ", dim=" + dim + ", times=" + Arrays.toString(times) + "]";
    }
}
