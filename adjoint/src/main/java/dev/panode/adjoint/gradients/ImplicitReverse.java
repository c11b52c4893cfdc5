package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.models.VjpJacobianField;
import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.Interpolant;
import dev.panode.solvers.IterationMatrix;
import dev.panode.solvers.SolveOptions;

/**
 * What the discrete adjoints of the implicit methods ({@link EsdirkReverse}, {@link RosenbrockReverse}) share: the
 * field with its counters, the exact Jacobian blocks ∂f/∂y assembled from {@code dim} VJPs
 * ({@link VjpJacobianField}), the LU of {@code I − γhJ} (solved with it and with its transpose), and the forward
 * solve's tolerances, which scale the replay's convergence tests. The forward solve of an implicit method must land on
 * every observation time (its dense output is not differentiated). Allocation-free after construction.
 */
abstract class ImplicitReverse implements StepReversal {
    final DifferentiableField field;
    final int rows, dim, n;
    final FieldWorkspace ws;
    final IterationMatrix matrix;
    final String methodName;
    /** The method's stages s and the diagonal γ of its iteration matrix I − γhJ. */
    final int s;
    final double gamma;
    private final Interpolant interpolant;
    private final VjpJacobianField jacobian;
    private final FieldWorkspace jacobianWs;
    private final double[] blocks;
    private final double rtol, atol;
    private final double[] rtolVec, atolVec;
    private long evaluations, vjps;

    ImplicitReverse(DifferentiableField field, String methodName, int stages, double gamma, Interpolant interpolant,
                    int rows, int dim, SolveOptions options) {
        this.field = field;
        this.methodName = methodName;
        this.s = stages;
        this.gamma = gamma;
        this.interpolant = interpolant;
        this.rows = rows;
        this.dim = dim;
        this.n = Math.multiplyExact(rows, dim);
        this.ws = field.newWorkspace(rows);
        this.jacobian = VjpJacobianField.of(field, dim);
        this.jacobianWs = jacobian.newWorkspace(rows);
        this.blocks = new double[Math.multiplyExact(n, dim)];
        this.matrix = new IterationMatrix(rows, dim);
        this.rtol = options.rtol();
        this.atol = options.atol();
        this.rtolVec = options.rtolPerComponent();
        this.atolVec = options.atolPerComponent();
    }

    @Override
    public final Interpolant interpolant() {
        return interpolant;
    }

    @Override
    public final int stages() {
        return s;
    }

    @Override
    public final FieldWorkspace workspace() {
        return ws;
    }

    @Override
    public final long evaluations() {
        return evaluations;
    }

    @Override
    public final long vjps() {
        return vjps;
    }

    @Override
    public final void resetCounters() {
        evaluations = 0;
        vjps = 0;
    }

    @Override
    public final void beginReverse() {
    }

    @Override
    public final void addStageCotangent(int i, double w, double[] v) {
        throw new IllegalStateException(methodName + " cannot differentiate its dense output: the forward solve must "
                + "land on every observation time");
    }

    @Override
    public final boolean interpolatesInsideSteps() {
        return false;
    }

    /** {@code out = f(t, y)}, counted. */
    final void evaluate(double t, double[] y, double[] out) {
        field.evaluateUnchecked(t, y, out, rows, ws);
        evaluations++;
    }

    @Override
    public final void evaluateField(double t, double[] y, double[] out) {
        evaluate(t, y, out);
    }

    /** {@code yBar = vᵀ ∂f/∂y} at (t, y), {@code thetaBar += vᵀ ∂f/∂θ} unless null; counted. */
    final void vjp(double t, double[] y, double[] v, double[] yBar, double[] thetaBar) {
        field.vjpUnchecked(t, y, v, yBar, thetaBar, null, rows, false, ws);
        vjps++;
    }

    /** Evaluates the exact Jacobian blocks at (t, y) ({@code dim} VJPs) and factorises {@code I − c·J}. */
    final void factoriseAt(double t, double[] y, double c) {
        jacobian.jacobian(t, y, blocks, rows, jacobianWs);
        vjps += dim;
        if (!matrix.factorise(blocks, c, rows)) {
            throw new IllegalStateException(methodName + ": I − γh·J is singular at t = " + t + " (γh = " + c
                    + "); the step cannot be differentiated");
        }
    }

    /**
     * The RMS of {@code delta} scaled by the forward solve's tolerances, atol + rtol·|y|: the Newton and adjoint
     * iterations stop far below 1 on this scale.
     */
    final double scaledNorm(double[] delta, double[] y) {
        double acc = 0.0;
        for (int p = 0; p < n; p++) {
            double a = atolVec == null ? atol : atolVec[p % atolVec.length];
            double r = rtolVec == null ? rtol : rtolVec[p % rtolVec.length];
            double e = delta[p] / (a + r * Math.abs(y[p]));
            acc += e * e;
        }
        return Math.sqrt(acc / n);
    }

    static double maxAbs(double[] v, int n) {
        double m = 0.0;
        for (int p = 0; p < n; p++) m = Math.max(m, Math.abs(v[p]));
        return m;
    }

    static boolean isZero(double[] v, int n) {
        for (int p = 0; p < n; p++) if (v[p] != 0.0) return false;
        return true;
    }
}
