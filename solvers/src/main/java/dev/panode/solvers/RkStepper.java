package dev.panode.solvers;

/** The stepper of a {@link RungeKutta} method: reuses the FSAL stage and the end derivative as the next k_0. */
final class RkStepper extends AbstractStepper {
    private final RungeKutta method;
    private final VectorField field;
    private final RkWorkspace ws;
    private final int s;
    private final boolean fsal;
    private final boolean needsEnd;
    private int n;
    /** The components of the inner stage inputs formed ({@link VectorField#componentsRead} for one row, else n). */
    private int read;
    /** The components of the error estimate formed ({@link ErrorNorm#componentsMeasured} for one row, else n). */
    private int measured;
    private ErrorNorm norm;
    private boolean allStageInputs;
    private boolean k0Valid;
    private boolean endValid;
    private boolean extraValid;
    private final int extra;

    RkStepper(RungeKutta method, VectorField field, RkWorkspace ws) {
        this.method = method;
        this.field = field;
        this.ws = ws;
        this.s = method.tableau().stages();
        this.fsal = method.tableau().isFsal();
        this.needsEnd = method.interpolant().usesEndDerivative();
        this.extra = method.interpolant().extraStages();
    }

    @Override
    public void useTolerances(ErrorNorm norm, double atol, double rtol, double[] atolVec, double[] rtolVec) {
        this.norm = norm;
    }

    /** Forms every component of every stage input, whatever the field reads (for a stepper that inspects them). */
    void formAllStageInputs() {
        allStageInputs = true;
    }

    @Override
    public FieldWorkspace fieldWorkspace() {
        return ws.fieldWs;
    }

    @Override
    public boolean fits(OdeMethod m, VectorField f, int rows, int dim) {
        return m == method && f == field && dim == ws.dim() && rows <= ws.maxRows();
    }

    @Override
    public int start(double t0, double[] y0, int rows) {
        this.rows = rows;
        this.n = rows * ws.dim();
        int r = rows == 1 && !allStageInputs ? field.componentsRead() : n;
        this.read = r < 0 || r > n ? n : r;
        int m = rows == 1 && norm != null ? norm.componentsMeasured() : n;
        this.measured = m < 0 || m > n ? n : m;
        field.evaluateUnchecked(t0, y0, ws.k[0], rows, ws.fieldWs);
        k0Valid = true;
        endValid = false;
        return 1;
    }

    @Override
    public double[] derivative() {
        return ws.k[0];
    }

    @Override
    public void evaluate(double t, double[] y, double[] out) {
        field.evaluateUnchecked(t, y, out, rows, ws.fieldWs);
    }

    /** The components a one-row field reads or its norm measures, whichever reaches further ({@link #start}). */
    @Override
    public int probeComponents() {
        return Math.max(read, measured);
    }

    /** Through {@link VectorField#evaluateLeadingUnchecked} when fewer than all components are wanted. */
    @Override
    public void evaluateLeading(double t, double[] y, double[] out, int leading) {
        if (leading < n) field.evaluateLeadingUnchecked(t, y, out, leading, rows, ws.fieldWs);
        else field.evaluateUnchecked(t, y, out, rows, ws.fieldWs);
    }

    @Override
    public int attempt(double t, double h, double tEnd, double[] y, double[] yOut, double[] errOut) {
        int nfe = 0;
        if (!k0Valid) {
            field.evaluateUnchecked(t, y, ws.k[0], rows, ws.fieldWs);
            k0Valid = true;
            nfe = 1;
        }
        method.stagesAfterFirst(field, t, h, y, yOut, errOut, rows, n, read, measured, ws);
        recordAttempt(t, h, tEnd, y, yOut);
        endValid = false;
        extraValid = false;
        return nfe + s - 1;
    }

    @Override
    public double errorRatio(ErrorNorm norm, double[] err, double[] y, double[] yNew, int rows, int dim, double atol,
                             double rtol, double[] atolVec, double[] rtolVec) {
        double err5 = norm.measure(err, y, yNew, rows, dim, atol, rtol, atolVec, rtolVec);
        if (ws.err3 == null) return err5;
        double err3 = norm.measure(ws.err3, y, yNew, rows, dim, atol, rtol, atolVec, rtolVec);
        return RungeKutta.combinedError(err5, err3);
    }

    @Override
    public int interpolate(double theta, double[] out, int outOff) {
        int nfe = completeStages();
        method.interpolate(theta, h, y, out, outOff, rows, ws);
        return nfe;
    }

    /** The end derivative and any extra stages of the last attempt, into the workspace (once per attempt). */
    @Override
    public int completeStages() {
        int nfe = 0;
        if (needsEnd && !endValid) {
            field.evaluateUnchecked(tEnd, yOut, ws.k[s], rows, ws.fieldWs);
            endValid = true;
            nfe = 1;
        }
        if (extra > 0 && !extraValid) {
            nfe += method.extraStages(field, t, h, y, rows, ws);
            extraValid = true;
        }
        return nfe;
    }

    @Override
    public void accept() {
        double[][] k = ws.k;
        if (fsal) {
            swap(k, 0, s - 1);
            k0Valid = true;
        } else if (endValid) {
            swap(k, 0, s);
            k0Valid = true;
        } else {
            k0Valid = false;
        }
        endValid = false;
        extraValid = false;
    }

    private static void swap(double[][] k, int i, int j) {
        double[] tmp = k[i];
        k[i] = k[j];
        k[j] = tmp;
    }

    // ------------------------------------------------------------------ StepView

    @Override
    public OdeMethod method() {
        return method;
    }

    @Override
    public int dim() {
        return ws.dim();
    }

    @Override
    public int stageCount() {
        return s;
    }

    @Override
    public double[][] stages() {
        return ws.k;
    }

    @Override
    public double[][] stageInputs() {
        return ws.stageIn;
    }
}
