package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.SplitMix64;
import dev.panode.solvers.FieldWorkspace;

/**
 * A flow run backwards in time as a forward one: {@code G(s, y) = −F(−s, y)}, so that solving G over
 * {@code [−t_0, −t_1]} is solving F from t_0 down to t_1 &lt; t_0 (torchdiffeq solves a decreasing grid the same
 * way, so both take the same steps). The gradient methods want increasing times; {@link CnfTrainer} wraps a flow in
 * this when its data sit at the later time (torchdiffeq's CNF example: data at t = 10, base at t = 0).
 *
 * <p>The VJP is the wrapped one with the cotangent negated: {@code ȳ = −vᵀ∂F/∂y}, {@code θ̄ += −vᵀ∂F/∂θ},
 * {@code ∂(vᵀG)/∂s = vᵀ∂F/∂t}. Parameters, tensor sizes and probes are the wrapped flow's (the same live array).
 * Cost: the wrapped flow's plus one negation of the state. Allocates nothing per call.
 */
public final class TimeReversedFlow implements FlowField {
    private final FlowField flow;

    /** @throws IllegalArgumentException when flow is null */
    public TimeReversedFlow(FlowField flow) {
        if (flow == null) throw new IllegalArgumentException("flow must be non-null");
        this.flow = flow;
    }

    /** The flow run backwards. */
    public FlowField flow() {
        return flow;
    }

    @Override
    public int dataDim() {
        return flow.dataDim();
    }

    @Override
    public void resampleNoise(SplitMix64 rng) {
        flow.resampleNoise(rng);
    }

    @Override
    public int probeRows() {
        return flow.probeRows();
    }

    @Override
    public int dim() {
        return flow.dim();
    }

    @Override
    public int parameterCount() {
        return flow.parameterCount();
    }

    @Override
    public double[] parameters() {
        return flow.parameters();
    }

    @Override
    public int[] parameterTensorSizes() {
        return flow.parameterTensorSizes();
    }

    @Override
    public FieldWorkspace newWorkspace(int maxRows) {
        return new Work(flow.newWorkspace(maxRows), new double[Math.multiplyExact(maxRows, flow.dim())]);
    }

    @Override
    public void evaluate(double s, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        flow.evaluate(-s, y, dyOut, rows, inner(ws));
        negate(dyOut, rows * dim());
    }

    @Override
    public void evaluateUnchecked(double s, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
        flow.evaluateUnchecked(-s, y, dyOut, rows, ((Work) ws).inner);
        negate(dyOut, rows * dim());
    }

    @Override
    public double vjp(double s, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut, int rows,
                      boolean wantTime, FieldWorkspace ws) {
        Work w = checkedNegation(v, rows, ws);
        double tBar = flow.vjp(-s, y, w.minusV, yBar, thetaBar, fOut, rows, wantTime, w.inner);
        if (fOut != null) negate(fOut, rows * dim());
        return wantTime ? -tBar : 0.0;
    }

    @Override
    public double vjpUnchecked(double s, double[] y, double[] v, double[] yBar, double[] thetaBar, double[] fOut,
                               int rows, boolean wantTime, FieldWorkspace ws) {
        Work w = (Work) ws;
        int n = rows * dim();
        for (int i = 0; i < n; i++) w.minusV[i] = -v[i];
        double tBar = flow.vjpUnchecked(-s, y, w.minusV, yBar, thetaBar, fOut, rows, wantTime, w.inner);
        if (fOut != null) negate(fOut, n);
        return wantTime ? -tBar : 0.0;
    }

    @Override
    public int savedLength(int rows) {
        return flow.savedLength(rows);
    }

    @Override
    public void evaluateSaving(double s, double[] y, double[] out, double[] saved, int rows, FieldWorkspace ws) {
        flow.evaluateSaving(-s, y, out, saved, rows, inner(ws));
        negate(out, rows * dim());
    }

    @Override
    public void evaluateSavingUnchecked(double s, double[] y, double[] out, double[] saved, int rows,
                                        FieldWorkspace ws) {
        flow.evaluateSavingUnchecked(-s, y, out, saved, rows, ((Work) ws).inner);
        negate(out, rows * dim());
    }

    @Override
    public double vjpFromSaved(double s, double[] saved, double[] v, double[] yBar, double[] thetaBar, int rows,
                               boolean wantTime, FieldWorkspace ws) {
        Work w = checkedNegation(v, rows, ws);
        double tBar = flow.vjpFromSaved(-s, saved, w.minusV, yBar, thetaBar, rows, wantTime, w.inner);
        return wantTime ? -tBar : 0.0;
    }

    @Override
    public double vjpFromSavedUnchecked(double s, double[] saved, double[] v, double[] yBar, double[] thetaBar,
                                        int rows, boolean wantTime, FieldWorkspace ws) {
        Work w = (Work) ws;
        for (int i = 0; i < rows * dim(); i++) w.minusV[i] = -v[i];
        double tBar = flow.vjpFromSavedUnchecked(-s, saved, w.minusV, yBar, thetaBar, rows, wantTime, w.inner);
        return wantTime ? -tBar : 0.0;
    }

    /** The workspace, with −v in its buffer, after checking v and rows. */
    private Work checkedNegation(double[] v, int rows, FieldWorkspace ws) {
        inner(ws);
        Work w = (Work) ws;
        int n = rows * dim();
        if (rows < 0 || n > w.minusV.length) {
            throw new IllegalArgumentException("rows must be in [0, " + w.minusV.length / dim() + "], got " + rows);
        }
        if (v == null || v.length < n) {
            throw new IllegalArgumentException("v.length must be >= " + n + ", got " + (v == null ? "null" : v.length));
        }
        for (int i = 0; i < n; i++) w.minusV[i] = -v[i];
        return w;
    }

    private static void negate(double[] x, int n) {
        for (int i = 0; i < n; i++) x[i] = -x[i];
    }

    private static FieldWorkspace inner(FieldWorkspace ws) {
        if (!(ws instanceof Work w)) throw new IllegalArgumentException("ws must come from this field's newWorkspace");
        return w.inner;
    }

    @Override
    public String toString() {
        return "TimeReversedFlow[" + flow + "]";
    }

    private record Work(FieldWorkspace inner, double[] minusV) implements FieldWorkspace {}
}
