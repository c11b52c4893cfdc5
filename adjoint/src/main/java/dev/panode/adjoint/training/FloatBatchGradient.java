package dev.panode.adjoint.training;

import dev.panode.adjoint.gradients.BackpropF32;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpF32;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;
import java.util.Arrays;

/**
 * The float32 {@link BatchGradient} of {@link BatchGradients#meanAbsoluteErrorF32}: every call rounds the double
 * model's parameters (the optimiser's master copy) and the windows' initial states to float, solves the whole batch
 * as one float32 solve and differentiates it by {@link BackpropF32}, and widens ∂L/∂θ into the caller's array. The
 * window loss is {@link WindowLoss}, evaluated in double on the widened float states as every float gradient session
 * evaluates its loss. One session, made when the batch's shape is first seen; after that a call allocates nothing.
 */
final class FloatBatchGradient implements BatchGradient {
    private final Mlp field;
    private final MlpF32 model;
    private final OdeMethod method;
    private final SolveOptions options;
    private final WindowLoss loss;
    private final float[] thetaF;
    private final float[] dLdTheta;
    private final long[] nfe = new long[2];
    private BackpropF32 session;
    private float[] y0 = new float[0], dLdy0 = new float[0];
    private double[] times = new double[0];
    private int size = -1;

    FloatBatchGradient(Mlp field, OdeMethod method, SolveOptions options, boolean absolute) {
        this.field = field;
        this.model = MlpF32.of(field);
        this.method = method;
        this.options = options;
        this.loss = new WindowLoss(absolute);
        this.thetaF = model.parameters();
        this.dLdTheta = new float[thetaF.length];
    }

    @Override
    public Step compute(TrajectoryDataset.Batch batch, double[] gradient) {
        double l = computeLoss(batch, gradient, nfe);
        return new Step(l, nfe[0], nfe[1]);
    }

    @Override
    public double computeLoss(TrajectoryDataset.Batch batch, double[] gradient, long[] nfeOut) {
        ChunkedBatchGradient.checkCall(batch, gradient, thetaF.length, nfeOut);
        if (batch.size() != size || !Arrays.equals(batch.times(), times)) rebuild(batch);
        double[] theta = field.parameters();
        for (int i = 0; i < thetaF.length; i++) {
            float v = (float) theta[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("parameter " + i + " must be finite in float32, got " + theta[i]);
            }
            thetaF[i] = v;
        }
        double[] start = batch.y0();
        for (int i = 0; i < y0.length; i++) y0[i] = (float) start[i];
        loss.bind(batch);
        double l = session.computeInto(y0, batch.times(), loss, dLdy0, dLdTheta);
        for (int i = 0; i < gradient.length; i++) gradient[i] = dLdTheta[i];
        nfeOut[0] = session.lastForwardNfe();
        nfeOut[1] = session.lastBackwardNfe();
        return l;
    }

    private void rebuild(TrajectoryDataset.Batch batch) {
        session = BackpropF32.session(model, batch.size(), method, options);
        y0 = new float[batch.size() * batch.dim()];
        dLdy0 = new float[y0.length];
        times = batch.times().clone();
        size = batch.size();
    }
}
