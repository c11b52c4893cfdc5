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
 * (chunk c holds windows c·chunkRows ..), or in at most {@code parts} chunks balanced by their estimated cost
 * ({@link BalancedSplit}, recomputed every call from the batch: by evaluating the field, or from the windows'
 * observations with {@link SplitEstimate#OBSERVED}), each chunk one solve and one gradient through its own
 * {@link GradientSession}, made when the chunk's shape is first seen and reused every iteration (a balanced chunk
 * keeps one session per size it has had). Chunks run on up to {@code threads} threads — the calling thread and a
 * {@link ThreadTeam} of persistent workers, the chunks c ≡ g (mod threads) as one group on one member, the calling
 * thread taking the group that cost most last call — and the loss and gradient are
 * then combined on the calling thread in chunk order, each chunk weighted by its share of the compared values, so the
 * result depends on the chunking and never on the thread count or scheduling. With one chunk (the default) the result
 * is {@link Gradients#compute}'s on the whole batch. Once every chunk's session has run (a balanced chunk: at each
 * size it gets), a call allocates nothing, on any number of threads.
 */
final class ChunkedBatchGradient implements BatchGradient {
    private final DifferentiableField field;
    private final OdeMethod method;
    private final SolveOptions options;
    private final GradientMethod gradientMethod;
    private final boolean absolute;
    private final int chunkRows;
    private final int parts;
    private final int threads;
    /** Balanced chunks cut by the windows' observations ({@link SplitEstimate#OBSERVED}) where they allow it. */
    private final boolean observedCut;
    private final long[] nfe = new long[2];
    private Chunk[] chunks = new Chunk[0];
    private double[] times = new double[0];
    private int size = -1;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private ThreadTeam team;
    private java.lang.ref.Cleaner.Cleanable teamCleanup;
    private BalancedSplit split;
    private TrajectoryDataset.Batch current;
    private final ThreadTeam.Region share = this::runShare;
    private final ThreadTeam.Region estimates = this::estimateShare;
    /** The group of chunks the calling thread runs (see {@link #runShare}), and the groups' last costs. */
    private int lead;
    private final long[] groupCost;

    /**
     * @param chunkRows windows per solve, or 0 for the whole batch in one solve (with {@code parts == 0})
     * @param parts     the most chunks balanced by cost, or 0 for fixed chunks of {@code chunkRows}
     */
    ChunkedBatchGradient(DifferentiableField field, OdeMethod method, SolveOptions options,
                         GradientMethod gradientMethod, boolean absolute, int chunkRows, int parts, int threads,
                         SplitEstimate estimate) {
        this.field = field;
        this.method = method;
        this.options = options;
        this.gradientMethod = gradientMethod;
        this.absolute = absolute;
        this.chunkRows = chunkRows;
        this.parts = parts;
        this.threads = threads;
        this.groupCost = new long[threads];
        this.observedCut = estimate == SplitEstimate.OBSERVED;
    }

    /**
     * One chunk of windows: its loss, session and initial states. A fixed chunk holds windows firstRow .. firstRow +
     * rows − 1; a balanced one the windows {@link #assign}ed to it, with a session and initial states per size.
     */
    private static final class Chunk {
        final ChunkedBatchGradient owner;
        final WindowLoss loss;
        int firstRow;
        int rows;
        GradientSession session;
        double[] y0;
        double value;
        /** Balanced chunks: the windows (null for a fixed chunk), and the sessions and y0 buffers by size. */
        int[] windows;
        GradientSession[] sessions;
        double[][] y0s;

        Chunk(ChunkedBatchGradient owner, TrajectoryDataset.Batch batch, int firstRow, int rows) {
            this.owner = owner;
            this.firstRow = firstRow;
            this.rows = rows;
            this.loss = new WindowLoss(owner.absolute);
            if (rows > 0) {
                this.y0 = new double[rows * batch.dim()];
                this.session = owner.newSession(batch, rows, loss);
            } else {
                this.windows = new int[batch.size()];
                this.sessions = new GradientSession[batch.size() + 1];
                this.y0s = new double[batch.size() + 1][];
            }
        }

        /** Makes this balanced chunk hold windows {@code order[from .. to − 1]} (0 of them: idle this call). */
        void assign(TrajectoryDataset.Batch batch, int[] order, int from, int to) {
            rows = to - from;
            if (rows == 0) return;
            System.arraycopy(order, from, windows, 0, rows);
            if (sessions[rows] == null) {
                sessions[rows] = owner.newSession(batch, rows, loss);
                y0s[rows] = new double[rows * batch.dim()];
            }
            session = sessions[rows];
            y0 = y0s[rows];
        }

        void run(TrajectoryDataset.Batch batch) {
            if (rows == 0) return;
            int dim = batch.dim();
            if (windows == null) {
                loss.bind(batch, firstRow, rows);
                System.arraycopy(batch.y0(), firstRow * dim, y0, 0, y0.length);
            } else {
                loss.bind(batch, windows, rows);
                for (int r = 0; r < rows; r++) System.arraycopy(batch.y0(), windows[r] * dim, y0, r * dim, dim);
            }
            value = session.compute(y0);
        }

        void close() {
            if (sessions == null) {
                session.close();
            } else {
                for (GradientSession s : sessions) if (s != null) s.close();
            }
        }
    }

    private GradientSession newSession(TrajectoryDataset.Batch batch, int rows, WindowLoss loss) {
        return Gradients.session(field, rows, batch.dim(), batch.times(), loss, method, options, gradientMethod, false);
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
        if (split != null) assignBalanced(batch);
        if (chunks.length == 1 || threads == 1) {
            for (Chunk c : chunks) c.run(batch);
        } else {
            runParallel(batch, share);
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
            if (c.rows == 0) continue;
            double w = (double) c.rows / size;
            loss += w * c.value;
            double[] g = c.session.dLdTheta();
            for (int j = 0; j < gradient.length; j++) gradient[j] += w * g[j];
            forward += c.session.forwardNfe();
            backward += c.session.backwardNfe();
        }
        nfeOut[0] = forward;
        nfeOut[1] = backward;
        if (threads > 1) lead = costliestGroup();
        return loss;
    }

    /**
     * Cuts {@code batch} by {@link BalancedSplit} (from the windows' observations on this thread, or by evaluating the
     * field with the estimate's blocks on the team, one region) and gives chunk g the g-th group (none to chunks
     * beyond the groups).
     */
    private void assignBalanced(TrajectoryDataset.Batch batch) {
        if (observedCut && BalancedSplit.observes(batch)) {
            split.splitObserved(batch);
        } else {
            split.prepare(batch);
            if (threads == 1 || split.blocks() == 1) {
                for (int b = 0; b < split.blocks(); b++) split.estimate(b);
            } else {
                runParallel(batch, estimates);
            }
            split.group();
        }
        int[] order = split.windows();
        for (int c = 0; c < chunks.length; c++) {
            if (c < split.groups()) chunks[c].assign(batch, order, split.start(c), split.end(c));
            else chunks[c].assign(batch, order, 0, 0);
        }
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

    private void runParallel(TrajectoryDataset.Batch batch, ThreadTeam.Region region) {
        if (team == null) {
            team = new ThreadTeam(threads, "panode-batch-gradient");
            teamCleanup = CLEANER.register(this, team::close); // stops the workers of a gradient dropped unclosed
        }
        current = batch;
        try {
            team.run(region);
        } finally {
            current = null;
        }
    }

    /**
     * Member {@code member}'s chunks: group g = (member + lead) mod threads, chunks c = g, g + threads, …. The calling
     * thread (member 0) runs the group that cost most last call, so it finishes last and finds the others done,
     * rather than waiting for a worker's signal after a cheaper group.
     */
    private void runShare(int member) {
        for (int c = (member + lead) % threads; c < chunks.length; c += threads) chunks[c].run(current);
    }

    /**
     * The group of chunks (c mod threads) whose last gradient cost most, in evaluations times rows plus an
     * evaluation's fixed part (about {@link #FIXED_ROWS} rows' worth).
     */
    private int costliestGroup() {
        Arrays.fill(groupCost, 0L);
        for (int c = 0; c < chunks.length; c++) {
            Chunk k = chunks[c];
            if (k.rows == 0) continue;
            long nfe = k.session.forwardNfe() + k.session.backwardNfe();
            groupCost[c % threads] += nfe * (k.rows + FIXED_ROWS);
        }
        int best = 0;
        for (int g = 1; g < threads; g++) if (groupCost[g] > groupCost[best]) best = g;
        return best;
    }

    /** An evaluation's cost independent of its rows, in rows (docs/BENCHMARKS.md §31.3: a ≈ 3 b). */
    private static final int FIXED_ROWS = 3;

    /** Member {@code member}'s blocks of the balanced split's estimate: b = member, member + threads, …. */
    private void estimateShare(int member) {
        for (int b = member; b < split.blocks(); b += threads) split.estimate(b);
    }

    /** The team's worker threads (none before the first parallel call), for allocation tests. */
    Thread[] workers() {
        return team == null ? new Thread[0] : team.workers();
    }

    private void rebuild(TrajectoryDataset.Batch batch) {
        for (Chunk c : chunks) c.close();
        times = batch.times().clone();
        size = batch.size();
        if (parts > 0) {
            split = new BalancedSplit(field, batch.dim(), method, options, parts);
            chunks = new Chunk[parts];
            for (int c = 0; c < parts; c++) chunks[c] = new Chunk(this, batch, 0, 0);
            return;
        }
        int per = chunkRows == 0 ? batch.size() : Math.min(chunkRows, batch.size());
        int count = (batch.size() + per - 1) / per;
        Chunk[] next = new Chunk[count];
        for (int c = 0; c < count; c++) {
            int first = c * per;
            next[c] = new Chunk(this, batch, first, Math.min(per, batch.size() - first));
        }
        chunks = next;
    }

    @Override
    public void close() {
        for (Chunk c : chunks) c.close();
        chunks = new Chunk[0];
        size = -1;
        if (teamCleanup != null) teamCleanup.clean();
        team = null;
        teamCleanup = null;
    }
}
