package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.models.SplitMix64;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.OdeProblem;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;

/**
 * What a trained flow is used for, each by solves of an exact-trace copy of a {@link CnfField} over [0, T] (data at
 * 0, base at T): log-densities of points (forward solves), samples (backward solves from base draws), and the density
 * the flow carries at an intermediate time τ (solves from τ to T). Rows go through in chunks of {@link #CHUNK}. These
 * allocate their results and one solver workspace; they are not for inner loops.
 */
public final class FlowSolves {
    /** Rows per solve. */
    public static final int CHUNK = 2048;

    private final CnfField exact;
    private final double timeLength;
    private final FlowLikelihood base;
    private final OdeMethod method;
    private final SolveOptions options;
    private final SolverWorkspace workspace = new SolverWorkspace();

    /**
     * @param field      the trained flow (its parameters are copied; an exact-trace copy is solved)
     * @param timeLength T
     * @param base       the base density
     * @param method     the solver
     * @param options    its tolerances (no saveAt)
     */
    public FlowSolves(CnfField field, double timeLength, FlowLikelihood base, OdeMethod method, SolveOptions options) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (base == null) throw new IllegalArgumentException("base must be non-null");
        if (!(timeLength > 0.0) || !Double.isFinite(timeLength)) {
            throw new IllegalArgumentException("timeLength must be finite and > 0, got " + timeLength);
        }
        this.exact = field.withParameters(field.parameters(), TraceEstimator.EXACT, 1);
        this.timeLength = timeLength;
        this.base = base;
        this.method = method;
        this.options = options;
    }

    /** log p(x) of n points ({@code n × D}), exact trace. */
    public double[] logDensity(double[] points, int n) {
        return logDensityAt(0.0, points, n);
    }

    /**
     * log p_τ(x) of n points, where p_τ is the density the flow has carried the base to at time τ ∈ [0, T]
     * (p_T is the base, p_0 the model): solved from τ to T.
     */
    public double[] logDensityAt(double tau, double[] points, int n) {
        if (!(tau >= 0.0 && tau <= timeLength)) {
            throw new IllegalArgumentException("tau must be in [0, " + timeLength + "], got " + tau);
        }
        int d = exact.dataDim(), d1 = d + 1;
        double[] out = new double[n];
        if (tau == timeLength) {
            for (int r = 0; r < n; r++) out[r] = base.logBase(points, r * d, d);
            return out;
        }
        for (int start = 0; start < n; start += CHUNK) {
            int rows = Math.min(CHUNK, n - start);
            double[] y0 = new double[rows * d1];
            for (int r = 0; r < rows; r++) System.arraycopy(points, (start + r) * d, y0, r * d1, d);
            double[] end = solve(y0, rows, tau, timeLength);
            for (int r = 0; r < rows; r++) out[start + r] = base.logBase(end, r * d1, d) - end[r * d1 + d];
        }
        return out;
    }

    /** The mean negative log-likelihood of n points (nats). */
    public double negativeLogLikelihood(double[] points, int n) {
        double[] lp = logDensity(points, n);
        double s = 0.0;
        for (double v : lp) s -= v;
        return s / n;
    }

    /** n samples of the model: base draws carried from T back to τ ({@code n × D}); τ = 0 gives the model's. */
    public double[] sample(int n, SplitMix64 rng, double tau) {
        int d = exact.dataDim(), d1 = d + 1;
        double sd = Math.sqrt(base.baseVariance());
        double[] out = new double[n * d];
        for (int start = 0; start < n; start += CHUNK) {
            int rows = Math.min(CHUNK, n - start);
            double[] y0 = new double[rows * d1];
            for (int r = 0; r < rows; r++) for (int i = 0; i < d; i++) y0[r * d1 + i] = sd * rng.gaussian();
            double[] end = tau == timeLength ? y0 : solve(y0, rows, timeLength, tau);
            for (int r = 0; r < rows; r++) System.arraycopy(end, r * d1, out, (start + r) * d, d);
        }
        return out;
    }

    private double[] solve(double[] y0, int rows, double from, double to) {
        OdeProblem<CnfField> p = OdeProblem.batch(exact, y0, rows, from, to);
        return Solver.solve(p, method, options, workspace).lastState();
    }
}
