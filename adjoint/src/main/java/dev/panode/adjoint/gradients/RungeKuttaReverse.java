package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;

import dev.panode.solvers.ButcherTableau;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.ForwardingField;
import dev.panode.solvers.Interpolant;
import dev.panode.solvers.RkWorkspace;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.VectorField;

/**
 * Replays and reverses single explicit Runge–Kutta steps of a {@link DifferentiableField} over a batch: the
 * workhorse of {@link Backprop}. The replay runs through the method itself ({@link RungeKutta#step},
 * {@link RungeKutta#stageInputs}) on one {@link RkWorkspace}, so it recomputes exactly the stages the solver computed;
 * the reverse reads the coefficients from the method's {@link ButcherTableau}. One instance per gradient session (it
 * holds the stage buffers); it allocates nothing after construction.
 *
 * <p>The reverse of a step (docs/ALGORITHMS.md §7): with k̄_i = h b_i ȳ_new (plus any cotangent an interpolated save time
 * puts on the stages), for i = s..1: (Ȳ_i, θ̄_i) = VJP of f at (t + c_i h, Y_i) with cotangent k̄_i; ȳ += Ȳ_i;
 * θ̄ += θ̄_i; k̄_j += h a_ij Ȳ_i for j &lt; i. Stages whose cotangent is identically zero (for example dopri5's
 * seventh, when nothing interpolates) are skipped. The VJPs need the stage inputs Y_i: either they are rebuilt from
 * the stored y (s − 1 evaluations, then each VJP recomputes its forward pass), or the forward pass saved each stage's
 * evaluation ({@link DifferentiableField#evaluateSaving}) and each VJP runs from it
 * ({@link DifferentiableField#vjpFromSaved}): no evaluation at all, and for an MLP two matrix products per layer and
 * stage instead of four. Both give the same bits.
 */
final class RungeKuttaReverse implements StepReversal {
    private final DifferentiableField field;
    /** The field as the replay hands it to {@link RungeKutta#step}: evaluated unchecked (see {@link #unchecked}). */
    private final VectorField replayed;
    private final RungeKutta method;
    private final ButcherTableau tableau;
    private final RkWorkspace rk;
    private final FieldWorkspace ws;
    private final int rows;
    private final int n;
    private final int s;
    private final double[][] kBar;
    private final boolean[] seeded;
    private final boolean[] live;
    private final double[] stageYBar;
    private long evaluations;
    private long vjps;

    RungeKuttaReverse(DifferentiableField field, RungeKutta method, int rows, int dim) {
        this.field = field;
        this.method = method;
        this.tableau = method.tableau();
        this.rows = rows;
        this.n = rows * dim;
        this.s = tableau.stages();
        this.replayed = unchecked(field);
        this.rk = method.newWorkspace(replayed, rows, dim);
        this.ws = rk.fieldWorkspace();
        this.kBar = new double[s][n];
        this.seeded = new boolean[s];
        this.live = new boolean[s];
        this.stageYBar = new double[n];
    }

    /** The field workspace this instance evaluates with; others on the same thread may share it between calls. */
    @Override
    public FieldWorkspace workspace() {
        return ws;
    }

    @Override
    public int stages() {
        return s;
    }

    /** The doubles one stage's saved evaluation takes ({@link DifferentiableField#savedLength}); 0 if none. */
    int savedLength() {
        return field.savedLength(rows);
    }

    /** Field evaluations so far (stage rebuilds and forward replays). */
    @Override
    public long evaluations() {
        return evaluations;
    }

    /** VJPs so far. */
    @Override
    public long vjps() {
        return vjps;
    }

    /** Clears the counters (a session runs one gradient after another). */
    @Override
    public void resetCounters() {
        evaluations = 0;
        vjps = 0;
    }

    /** Stage {@code i} of the last replayed or rebuilt step (valid until the next call). */
    @Override
    public double[] stage(int i) {
        return rk.stages()[i];
    }

    /** Replays one step: {@code yOut = y + h Σ b_i k_i}; {@code yOut} may alias {@code y}. */
    @Override
    public void advance(double t, double h, double[] y, double[] yOut) {
        evaluations += method.step(replayed, t, h, y, yOut, null, rows, rk);
    }

    @Override
    public Interpolant interpolant() {
        return method.interpolant();
    }

    /** One plain evaluation {@code out = f(t, y)}, counted. */
    @Override
    public void evaluateField(double t, double[] y, double[] out) {
        field.evaluateUnchecked(t, y, out, rows, ws);
        evaluations++;
    }

    @Override
    public boolean interpolatesInsideSteps() {
        return true;
    }

    /** The tableau is FSAL ({@link ButcherTableau#isFsal}): the step copies its last stage input to y_new. */
    @Override
    public boolean firstSameAsLast() {
        return tableau.isFsal();
    }

    /** Starts the reverse of a step: clears the extra stage cotangents. */
    @Override
    public void beginReverse() {
        java.util.Arrays.fill(seeded, false);
    }

    /** Adds {@code w·v} to the cotangent of stage {@code i} (for interpolated save times inside the step). */
    @Override
    public void addStageCotangent(int i, double w, double[] v) {
        if (w == 0.0) return;
        double[] kb = kBar[i];
        if (!seeded[i]) {
            java.util.Arrays.fill(kb, 0.0);
            seeded[i] = true;
        }
        addScaled(kb, w, v, n);
    }

    /**
     * Reverses one step from state {@code y} at time t with step h. On entry {@code yBar} = ∂L/∂y_new, on exit
     * ∂L/∂y; {@code thetaBar} accumulates ∂L/∂θ. {@code y} is not modified. Call {@link #beginReverse()} first.
     *
     * @param saved     null to rebuild the stages from y; otherwise stage i's saved evaluation is
     *                  {@code saved[firstSlot + i]}
     * @param firstSlot the slot of stage 0 in {@code saved}
     */
    @Override
    public void reverse(double t, double h, double[] y, double[] yBar, double[] thetaBar, double[][] saved,
                 int firstSlot) {
        // which stages carry a cotangent (backwards through A)
        int lastLive = -1;
        for (int i = s - 1; i >= 0; i--) {
            boolean l = tableau.b(i) != 0.0 || seeded[i];
            for (int j = i + 1; j < s && !l; j++) l = live[j] && tableau.a(j, i) != 0.0;
            live[i] = l;
            if (l && lastLive < 0) lastLive = i;
        }
        if (lastLive < 0) return;
        if (saved == null) evaluations += method.stageInputs(replayed, t, h, y, lastLive, rows, rk);
        for (int i = 0; i <= lastLive; i++) {
            if (!live[i]) continue;
            double[] kb = kBar[i];
            double w = h * tableau.b(i);
            if (seeded[i]) {
                addScaled(kb, w, yBar, n);
            } else {
                scale(kb, w, yBar, n);
            }
        }
        double[][] stageY = rk.stageInputs();
        for (int i = lastLive; i >= 0; i--) {
            if (!live[i]) continue;
            double ti = t + tableau.c(i) * h;
            if (saved == null) {
                field.vjpUnchecked(ti, stageY[i], kBar[i], stageYBar, thetaBar, null, rows, false, ws);
            } else {
                field.vjpFromSavedUnchecked(ti, saved[firstSlot + i], kBar[i], stageYBar, thetaBar, rows, false, ws);
            }
            vjps++;
            addScaled(yBar, 1.0, stageYBar, n);
            for (int m = 0; m < i; m++) {
                double w = h * tableau.a(i, m);
                if (w == 0.0 || !live[m]) continue;
                double[] kb = kBar[m];
                addScaled(kb, w, stageYBar, n);
            }
        }
        java.util.Arrays.fill(seeded, false);
    }

    // The element loops live in these small methods, not in reverse: a loop there made the JIT compile reverse on stack
    // replacement — with the whole inlined field VJP — once per loop it entered hot (3 of the 4 largest C2 compilations
    // of the demo's warm-up, docs/BENCHMARKS.md §26). Same operations, same bits.

    /** {@code dst[j] += w·src[j]} for j < n. */
    private static void addScaled(double[] dst, double w, double[] src, int n) {
        for (int j = 0; j < n; j++) dst[j] += w * src[j];
    }

    /** {@code dst[j] = w·src[j]} for j < n. */
    private static void scale(double[] dst, double w, double[] src, int n) {
        for (int j = 0; j < n; j++) dst[j] = w * src[j];
    }

    /**
     * {@code field} with {@link VectorField#evaluate} going to {@link VectorField#evaluateUnchecked}: the replay's
     * buffers and workspace are sized here from the problem the gradient checked once at its entry, so the field need
     * not check them again on every stage (the method's {@code step} still checks its own arguments once per step).
     */
    private static VectorField unchecked(DifferentiableField field) {
        return new ForwardingField(field) {
            @Override
            public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
                field.evaluateUnchecked(t, y, dyOut, rows, ws);
            }
        };
    }
}
