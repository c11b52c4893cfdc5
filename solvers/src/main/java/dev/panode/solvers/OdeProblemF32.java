package dev.panode.solvers;

/**
 * A float32 initial-value problem dy/dt = f(t, y), y(t_0) = y_0, observed on a time grid t_0, t_1, …, t_N: the
 * single-precision counterpart of {@link OdeProblem} (a float32 {@code odeint(func, y0, t)}). States are
 * {@code float[]}; the grid stays double.
 *
 * <pre>{@code
 * OdeProblemF32<MlpF32> problem = OdeProblemF32.of(MlpF32.of(mlp), y0, 0.0, 1.0);
 * SolutionF32 sol = Solver.solve(problem);          // dopri5 at rtol 1e-4, atol 1e-6
 * }</pre>
 *
 * <p>Conventions as {@link OdeProblem}: t_0 = {@code times[0]}, the solve runs to the last time and saves at every
 * grid time; the batch is one row-major {@code rows × dim} array. Construction copies y0 and the grid and checks them
 * once; the problem is then immutable and may be shared between threads.
 *
 * @param <F> the kind of field
 */
public final class OdeProblemF32<F extends FloatField> {
    private final F field;
    private final float[] y0;
    private final int rows;
    private final int dim;
    private final double[] times;

    private OdeProblemF32(F field, float[] y0, int rows, int dim, double[] times) {
        this.field = field;
        this.y0 = y0;
        this.rows = rows;
        this.dim = dim;
        this.times = times;
    }

    /**
     * The problem for a field that knows its dimension: {@code rows = y0.length / field.dim()}; a field of unknown
     * dimension is taken to have one sample of dimension {@code y0.length}.
     *
     * @throws IllegalArgumentException naming the argument and its value when it is null, non-finite, of the wrong
     *                                  length, or when the grid has fewer than two times or is not strictly monotone
     */
    public static <F extends FloatField> OdeProblemF32<F> of(F field, float[] y0, double... times) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (y0 == null) throw new IllegalArgumentException("y0 must be non-null");
        return batch(field, y0, OdeProblem.rowsOf(field.dim(), y0.length), times);
    }

    /**
     * The problem for a batch of {@code rows} samples.
     *
     * @throws IllegalArgumentException naming the argument and its value (see {@link #of})
     */
    public static <F extends FloatField> OdeProblemF32<F> batch(F field, float[] y0, int rows, double... times) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (y0 == null) throw new IllegalArgumentException("y0 must be non-null");
        if (times == null) throw new IllegalArgumentException("times must be non-null");
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        int dim = OdeProblem.dimOf(field.dim(), y0.length, rows);
        for (int i = 0; i < y0.length; i++) {
            if (!Float.isFinite(y0[i])) throw new IllegalArgumentException("y0[" + i + "] must be finite, got " + y0[i]);
        }
        OdeProblem.checkGrid(times);
        return new OdeProblemF32<>(field, y0.clone(), rows, dim, times.clone());
    }

    /** The vector field. */
    public F field() { return field; }

    /** The number of samples. */
    public int rows() { return rows; }

    /** The dimension of one sample. */
    public int dim() { return dim; }

    /** t_0. */
    public double t0() { return times[0]; }

    /** t_N, where the solve ends. */
    public double t1() { return times[times.length - 1]; }

    /** The initial states (a copy). */
    public float[] y0() { return y0.clone(); }

    /** The time grid (a copy). */
    public double[] times() { return times.clone(); }

    /** The same problem from other initial states of the same shape. */
    public OdeProblemF32<F> withY0(float[] newY0) {
        return batch(field, newY0, rows, times);
    }

    float[] y0View() { return y0; }

    double[] timesView() { return times; }

    @Override
    public String toString() {
        return "OdeProblemF32[rows=" + rows + ", dim=" + dim + ", t=" + t0() + ".." + t1() + " (" + times.length
                + " times), field=" + field + "]";
    }
}
