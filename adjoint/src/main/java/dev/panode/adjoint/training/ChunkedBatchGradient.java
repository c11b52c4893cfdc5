package dev.panode.adjoint.training;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.gradients.GradientSession;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;
import java.util.Arrays;

/**
 * The {@link BatchGradient} of {@link BatchGradients}: the batch's windows in fixed chunks of {@code chunkRows}
 * (chunk c holds windows c·chunkRows ..), each chunk one solve and one gradient through its own
 * {@link GradientSession}, made when the batch's shape is first seen and reused every iteration. Chunks run on up
 * to {@code threads} threads — the calling thread and a {@link ThreadTeam} of persistent workers, chunk c always on
 * member c mod threads — and the loss and gradient are then combined on the calling thread in chunk order, each
 * chunk weighted by its share of the compared values, so the result depends on the chunking and never on the thread
 * count or scheduling. With one chunk (the default) the result is {@link Gradients#compute}'s on the whole batch.
 * Once every chunk's session has run, a call allocates nothing, on any number of threads.
 */
final class ChunkedBatchGradient implements BatchGradient {
    private final DifferentiableField field;
    private final OdeMethod method;
    private final SolveOptions options;
    private final GradientMethod gradientMethod;
    private final boolean absolute;
    private final int chunkRows;
    private final int threads;
    private final long[] nfe = new long[2];
    private Chunk[] chunks = new Chunk[0];
    private double[] times = new double[0];
    private int size = -1;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private ThreadTeam team;
    private java.lang.ref.Cleaner.Cleanable teamCleanup;
    private TrajectoryDataset.Batch current;
    private final ThreadTeam.Region share = this::runShare;

    /** @param chunkRows windows per solve, or 0 for the whole batch in one solve */
    ChunkedBatchGradient(DifferentiableField field, OdeMethod method, SolveOptions options,
                         GradientMethod gradientMethod, boolean absolute, int chunkRows, int threads) {
        this.field = field;
        this.method = method;
        this.options = options;
        this.gradientMethod = gradientMethod;
        this.absolute = absolute;
        this.chunkRows = chunkRows;
        this.threads = threads;
    }

    /** One chunk of windows: its session, loss, initial states and outputs. */
    private static final class Chunk {
        final int firstRow;
        final int rows;
        final WindowLoss loss;
        final GradientSession session;
        final double[] y0;
        double value;

        Chunk(ChunkedBatchGradient owner, TrajectoryDataset.Batch batch, int firstRow, int rows) {
            this.firstRow = firstRow;
            this.rows = rows;
            this.loss = new WindowLoss(owner.absolute);
            this.y0 = new double[rows * batch.dim()];
            this.session = Gradients.session(owner.field, rows, batch.dim(), batch.times(), loss, owner.method,
                    owner.options, owner.gradientMethod, false);
        }

        void run(TrajectoryDataset.Batch batch) {
            loss.bind(batch, firstRow, rows);
            System.arraycopy(batch.y0(), firstRow * batch.dim(), y0, 0, y0.length);
            value = session.compute(y0);
        }
    }

    @Override
    public Step compute(TrajectoryDataset.Batch batch, double[] gradient) {
        double loss = computeLoss(batch, gradient, nfe);
        return new Step(loss, nfe[0], nfe[1]);
    }

    @Override
    public double computeLoss(TrajectoryDataset.Batch batch, double[] gradient, long[] nfeOut) {
        checkCall(batch, gradient, field.parameterCount(), nfeOut);
        if (batch.size() != size || !Arrays.equals(batch.times(), times)) rebuild(batch);
        if (chunks.length == 1 || threads == 1) {
            for (Chunk c : chunks) c.run(batch);
        } else {
            runParallel(batch);
        }
        if (chunks.length == 1) {
            Chunk c = chunks[0];
            System.arraycopy(c.session.dLdTheta(), 0, gradient, 0, gradient.length);
            nfeOut[0] = c.session.forwardNfe();
            nfeOut[1] = c.session.backwardNfe();
            return c.value;
        }
        Arrays.fill(gradient, 0.0);
        double loss = 0.0;
        long forward = 0, backward = 0;
        for (Chunk c : chunks) {
            double w = (double) c.rows / size;
            loss += w * c.value;
            double[] g = c.session.dLdTheta();
            for (int j = 0; j < gradient.length; j++) gradient[j] += w * g[j];
            forward += c.session.forwardNfe();
            backward += c.session.backwardNfe();
        }
        nfeOut[0] = forward;
        nfeOut[1] = backward;
        return loss;
    }

    /** The argument checks of a {@link BatchGradient} call with {@code parameters} parameters. */
    static void checkCall(TrajectoryDataset.Batch batch, double[] gradient, int parameters, long[] nfeOut) {
        if (batch == null) throw new IllegalArgumentException("batch must be non-null");
        if (gradient == null || gradient.length != parameters) {
            throw new IllegalArgumentException("gradient.length must be " + parameters + ", got "
                    + (gradient == null ? null : gradient.length));
        }
        if (nfeOut == null || nfeOut.length < 2) throw new IllegalArgumentException("nfe must have length >= 2");
    }

    private void runParallel(TrajectoryDataset.Batch batch) {
        if (team == null) {
            team = new ThreadTeam(threads, "panode-batch-gradient");
            teamCleanup = CLEANER.register(this, team::close); // stops the workers of a gradient dropped unclosed
        }
        current = batch;
        try {
            team.run(share);
        } finally {
            current = null;
        }
    }

    /** Member {@code member}'s chunks: c = member, member + threads, …. */
    private void runShare(int member) {
        for (int c = member; c < chunks.length; c += threads) chunks[c].run(current);
    }

    /** The team's worker threads (none before the first parallel call), for allocation tests. */
    Thread[] workers() {
        return team == null ? new Thread[0] : team.workers();
    }

    private void rebuild(TrajectoryDataset.Batch batch) {
        for (Chunk c : chunks) c.session.close();
        int per = chunkRows == 0 ? batch.size() : Math.min(chunkRows, batch.size());
        int count = (batch.size() + per - 1) / per;
        Chunk[] next = new Chunk[count];
        for (int c = 0; c < count; c++) {
            int first = c * per;
            next[c] = new Chunk(this, batch, first, Math.min(per, batch.size() - first));
        }
        chunks = next;
        times = batch.times().clone();
        size = batch.size();
    }

    @Override
    public void close() {
        for (Chunk c : chunks) c.session.close();
        chunks = new Chunk[0];
        size = -1;
        if (teamCleanup != null) teamCleanup.clean();
        team = null;
        teamCleanup = null;
    }
}
