package dev.panode.solvers;

/**
 * Replays accepted float32 steps of an explicit {@link RungeKutta} method exactly as the float solve took them, for
 * code that reverses a float solve from a few kept states (binomial checkpointing in float backprop). It runs the
 * solver's own float stepper: the same stage kernels on the same buffers, the same FSAL reuse, so a step replayed from
 * the same state with the same (t, h) and the same first stage gives the solve's stage inputs and end state bit for
 * bit.
 *
 * <p>The first stage k_0 = f(t_k0, y) of a step is what the solve evaluated or carried over: at the start of the
 * solve f(t_0, y_0); for an FSAL method the previous step's last stage, evaluated at {@code t_prev + c_{s−1}·h_prev};
 * otherwise f(t, y) at the step's own start. {@link #begin} evaluates it from a restored state; consecutive
 * {@link #step}s carry it over as the solve did. Sized once for {@code rows × dim}; nothing is allocated per step.
 * Cost: s − 1 evaluations a step (s for the first step after {@link #begin}). Not thread-safe.
 */
public final class StepReplayF32 {
    private final RkStepperF32 stepper;
    private final int rows, n;
    private final int stages;
    private final ButcherTableau tableau;

    /**
     * A replay of {@code method}'s float steps of {@code field} over {@code rows} rows.
     *
     * @param method the method the solve stepped with (after {@link TorchdiffeqConventions#method}, if it applied)
     * @throws IllegalArgumentException naming the argument and its value
     */
    public StepReplayF32(RungeKutta method, FloatField field, int rows, int dim) {
        if (method == null) throw new IllegalArgumentException("method must be non-null");
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        this.stepper = new RkStepperF32(method, field, rows, dim);
        this.rows = rows;
        this.n = Math.multiplyExact(rows, dim);
        this.stages = method.tableau().stages();
        this.tableau = method.tableau();
    }

    /** Starts from a state: k_0 = f(tK0, y). Returns the NFE (1). */
    public int begin(double tK0, float[] y) {
        return stepper.start(tK0, y, rows, 0, null);
    }

    /**
     * Starts from the state y_m of step m of a solve whose accepted steps started at {@code ts} with signed sizes
     * {@code hs}: k_0 = f at the time the solve evaluated it (for an FSAL method after the first step
     * {@code ts[m−1] + c_{s−1}·hs[m−1]}, which may differ in the last bit from {@code ts[m]} after a step shortened
     * to land on a time; otherwise {@code ts[m]}). Returns the NFE (1).
     */
    public int begin(double[] ts, double[] hs, int m, float[] y) {
        double tK0 = tableau.isFsal() && m > 0 ? ts[m - 1] + tableau.c(stages - 1) * hs[m - 1] : ts[m];
        return begin(tK0, y);
    }

    /**
     * The step from (t, y) of signed size h ending at tEnd: its stage inputs ({@link #stageInputs()}) and
     * {@code yOut} (not aliasing y), k_0 from {@link #begin} or the previous step. Returns the NFE.
     */
    public int step(double t, double h, double tEnd, float[] y, float[] yOut) {
        return step(t, h, tEnd, y, yOut, null);
    }

    /**
     * As {@link #step(double, double, double, float[], float[])}, and, when {@code stagesOut} is non-null, the step's
     * stage derivatives k_0..k_{s−1} copied into {@code stagesOut[0..s)} (each of at least rows × dim floats): the
     * bits the solve's dense output read.
     */
    public int step(double t, double h, double tEnd, float[] y, float[] yOut, float[][] stagesOut) {
        int nfe = stepper.attempt(t, h, tEnd, y, yOut, null);
        if (stagesOut != null) {
            for (int i = 0; i < stages; i++) System.arraycopy(stepper.k[i], 0, stagesOut[i], 0, n);
        }
        stepper.accept();
        return nfe;
    }

    /**
     * Only the stage inputs Y_0..Y_last of the step from (t, y) of signed size h, k_0 from {@link #begin}: the bits
     * {@link #step} gives them, evaluating {@code last − 1} stages. A {@link #begin} must precede the next step.
     * Returns the NFE.
     *
     * @throws IllegalArgumentException if last is not a stage index
     */
    public int stageInputs(double t, double h, float[] y, int last) {
        if (last < 0 || last >= stages) {
            throw new IllegalArgumentException("last must be in [0, " + (stages - 1) + "], got " + last);
        }
        return stepper.stageInputs(t, h, y, last);
    }

    /** The stage inputs Y_0..Y_{s−1} of the last step replayed (live buffers: read, do not keep). */
    public float[][] stageInputs() {
        return stepper.stageIn;
    }
}
