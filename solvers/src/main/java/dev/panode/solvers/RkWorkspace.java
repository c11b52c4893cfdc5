package dev.panode.solvers;

/**
 * Buffers of one Runge–Kutta method for a problem of up to {@code maxRows × dim}: the stages k_0..k_s (k_s holds the
 * end derivative f(t+h, y_new) when the interpolant needs it, followed by the interpolant's extra stages, if any) and
 * the stage inputs Y_0..Y_{s−1}, plus the field's own workspace. Not thread-safe; one per thread.
 */
public final class RkWorkspace {
    private final RungeKutta method;
    private final int maxRows;
    private final int dim;
    final FieldWorkspace fieldWs;
    final double[][] k;
    final double[][] stageIn;
    final double[] weights;
    final double[] extraIn;
    /** The third-order error estimate h Σ (b − b̂₃)_i k_i of a method that combines estimates (dop853); else null. */
    final double[] err3;
    final boolean fsal;

    RkWorkspace(RungeKutta method, FieldWorkspace fieldWs, int maxRows, int dim) {
        int s = method.tableau().stages();
        int m = method.interpolant().extraStages();
        int n = Math.multiplyExact(maxRows, dim);
        this.method = method;
        this.maxRows = maxRows;
        this.dim = dim;
        this.fieldWs = fieldWs;
        this.k = new double[s + 1 + m][n];
        this.stageIn = new double[s][n];
        this.extraIn = m > 0 ? new double[n] : null;
        this.weights = new double[s + 1 + m];
        this.fsal = method.tableau().isFsal();
        this.err3 = method.combinesErrorEstimates() ? new double[n] : null;
    }

    /** The method this workspace belongs to. */
    public RungeKutta method() {
        return method;
    }

    /** The largest batch it holds. */
    public int maxRows() {
        return maxRows;
    }

    /** The state dimension of one sample. */
    public int dim() {
        return dim;
    }

    /** The stage derivatives k_0..k_s (live buffers: read, do not keep). */
    public double[][] stages() {
        return k;
    }

    /** The stage inputs Y_0..Y_{s−1} (live buffers). */
    public double[][] stageInputs() {
        return stageIn;
    }

    /** The field's workspace. */
    public FieldWorkspace fieldWorkspace() {
        return fieldWs;
    }
}
