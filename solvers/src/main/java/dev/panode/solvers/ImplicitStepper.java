package dev.panode.solvers;

/**
 * What the implicit steppers ({@link EsdirkStepper}, {@link RosenbrockStepper}) share: f at the start of the step, the
 * Jacobian blocks and the LU of the iteration matrix with their counters, and the solve's tolerances for the Newton
 * test. All buffers are allocated here, once; nothing is allocated per step.
 *
 * <p>Dense output is the subclasses' own and uses no f of the new state: a cubic Hermite interpolant from (y, f) at both ends is
 * unusable on stiff problems, since f of a state that is off the slow manifold by δ (within the tolerance) is off by
 * ‖J‖δ, and h‖J‖ is huge there (on Robertson at rtol 1e-4 it missed y2 by 10⁴ tolerances).
 */
abstract class ImplicitStepper extends AbstractStepper {
    final OdeMethod method;
    final VectorField field;
    final FieldWorkspace fieldWs;
    final int dim, maxRows;
    final Jacobian jacobian;
    final IterationMatrix matrix;
    /** The method's stages s and the diagonal γ of its iteration matrix I − γhJ. */
    final int s;
    final double gamma;
    /** The number of components of the current solve, rows·dim. */
    int n;
    /** f at the start of the step. */
    final double[] f0;
    boolean f0Valid;
    /** True while the Jacobian blocks were evaluated at the current step's start (t, y). */
    boolean jacobianAtStart;
    ErrorNorm norm = ErrorNorm.rms();
    double atol = 1e-6, rtol = 1e-3;
    double[] atolVec, rtolVec;
    private long jacobians, factorisations;

    ImplicitStepper(OdeMethod method, int stages, double gamma, VectorField field, int maxRows, int dim) {
        this.method = method;
        this.s = stages;
        this.gamma = gamma;
        this.field = field;
        this.maxRows = maxRows;
        this.dim = dim;
        this.fieldWs = field.newWorkspace(maxRows);
        int size = Math.multiplyExact(maxRows, dim);
        this.f0 = new double[size];
        this.jacobian = new Jacobian(field, maxRows, dim);
        this.matrix = new IterationMatrix(maxRows, dim);
    }

    @Override
    public final boolean fits(OdeMethod m, VectorField f, int rows, int dim) {
        return m == method && f == field && dim == this.dim && rows <= maxRows;
    }

    @Override
    public final int start(double t0, double[] y0, int rows) {
        this.rows = rows;
        this.n = rows * dim;
        field.evaluateUnchecked(t0, y0, f0, rows, fieldWs);
        f0Valid = true;
        jacobianAtStart = false;
        jacobians = 0;
        factorisations = 0;
        matrix.invalidate();
        reset();
        return 1;
    }

    /** Resets the method's own memory at the start of a solve. */
    abstract void reset();

    @Override
    public final void useTolerances(ErrorNorm norm, double atol, double rtol, double[] atolVec, double[] rtolVec) {
        this.norm = norm;
        this.atol = atol;
        this.rtol = rtol;
        this.atolVec = atolVec;
        this.rtolVec = rtolVec;
    }

    @Override
    public final double[] derivative() {
        return f0;
    }

    @Override
    public final void evaluate(double t, double[] y, double[] out) {
        field.evaluateUnchecked(t, y, out, rows, fieldWs);
    }

    /** Makes sure f0 = f(t, y); returns the evaluations made. */
    final int ensureF0(double t, double[] y) {
        if (f0Valid) return 0;
        field.evaluateUnchecked(t, y, f0, rows, fieldWs);
        f0Valid = true;
        return 1;
    }

    /** Evaluates the Jacobian blocks at the step's start (t, y); returns the evaluations made. */
    final int evaluateJacobian(double t, double[] y) {
        int nfe = jacobian.isAnalytic() ? 0 : ensureF0(t, y); // differences need f(t, y) itself
        nfe += jacobian.evaluate(t, y, f0, rows, fieldWs);
        jacobians++;
        jacobianAtStart = true;
        matrix.invalidate();
        return nfe;
    }

    /**
     * ‖J‖∞ of the current Jacobian blocks, the largest over the rows (an upper bound of the spectral radius), or +∞
     * before the first Jacobian of the solve.
     */
    final double jacobianNormInf() {
        if (jacobians == 0) return Double.POSITIVE_INFINITY;
        double max = 0.0;
        int dd = dim * dim;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dim; i++) {
                double sum = 0.0;
                int b = r * dd + i * dim;
                for (int j = 0; j < dim; j++) sum += Math.abs(jacobian.blocks[b + j]);
                max = Math.max(max, sum);
            }
        }
        return max;
    }

    /** Factorises I − c·J for every row; false when a block is singular. */
    final boolean factorise(double c) {
        factorisations++;
        return matrix.factorise(jacobian.blocks, c, rows);
    }

    /** The scaled norm of a Newton correction, with the solve's norm and tolerances, relative to y and the iterate. */
    final double correctionNorm(double[] delta, double[] y, double[] iterate) {
        return norm.measure(delta, y, iterate, rows, dim, atol, rtol, atolVec, rtolVec);
    }

    /** Marks a failed attempt: a non-finite candidate, which the solver rejects and answers with a smaller step. */
    final void fail(double[] yOut) {
        java.util.Arrays.fill(yOut, 0, n, Double.NaN);
    }

    @Override
    public void accept() {
        f0Valid = false;
        jacobianAtStart = false;
    }

    @Override
    public final long jacobianEvaluations() {
        return jacobians;
    }

    @Override
    public final long factorisations() {
        return factorisations;
    }

    @Override
    public final OdeMethod method() {
        return method;
    }

    @Override
    public final int dim() {
        return dim;
    }

    @Override
    public final int stageCount() {
        return s;
    }

    @Override
    public final double[][] stageInputs() {
        return null;
    }
}
