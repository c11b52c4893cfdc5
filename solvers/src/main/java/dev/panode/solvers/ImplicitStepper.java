package dev.panode.solvers;

/**
 * What the implicit steppers ({@link EsdirkStepper}, {@link RosenbrockStepper}) share: f at both ends of the step (the
 * end derivative, computed for dense output, becomes the next step's first stage), the Jacobian blocks and the LU of
 * the iteration matrix with their counters, the solve's tolerances for the Newton test, and cubic Hermite dense output
 * from (y, f) at both ends. All buffers are allocated here, once; nothing is allocated per step.
 */
abstract class ImplicitStepper extends AbstractStepper {
    final OdeMethod method;
    final VectorField field;
    final FieldWorkspace fieldWs;
    final int dim, maxRows;
    final Jacobian jacobian;
    final IterationMatrix matrix;
    /** The number of components of the current solve, rows·dim. */
    int n;
    /** f at the start of the step and at its end; swapped on accept. */
    double[] f0, fEnd;
    boolean f0Valid, fEndValid;
    /** True while the Jacobian blocks were evaluated at the current step's start (t, y). */
    boolean jacobianAtStart;
    ErrorNorm norm = ErrorNorm.rms();
    double atol = 1e-6, rtol = 1e-3;
    double[] atolVec, rtolVec;
    private long jacobians, factorisations;

    ImplicitStepper(OdeMethod method, VectorField field, int maxRows, int dim) {
        this.method = method;
        this.field = field;
        this.maxRows = maxRows;
        this.dim = dim;
        this.fieldWs = field.newWorkspace(maxRows);
        int size = Math.multiplyExact(maxRows, dim);
        this.f0 = new double[size];
        this.fEnd = new double[size];
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
        field.evaluate(t0, y0, f0, rows, fieldWs);
        f0Valid = true;
        fEndValid = false;
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
        field.evaluate(t, y, out, rows, fieldWs);
    }

    /** Makes sure f0 = f(t, y); returns the evaluations made. */
    final int ensureF0(double t, double[] y) {
        if (f0Valid) return 0;
        field.evaluate(t, y, f0, rows, fieldWs);
        f0Valid = true;
        return 1;
    }

    /** Evaluates the Jacobian blocks at the step's start (t, y) (f0 must be valid); returns the evaluations made. */
    final int evaluateJacobian(double t, double[] y) {
        int nfe = jacobian.evaluate(t, y, f0, rows, fieldWs);
        jacobians++;
        jacobianAtStart = true;
        matrix.invalidate();
        return nfe;
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
    public final int interpolate(double theta, double[] out, int outOff) {
        int nfe = 0;
        if (!fEndValid) {
            field.evaluate(tEnd, yOut, fEnd, rows, fieldWs);
            fEndValid = true;
            nfe = 1;
        }
        HermiteCubic.interpolate(theta, h, y, f0, yOut, fEnd, out, outOff, n);
        return nfe;
    }

    @Override
    public final void accept() {
        if (fEndValid) {
            double[] tmp = f0;
            f0 = fEnd;
            fEnd = tmp;
            f0Valid = true;
        } else {
            f0Valid = false;
        }
        fEndValid = false;
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
    public final double[][] stageInputs() {
        return null;
    }
}
