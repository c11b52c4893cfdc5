package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;

import dev.panode.simd.StageKernels;
import dev.panode.solvers.FieldWorkspace;

/**
 * Replays and reverses single explicit Runge–Kutta steps of a {@link DifferentiableField} over a batch: the
 * workhorse of {@link Backprop}. One instance per gradient computation (it holds the stage buffers); it allocates
 * nothing after construction.
 *
 * <p>The reverse of a step (ALGORITHMS.md §5): the stage inputs Y_i = y + h Σ_j a_ij k_j are rebuilt forward from
 * the stored y (s − 1 evaluations), then with k̄_i = h b_i ȳ_new (plus any cotangent an interpolated save time puts
 * on the stages), for i = s..1: (Ȳ_i, θ̄_i) = VJP of f at (t + c_i h, Y_i) with cotangent k̄_i; ȳ += Ȳ_i;
 * θ̄ += θ̄_i; k̄_j += h a_ij Ȳ_i for j &lt; i. Stages whose cotangent is identically zero (for example dopri5's
 * seventh, when nothing interpolates) are skipped.
 */
final class RungeKuttaReverse {
    private final DifferentiableField field;
    private final FieldWorkspace ws;
    private final int rows;
    private final int n;
    private final int s;
    private final double[][] a;
    private final double[] b;
    private final double[] c;
    private final double[][] k;
    private final double[][] stageY;
    private final double[][] kBar;
    private final boolean[] seeded;
    private final boolean[] live;
    private final double[] stageYBar;
    private long evaluations;
    private long vjps;

    /**
     * @param a the strictly lower-triangular coefficients, {@code a[i][j]} for j &lt; i (row i may be shorter than s)
     */
    RungeKuttaReverse(DifferentiableField field, int rows, int dim, double[][] a, double[] b, double[] c) {
        this.field = field;
        this.rows = rows;
        this.n = rows * dim;
        this.s = b.length;
        this.a = new double[s][s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < i && j < a[i].length; j++) this.a[i][j] = a[i][j];
        }
        this.b = b.clone();
        this.c = c.clone();
        this.ws = field.newWorkspace(rows);
        this.k = new double[s][n];
        this.stageY = new double[s][n];
        this.kBar = new double[s][n];
        this.seeded = new boolean[s];
        this.live = new boolean[s];
        this.stageYBar = new double[n];
    }

    /** The field workspace this instance evaluates with; others on the same thread may share it between calls. */
    FieldWorkspace workspace() {
        return ws;
    }

    int stages() {
        return s;
    }

    /** Field evaluations so far (stage rebuilds and forward replays). */
    long evaluations() {
        return evaluations;
    }

    /** VJPs so far. */
    long vjps() {
        return vjps;
    }

    /** Stage {@code i} of the last replayed or rebuilt step (valid until the next call). */
    double[] stage(int i) {
        return k[i];
    }

    /** Replays one step: {@code yOut = y + h Σ b_i k_i}; {@code yOut} may alias {@code y}. */
    void advance(double t, double h, double[] y, double[] yOut) {
        computeStages(t, h, y, s);
        StageKernels.combine(y, 0, h, b, s, k, 0, yOut, 0, n);
    }

    /** One plain evaluation {@code out = f(t, y)}, counted. */
    void evaluateField(double t, double[] y, double[] out) {
        field.evaluate(t, y, out, rows, ws);
        evaluations++;
    }

    /** Starts the reverse of a step: clears the extra stage cotangents. */
    void beginReverse() {
        java.util.Arrays.fill(seeded, false);
    }

    /** Adds {@code w·v} to the cotangent of stage {@code i} (for interpolated save times inside the step). */
    void addStageCotangent(int i, double w, double[] v) {
        if (w == 0.0) return;
        double[] kb = kBar[i];
        if (!seeded[i]) {
            java.util.Arrays.fill(kb, 0.0);
            seeded[i] = true;
        }
        for (int j = 0; j < n; j++) kb[j] += w * v[j];
    }

    /**
     * Reverses one step from state {@code y} at time t with step h. On entry {@code yBar} = ∂L/∂y_new, on exit
     * ∂L/∂y; {@code thetaBar} accumulates ∂L/∂θ. {@code y} is not modified. Call {@link #beginReverse()} first.
     */
    void reverse(double t, double h, double[] y, double[] yBar, double[] thetaBar) {
        // which stages carry a cotangent (backwards through A)
        int lastLive = -1;
        for (int i = s - 1; i >= 0; i--) {
            boolean l = b[i] != 0.0 || seeded[i];
            for (int j = i + 1; j < s && !l; j++) l = live[j] && a[j][i] != 0.0;
            live[i] = l;
            if (l && lastLive < 0) lastLive = i;
        }
        if (lastLive < 0) return;
        computeStages(t, h, y, lastLive);
        for (int i = 0; i <= lastLive; i++) {
            if (!live[i]) continue;
            double[] kb = kBar[i];
            double w = h * b[i];
            if (seeded[i]) {
                for (int j = 0; j < n; j++) kb[j] += w * yBar[j];
            } else {
                for (int j = 0; j < n; j++) kb[j] = w * yBar[j];
            }
        }
        for (int i = lastLive; i >= 0; i--) {
            if (!live[i]) continue;
            field.vjp(t + c[i] * h, stageY[i], kBar[i], stageYBar, thetaBar, null, rows, false, ws);
            vjps++;
            for (int j = 0; j < n; j++) yBar[j] += stageYBar[j];
            for (int m = 0; m < i; m++) {
                double w = h * a[i][m];
                if (w == 0.0 || !live[m]) continue;
                double[] kb = kBar[m];
                for (int j = 0; j < n; j++) kb[j] += w * stageYBar[j];
            }
        }
        java.util.Arrays.fill(seeded, false);
    }

    /** Rebuilds stage inputs Y_0..Y_last and stages k_0..k_{count-1} (k_i only for i &lt; count). */
    private void computeStages(double t, double h, double[] y, int last) {
        for (int i = 0; i <= last && i < s; i++) {
            double[] yi = stageY[i];
            if (i == 0) {
                System.arraycopy(y, 0, yi, 0, n);
            } else {
                StageKernels.combine(y, 0, h, a[i], i, k, 0, yi, 0, n);
            }
            if (i < last || last == s) {
                field.evaluate(t + c[i] * h, yi, k[i], rows, ws);
                evaluations++;
            }
        }
    }
}
