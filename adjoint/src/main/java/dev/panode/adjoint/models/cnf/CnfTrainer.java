package dev.panode.adjoint.models.cnf;

import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.adjoint.training.Adam;
import dev.panode.adjoint.training.Optimizer;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;

/**
 * Maximum-likelihood training of a {@link FlowField} ({@link CnfField}, {@link HypernetworkCnfField}) on samples of a
 * {@link SampleSource} (e.g. a {@link ToyDensity}): each {@link #step()} draws a fresh batch and fresh probes, solves
 * the flow from the data (t = 0, or t_data) to the base (t = T, or t_base, earlier or later), and takes one Adam step
 * on the {@link FlowLikelihood} through a {@link GradientSession} (any gradient method; the seminorm adjoint by choice).
 * Nothing is allocated per step once the session is warm.
 *
 * <p>Cost per step: the forward solve's evaluations of the field (about (1 + M) passes of the network each, M = 1
 * probe for Hutchinson or D for the exact trace) plus the backward pass's VJPs (about three times that each).
 */
public final class CnfTrainer implements AutoCloseable {
    private final FlowField field;
    private final SampleSource data;
    private final int batch;
    private final SplitMix64 rng;
    private final GradientSession session;
    private final Optimizer.State adam;
    private final double[] y0;
    private long forwardNfe;
    private long backwardNfe;

    /**
     * @param field     the flow, trained in place (its {@link CnfField#parameters()})
     * @param data      where the batches come from (a {@link ToyDensity}, or any sampler of the field's D)
     * @param batch     samples per step, at most the field's probe rows for Hutchinson
     * @param timeLength T, the flow runs over [0, T]
     * @param loss      the likelihood (its base variance)
     * @param method    the solver, e.g. dopri5
     * @param options   its tolerances
     * @param gradient  the gradient method
     * @param learningRate Adam's
     * @param seed      of the batches and the probes
     * @throws IllegalArgumentException on an invalid argument (the message names it)
     */
    public CnfTrainer(FlowField field, SampleSource data, int batch, double timeLength, FlowLikelihood loss,
                      OdeMethod method, SolveOptions options, GradientMethod gradient, double learningRate, long seed) {
        this(field, data, batch, 0.0, checkedLength(timeLength), loss, method, options, gradient, learningRate, seed);
    }

    /**
     * A trainer whose flow runs from the data at {@code tData} to the base at {@code tBase}, either way round
     * (torchdiffeq's CNF example: from t = 10 to 0); the other arguments as in the constructor above.
     *
     * @throws IllegalArgumentException on an invalid argument (the message names it)
     */
    public CnfTrainer(FlowField field, SampleSource data, int batch, double tData, double tBase, FlowLikelihood loss,
                      OdeMethod method, SolveOptions options, GradientMethod gradient, double learningRate, long seed) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (data == null) throw new IllegalArgumentException("data must be non-null");
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (batch > field.probeRows()) {
            throw new IllegalArgumentException("batch must be at most the field's probe rows " + field.probeRows()
                    + ", got " + batch);
        }
        if (!Double.isFinite(tData)) throw new IllegalArgumentException("tData must be finite, got " + tData);
        if (!Double.isFinite(tBase) || tBase == tData) {
            throw new IllegalArgumentException("tBase must be finite and differ from tData " + tData + ", got " + tBase);
        }
        this.field = field;
        this.data = data;
        this.batch = batch;
        this.rng = new SplitMix64(seed);
        boolean backwards = tBase < tData;
        this.session = Gradients.session(backwards ? new TimeReversedFlow(field) : field, batch,
                backwards ? new double[] {-tData, -tBase} : new double[] {tData, tBase}, loss, method, options,
                gradient, false);
        this.adam = new Adam(learningRate).start(field.parameterCount());
        this.y0 = new double[batch * field.dim()];
    }

    private static double checkedLength(double timeLength) {
        if (!(timeLength > 0.0) || !Double.isFinite(timeLength)) {
            throw new IllegalArgumentException("timeLength must be finite and > 0, got " + timeLength);
        }
        return timeLength;
    }

    /** One iteration: a batch, new probes, the NLL and its gradient, an Adam step. Returns the batch NLL (nats). */
    public double step() {
        return step(1.0);
    }

    /**
     * {@link #step()} with Adam's learning rate scaled by {@code learningRateScale} (a schedule's factor, e.g.
     * {@link dev.panode.adjoint.training.LearningRateSchedule#cosine}).
     */
    public double step(double learningRateScale) {
        data.sampleInto(batch, rng, y0, 0, field.dim());
        field.resampleNoise(rng);
        double nll = session.compute(y0);
        adam.step(field.parameters(), session.dLdTheta(), learningRateScale);
        forwardNfe = session.forwardNfe();
        backwardNfe = session.backwardNfe();
        return nll;
    }

    /** Forward evaluations of the last step. */
    public long forwardNfe() {
        return forwardNfe;
    }

    /** Backward evaluations (VJPs) of the last step. */
    public long backwardNfe() {
        return backwardNfe;
    }

    /** The field being trained. */
    public FlowField field() {
        return field;
    }

    @Override
    public void close() {
        session.close();
    }
}
