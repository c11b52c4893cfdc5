package dev.panode.adjoint.training;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.VectorField;

/**
 * A batch's windows cut into at most {@code parts} groups of about equal estimated cost, for solving each group on its
 * own thread. A window's steps are estimated from the solver's own initial-step rule (Hairer, Nørsett and Wanner I
 * §II.4; torchdiffeq's {@code _select_initial_step}) applied to that window's row alone: with the window's scaled
 * norms d0 = ‖y0‖, d1 = ‖f(t0, y0)‖, h0 = 0.01·d0/d1 and d2 = ‖f(t0, y0 + h0·f0) − f0‖/h0, the step
 * h = min(100·h0, (0.01/max(d1, d2))^(1/(q+1))) for the method's error order q, and the window's cost is 1/h steps
 * (all windows share the batch's time span). The windows are ordered by that cost, hardest first (ties by index);
 * a group is a run of that order, and since one solve takes the steps its hardest row needs, a group of m windows
 * costs its first window's steps times ({@value #FIXED_COST_ROWS} + {@link #rowCost}(m)): each evaluation's fixed part
 * counts as that many rows, and the rows are priced as the dense kernels run them, in tiles of {@value #ROW_TILE}
 * (the rows of a partial tile cost more each, up to a whole tile: 7 rows cost what 8 do). The groups minimise the
 * largest group's cost (each group as long as a limit allows, the limit lowered to just below the largest group's
 * cost until no grouping fits).
 * With a fixed step (the controller's {@code fixedStep} is a number) every window costs the same and the groups are
 * cut by their rows alone.
 *
 * <p>Group sizes are multiples of the grain ⌈n/32⌉ (the last group takes what is left), so a caller that keeps one
 * gradient session per group size keeps at most 32 per group. The estimate runs in min(parts, n) fixed blocks of
 * rows, which may go to different threads ({@link #prepare}, {@link #estimate} per block, then {@link #group});
 * each block writes only buffers of its own (no cache line is written by two blocks), and the result is a function
 * of the batch and the field's parameters only, never of the blocks or of which thread estimated which block.
 * Cost: two field evaluations of the whole batch (split over the blocks), a Shell sort of the n windows and a few
 * greedy passes over at most {@code parts} groups; nothing is allocated unless the batch size changes. The estimate
 * sees only each window's first step (and counts steps in proportion to 1/h, while a solve takes whole steps); the
 * field's time argument is t0 in both evaluations (exact for an autonomous field). When not to use: when every window
 * needs about the same steps (equal chunks do as well without the two evaluations).
 *
 * <p>{@link #splitObserved} takes the costs from the windows' observations instead ({@link ObservedSteps}: the same
 * rule with the data's difference quotients for the two evaluations), on the calling thread, then orders and groups
 * them as above: no evaluation, no blocks, the costs a function of the batch's data and the tolerances alone.
 */
final class BalancedSplit {
    /** An evaluation's fixed cost in rows (the 2 → 50 → 2 MLP of the demo: about 0.3 µs against 0.07 µs a row). */
    static final double FIXED_COST_ROWS = 4.0;
    /** The rows the dense layer kernels compute together (the micro-kernels' and dot products' row tile). */
    static final int ROW_TILE = 4;
    /**
     * What a row of a partial tile costs, in rows of a whole one (the remaining rows run one at a time). Measured on
     * the demo's gradients, docs/BENCHMARKS.md §58: 1, 2 and 3 rows beyond a whole tile cost about 1.5, 2.8 and 4.4
     * rows' worth.
     */
    static final double PARTIAL_TILE_ROW = 1.5;
    /** Longs between one block's buffers and the next's: two 64-byte lines. */
    private static final int GAP_LONGS = 16;
    /** At most this many group sizes. */
    private static final int SIZES = 32;

    private final VectorField field;
    private final int dim;
    private final int order;
    private final boolean fixedStep;
    private final double atol, rtol;
    private final double[] atolVec, rtolVec;
    private final int parts;

    private final ObservedSteps observed;
    private int size = -1;
    private double t0;
    private TrajectoryDataset.Batch batch;
    private Block[] blocks = new Block[0];
    private double[] cost;
    private int[] windows;
    private final int[] bounds;
    private int groups;
    /** The costliest group's cost at the last {@link #fill}. */
    private double largest;

    /**
     * @param field   the model the windows are solved with
     * @param dim     the state dimension
     * @param method  the solver (its error order enters the step rule)
     * @param options the solve's tolerances and controller
     * @param parts   the most groups, ≥ 1; the estimate runs in as many blocks of rows
     */
    BalancedSplit(VectorField field, int dim, OdeMethod method, SolveOptions options, int parts) {
        this.field = field;
        this.dim = dim;
        this.order = method.errorOrder();
        this.fixedStep = !Double.isNaN(options.controller().fixedStep(0.0, 1.0)) || order <= 0;
        this.atol = options.atol();
        this.rtol = options.rtol();
        this.atolVec = options.atolPerComponent();
        this.rtolVec = options.rtolPerComponent();
        this.parts = parts;
        this.bounds = new int[parts + 1];
        this.observed = new ObservedSteps(this, dim);
    }

    /** Orders and groups {@code batch}'s windows on this thread: {@link #prepare}, every block, {@link #group}. */
    void split(TrajectoryDataset.Batch batch) {
        prepare(batch);
        for (int b = 0; b < blocks(); b++) estimate(b);
        group();
    }

    /**
     * Binds {@code batch} for the {@link #estimate}s that follow (allocating only when its size changed). The
     * estimates of different blocks may then run on different threads, each block on one; {@link #group} after all.
     */
    void prepare(TrajectoryDataset.Batch batch) {
        int n = batch.size();
        if (n != size) resize(n);
        this.batch = batch;
        this.t0 = batch.times()[0];
    }

    /** The blocks of rows the estimate runs in: min(parts, n), fixed by the batch size alone. */
    int blocks() {
        return blocks.length;
    }

    /** The estimated steps of block {@code b}'s windows (two evaluations of its rows). */
    void estimate(int b) {
        Block k = blocks[b];
        if (fixedStep) {
            java.util.Arrays.fill(k.steps, 1.0);
            return;
        }
        k.estimate(this, batch.y0());
    }

    /** Orders the windows by the estimates and cuts them into groups (after every block's {@link #estimate}). */
    void group() {
        for (Block k : blocks) System.arraycopy(k.steps, 0, cost, k.first, k.rows);
        cut();
    }

    /**
     * True when {@link #splitObserved} applies to {@code batch}: its windows hold at least
     * {@value ObservedSteps#OBSERVATIONS} observations (the cubic of {@link ObservedSteps}).
     */
    static boolean observes(TrajectoryDataset.Batch batch) {
        return batch.windowLength() >= ObservedSteps.OBSERVATIONS;
    }

    /**
     * Orders and groups {@code batch}'s windows by {@link ObservedSteps}' estimate from their observations, on this
     * thread, with no field evaluation: the costs are a function of the batch's data and the tolerances alone. Needs
     * {@link #observes}(batch).
     */
    void splitObserved(TrajectoryDataset.Batch batch) {
        prepare(batch);
        if (fixedStep) java.util.Arrays.fill(cost, 1.0);
        else observed.estimate(batch, cost);
        cut();
    }

    /** Orders the windows by {@link #cost} and cuts them into groups. */
    private void cut() {
        int n = size;
        for (int i = 0; i < n; i++) windows[i] = i;
        sortByCost(n);
        int grain = (n + SIZES - 1) / SIZES;
        // the largest cost is some group's cost: the greedy groups under a limit, then under just less than their
        // largest cost, until no grouping fits (a few passes, where a bisection to 1e-6 took about twenty)
        double limit = cost[windows[0]] * (FIXED_COST_ROWS + rowCost(n));
        fill(limit, n, grain);
        while (true) {
            double below = largest * (1.0 - 1e-9);
            if (fill(below, n, grain) > parts) break;
            limit = below;
        }
        groups = fill(limit, n, grain);
    }

    /**
     * What {@code m} rows cost in one evaluation, in rows of a whole tile: the whole tiles' rows, plus
     * {@value #PARTIAL_TILE_ROW} per row of a partial tile but never more than a whole tile. Non-decreasing in m.
     */
    static double rowCost(int m) {
        int whole = m / ROW_TILE * ROW_TILE;
        return whole + Math.min(ROW_TILE, PARTIAL_TILE_ROW * (m - whole));
    }

    /** The number of groups of the last split (≤ parts). */
    int groups() {
        return groups;
    }

    /** Windows in cost order, hardest first; group g is positions {@link #start}(g) .. {@link #end}(g) − 1. */
    int[] windows() {
        return windows;
    }

    int start(int group) {
        return bounds[group];
    }

    int end(int group) {
        return bounds[group + 1];
    }

    /** The estimated steps of window {@code w} at the last split (1/h of its initial step), for tests. */
    double cost(int w) {
        return cost[w];
    }

    private void resize(int n) {
        size = n;
        cost = new double[n];
        observed.resize(n);
        windows = new int[n];
        blocks = new Block[Math.min(parts, n)];
        for (int b = 0; b < blocks.length; b++) {
            int first = (int) ((long) b * n / blocks.length), last = (int) ((long) (b + 1) * n / blocks.length);
            blocks[b] = new Block(field, first, last - first, dim);
        }
    }

    /** A block of rows and its evaluation buffers (one thread at a time). */
    private static final class Block {
        final int first, rows;
        final FieldWorkspace workspace;
        final double[] y0, f0, y1, f1;
        /** Per component of the block: the error scale atol + rtol·|y0|; per row: d1 = ‖f0‖. */
        final double[] scale, d1;
        /** Per row: h0, then the estimated steps (copied into the split's costs by {@link #group}). */
        final double[] steps;
        /** Allocated first: keeps the previous block's buffers (another thread's) off this block's cache lines. */
        final long[] gap;

        Block(VectorField field, int first, int rows, int dim) {
            this.gap = new long[GAP_LONGS];
            this.first = first;
            this.rows = rows;
            this.workspace = field.newWorkspace(rows);
            this.y0 = new double[rows * dim];
            this.f0 = new double[rows * dim];
            this.y1 = new double[rows * dim];
            this.f1 = new double[rows * dim];
            this.scale = new double[rows * dim];
            this.d1 = new double[rows];
            this.steps = new double[rows];
        }

        void estimate(BalancedSplit s, double[] batchY0) {
            int dim = s.dim;
            double[] h0 = steps; // h0 per row, then the row's estimated steps
            System.arraycopy(batchY0, first * dim, y0, 0, y0.length);
            for (int i = 0, j = 0; i < y0.length; i++, j = j + 1 == dim ? 0 : j + 1) scale[i] = s.scale(j, y0[i]);
            workspace.holdParameters();
            try {
                s.field.evaluate(s.t0, y0, f0, rows, workspace);
                for (int r = 0; r < rows; r++) {
                    double d0 = s.rowNorm(y0, null, r, scale), n1 = s.rowNorm(f0, null, r, scale);
                    d1[r] = n1;
                    double h = s.firstGuess(d0, n1);
                    h0[r] = h;
                    for (int j = r * dim; j < (r + 1) * dim; j++) y1[j] = y0[j] + h * f0[j];
                }
                s.field.evaluate(s.t0, y1, f1, rows, workspace);
            } finally {
                workspace.releaseParameters();
            }
            for (int r = 0; r < rows; r++) h0[r] = s.steps(h0[r], d1[r], s.rowNorm(f1, f0, r, scale) / h0[r]);
        }
    }

    /** The rule's first guess h0 = 0.01·d0/d1 (10⁻⁶ when either norm is below 10⁻⁵). */
    double firstGuess(double d0, double d1) {
        return (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    }

    /**
     * The estimated steps 1/h of the rule's step h = min(100·h0, (0.01/max(d1, d2))^(1/(q+1))), from its first guess
     * h0 and the scaled norms d1 = ‖y′‖ and d2 = ‖y″‖.
     */
    double steps(double h0, double d1, double d2) {
        double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? Math.max(1e-6, h0 * 1e-3)
                : Math.pow(0.01 / Math.max(d1, d2), 1.0 / (order + 1));
        double h = Math.min(100 * h0, h1);
        return 1.0 / (Double.isFinite(h) && h > 0 ? h : 1e-6);
    }

    /** The error scale atol + rtol·|y| of component {@code j} at value {@code y}. */
    double scale(int j, double y) {
        return (atolVec == null ? atol : atolVec[j]) + (rtolVec == null ? rtol : rtolVec[j]) * Math.abs(y);
    }

    /**
     * The RMS of row r of v − minus (of v when {@code minus} is null), each component divided by its error scale
     * atol + rtol·|y0| ({@code scale}, per component where the options give vectors).
     */
    double rowNorm(double[] v, double[] minus, int r, double[] scale) {
        double sum = 0.0;
        for (int j = 0; j < dim; j++) {
            int i = r * dim + j;
            double x = (minus == null ? v[i] : v[i] - minus[i]) / scale[i];
            sum += x * x;
        }
        return Math.sqrt(sum / dim);
    }

    /** Shell sort of {@code windows} by cost descending, then index ascending: a total order, so the same bits. */
    private void sortByCost(int n) {
        for (int gap = n / 2; gap > 0; gap /= 2) {
            for (int i = gap; i < n; i++) {
                int w = windows[i];
                int j = i;
                while (j >= gap && before(w, windows[j - gap])) {
                    windows[j] = windows[j - gap];
                    j -= gap;
                }
                windows[j] = w;
            }
        }
    }

    private boolean before(int a, int b) {
        return cost[a] > cost[b] || (cost[a] == cost[b] && a < b);
    }

    /**
     * Fills {@code bounds} greedily under the largest cost {@code limit}; the number of groups (parts + 1: too many),
     * and in {@link #largest} the costliest group's cost.
     */
    private int fill(double limit, int n, int grain) {
        int start = 0, g = 0;
        bounds[0] = 0;
        largest = 0.0;
        while (start < n) {
            if (g == parts) return parts + 1;
            int left = n - start;
            double room = limit / cost[windows[start]] - FIXED_COST_ROWS;
            int m;
            if (rowCost(left) <= room) {
                m = left;
            } else {
                m = (int) Math.min(room, left); // rowCost(m) ≥ m
                m -= m % grain;
                while (m > 0 && rowCost(m) > room) m -= grain;
                if (m < Math.min(grain, left)) return parts + 1;
            }
            largest = Math.max(largest, cost[windows[start]] * (FIXED_COST_ROWS + rowCost(m)));
            start += m;
            bounds[++g] = start;
        }
        return g;
    }
}
