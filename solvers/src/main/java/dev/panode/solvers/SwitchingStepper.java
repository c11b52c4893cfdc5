package dev.panode.solvers;

/**
 * The stepper of {@link AutoSwitching}: an explicit and an implicit stepper for the same field and shape, one of them
 * current; every call goes to the current one, and after each accepted step the stiffness test (see
 * {@link AutoSwitching}) may hand the solve to the other, which starts at the step's end. Allocation-free.
 */
final class SwitchingStepper implements Stepper {
    private final AutoSwitching method;
    private final VectorField field;
    private final Stepper explicit;
    private final ImplicitStepper implicit;
    private final double threshold;
    private Stepper current;
    private boolean stiff;
    private int votes;
    private int pendingNfe;
    private long jacobianBase, factorisationBase;

    SwitchingStepper(AutoSwitching method, VectorField field, int maxRows, int dim) {
        this.method = method;
        this.field = field;
        this.explicit = method.explicitMethod().newStepper(field, maxRows, dim);
        if (explicit instanceof RkStepper rk) rk.formAllStageInputs(); // the stiffness estimate reads Y_{s−1} − Y_{s−2}
        this.implicit = (ImplicitStepper) method.implicitMethod().newStepper(field, maxRows, dim);
        this.threshold = method.stiffFraction() * method.stabilityBoundary();
        this.current = explicit;
    }

    @Override
    public boolean fits(OdeMethod m, VectorField f, int rows, int dim) {
        return m == method && f == field && explicit.fits(method.explicitMethod(), f, rows, dim)
                && implicit.fits(method.implicitMethod(), f, rows, dim);
    }

    @Override
    public int start(double t0, double[] y0, int rows) {
        current = explicit;
        stiff = false;
        votes = 0;
        pendingNfe = 0;
        jacobianBase = 0;
        factorisationBase = 0;
        return explicit.start(t0, y0, rows);
    }

    @Override
    public void useTolerances(ErrorNorm norm, double atol, double rtol, double[] atolVec, double[] rtolVec) {
        explicit.useTolerances(norm, atol, rtol, atolVec, rtolVec);
        implicit.useTolerances(norm, atol, rtol, atolVec, rtolVec);
    }

    @Override
    public double[] derivative() {
        return current.derivative();
    }

    @Override
    public void evaluate(double t, double[] y, double[] out) {
        current.evaluate(t, y, out);
    }

    @Override
    public int attempt(double t, double h, double tEnd, double[] y, double[] yOut, double[] errOut) {
        int nfe = current.attempt(t, h, tEnd, y, yOut, errOut) + pendingNfe;
        pendingNfe = 0;
        return nfe;
    }

    @Override
    public int interpolate(double theta, double[] out, int outOff) {
        return current.interpolate(theta, out, outOff);
    }

    @Override
    public int completeStages() {
        return current.completeStages();
    }

    @Override
    public double errorRatio(ErrorNorm norm, double[] err, double[] y, double[] yNew, int rows, int dim, double atol,
                             double rtol, double[] atolVec, double[] rtolVec) {
        return current.errorRatio(norm, err, y, yNew, rows, dim, atol, rtol, atolVec, rtolVec);
    }

    @Override
    public void accept() {
        double stability = Math.abs(current.h()) * (stiff ? implicit.jacobianNormInf() : explicitRadius());
        boolean vote = stiff ? stability <= threshold : stability >= threshold;
        votes = vote ? votes + 1 : 0;
        double tEnd = current.tEnd();
        double[] yNew = current.yAfter();
        int rows = current.rows();
        current.accept();
        if (votes >= (stiff ? method.nonStiffSteps() : method.stiffSteps())) {
            if (stiff) {
                jacobianBase += implicit.jacobianEvaluations();
                factorisationBase += implicit.factorisations();
            }
            stiff = !stiff;
            current = stiff ? implicit : explicit;
            votes = 0;
            pendingNfe += current.start(tEnd, yNew, rows);
        }
    }

    /** ρ = ‖k_s − k_{s−1}‖ / ‖g_s − g_{s−1}‖ over the last two stages of the explicit step just accepted. */
    private double explicitRadius() {
        int s = explicit.stageCount(), n = explicit.rows() * explicit.dim();
        double[] k1 = explicit.stages()[s - 1], k0 = explicit.stages()[s - 2];
        double[] g1 = explicit.stageInputs()[s - 1], g0 = explicit.stageInputs()[s - 2];
        double num = 0.0, den = 0.0;
        for (int p = 0; p < n; p++) {
            double dk = k1[p] - k0[p], dg = g1[p] - g0[p];
            num += dk * dk;
            den += dg * dg;
        }
        return den == 0.0 ? 0.0 : Math.sqrt(num / den);
    }

    /** True while the implicit method steps. */
    boolean isStiff() {
        return stiff;
    }

    @Override
    public long jacobianEvaluations() {
        return jacobianBase + (stiff ? implicit.jacobianEvaluations() : 0);
    }

    @Override
    public long factorisations() {
        return factorisationBase + (stiff ? implicit.factorisations() : 0);
    }

    // ------------------------------------------------------------------ StepView

    @Override
    public OdeMethod method() {
        return current.method();
    }

    @Override
    public double t() {
        return current.t();
    }

    @Override
    public double h() {
        return current.h();
    }

    @Override
    public double tEnd() {
        return current.tEnd();
    }

    @Override
    public double[] yBefore() {
        return current.yBefore();
    }

    @Override
    public double[] yAfter() {
        return current.yAfter();
    }

    @Override
    public int rows() {
        return current.rows();
    }

    @Override
    public int dim() {
        return current.dim();
    }

    @Override
    public int stageCount() {
        return current.stageCount();
    }

    @Override
    public double[][] stages() {
        return current.stages();
    }

    @Override
    public double[][] stageInputs() {
        return current.stageInputs();
    }
}
