package dev.panode.adjoint.gradients;

/**
 * One gradient method bound to one problem shape, made once per {@link GradientSession} and run once per gradient:
 * it owns the forward pass, the backward machinery and the off-heap stores, and writes its outputs into the same
 * arrays every time.
 */
abstract class GradientEngine implements AutoCloseable {
    final GradientProblem p;
    final ForwardPass fwd;
    final double[] dLdy0;
    final double[] dLdTheta;
    /** Null unless time gradients were asked for. */
    final double[] dLdTimes;
    long backwardNfe;
    long checkpointBytes;
    long stepsRecomputed;
    long backwardSteps;
    boolean stagesSaved;
    long savedStageBytes;

    GradientEngine(GradientProblem p, ForwardPass fwd) {
        this.p = p;
        this.fwd = fwd;
        this.dLdy0 = new double[p.n()];
        this.dLdTheta = new double[p.field().parameterCount()];
        this.dLdTimes = p.wantTime() ? new double[p.times().length] : null;
    }

    /** Runs the forward solve from the problem's current y0 and the backward pass; fills the outputs. */
    abstract void compute();

    /** Frees the off-heap memory; idempotent. */
    @Override
    public abstract void close();

    /** The loss of the last gradient. */
    double loss() {
        return fwd.loss;
    }

    /** y(t_i) of the last gradient. */
    double[][] states() {
        return fwd.states;
    }

    /** Field evaluations of the last forward solve. */
    long forwardNfe() {
        return fwd.nfe;
    }

    GradientStats stats() {
        return new GradientStats(fwd.nfe, backwardNfe, checkpointBytes, stepsRecomputed, fwd.steps.count(),
                backwardSteps, stagesSaved, savedStageBytes);
    }
}
