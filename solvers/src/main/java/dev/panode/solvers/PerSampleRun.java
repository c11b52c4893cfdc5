package dev.panode.solvers;

import dev.panode.simd.StateKernels;
import dev.panode.solvers.PerSampleSolver.Packing;

/**
 * One per-sample solve (see {@link PerSampleSolver}), reusable: {@link #prepare} sets up the next solve in buffers
 * that grow to the largest batch, save grid and state seen and are then kept, so that a solve through a
 * {@link PerSampleWorkspace} allocates nothing once the workspace has seen its size (and a round of steps never
 * allocates). Per sample r: state {@code y[r·dim..]}, its first stage {@code k0[r·dim..]}, time, step, controller
 * history and counters. Per round the running rows are packed into slots (row r goes to slot j of the packed block,
 * or to slot r when masking) of the Runge–Kutta workspace.
 */
final class PerSampleRun {
    private static final double[] NO_STOPS = new double[0];

    private final CountingField field = new CountingField();
    private int rows, dim;
    private RungeKutta method;
    private SolveOptions o;
    private Packing packing;
    private RkWorkspace rk;
    /** The field {@link #rk}'s field workspace was made for. */
    private RowTimeField rkField;
    private ErrorNorm norm;
    private StepSizeController ctrl;
    private boolean adaptive, fsal, needsEnd;
    private int s;

    // per sample (capacity: the largest batch so far)
    private StepControl[] control = new StepControl[0];
    private double[] t0 = new double[0], t1 = t0, dir = t0, h0 = t0;
    /** The options' per-component tolerances (or null), and row copies of them when given per row. */
    private double[] atolVec, rtolVec;
    private boolean perComponent;
    private double[][] atolOwn = new double[0][], rtolOwn = atolOwn, saveTimes = atolOwn, outTimes = atolOwn,
            outStates = atolOwn;
    private long[] nfe = new long[0], accepted = nfe, rejected = nfe;
    private int[] outCount = new int[0], saveIdx = outCount;
    private boolean[] active = new boolean[0], k0Valid = active, endValid = active;
    private Result[] result = new Result[0];
    private String[] message = new String[0];
    private int running;
    // state, full layout (capacity: the largest rows × dim so far)
    private double[] y = new double[0], k0 = y, initial = y;
    // packed block
    private int[] list = new int[0], subRow = list, subSlot = list;
    private double[] ratioRow = new double[0], d1Row = ratioRow;
    private double[] yc = ratioRow, ycOut = ratioRow, errc = ratioRow, tRows = ratioRow, hRows = ratioRow,
            tStage = ratioRow, subIn = ratioRow, subOut = ratioRow, subT = ratioRow;
    private double[] eRow = ratioRow, aRow = ratioRow, bRow = ratioRow;
    private PerSampleSolution solution;

    /**
     * Sets up the solve of every sample r from {@code t0[r]} to {@code t1[r]} (arguments validated by
     * {@link PerSampleSolver}); allocates only what outgrows the buffers of earlier solves.
     */
    PerSampleRun prepare(RowTimeField field, double[] y0, int rows, int dim, double[] t0, double[] t1,
                         double[][] saveTimes, RungeKutta method, SolveOptions o, Packing packing) {
        this.field.reset(field);
        this.rows = rows;
        this.dim = dim;
        this.method = method;
        this.o = o;
        this.packing = packing;
        if (rk == null || rk.method() != method || rkField != field || rk.dim() != dim || rk.maxRows() < rows) {
            rk = method.newWorkspace(field, rows, dim);
            rkField = field;
        }
        this.norm = o.errorNorm();
        this.ctrl = o.controller();
        this.adaptive = ctrl.isAdaptive();
        this.s = method.tableau().stages();
        this.fsal = method.tableau().isFsal();
        this.needsEnd = method.interpolant().usesEndDerivative();
        reserve(rows, dim);
        System.arraycopy(t0, 0, this.t0, 0, rows);
        System.arraycopy(t1, 0, this.t1, 0, rows);
        atolVec = o.atolVecView();
        rtolVec = o.rtolVecView();
        perComponent = atolVec != null || rtolVec != null;
        if (perComponent) {
            fillRows(atolVec, o.atol(), atolOwn);
            fillRows(rtolVec, o.rtol(), rtolOwn);
        }
        double[] shared = o.saveAt().timesView();
        for (int r = 0; r < rows; r++) {
            dir[r] = t1[r] > t0[r] ? 1.0 : -1.0;
            control[r].configure(ctrl, method.errorOrder(), o);
            this.saveTimes[r] = saveTimes != null ? saveTimes[r] : shared;
            int cap = this.saveTimes[r] == null ? 1 : this.saveTimes[r].length;
            if (outTimes[r] == null || outTimes[r].length < cap) outTimes[r] = new double[cap];
            if (outStates[r] == null || outStates[r].length < cap * dim) outStates[r] = new double[cap * dim];
            nfe[r] = 0;
            outCount[r] = 0;
            saveIdx[r] = 0;
            k0Valid[r] = false;
            endValid[r] = false;
            result[r] = null;
            message[r] = null;
        }
        System.arraycopy(y0, 0, y, 0, rows * dim);
        System.arraycopy(y0, 0, initial, 0, rows * dim);
        return this;
    }

    /** Grows the buffers to hold {@code rows} samples of dimension {@code dim}. */
    private void reserve(int rows, int dim) {
        int n = rows * dim;
        if (y.length < n) {
            y = new double[n];
            initial = new double[n];
            k0 = new double[n];
            yc = new double[n];
            ycOut = new double[n];
            errc = new double[n];
            subIn = new double[n];
            subOut = new double[n];
        }
        if (eRow.length != dim) {
            eRow = new double[dim];
            aRow = new double[dim];
            bRow = new double[dim];
            atolOwn = new double[control.length][];
            rtolOwn = new double[control.length][];
            outStates = new double[control.length][];
        }
        if (control.length < rows) {
            int old = control.length;
            control = java.util.Arrays.copyOf(control, rows);
            for (int r = old; r < rows; r++) control[r] = new StepControl();
            t0 = new double[rows];
            t1 = new double[rows];
            dir = new double[rows];
            h0 = new double[rows];
            atolOwn = java.util.Arrays.copyOf(atolOwn, rows);
            rtolOwn = java.util.Arrays.copyOf(rtolOwn, rows);
            saveTimes = new double[rows][];
            outTimes = java.util.Arrays.copyOf(outTimes, rows);
            outStates = java.util.Arrays.copyOf(outStates, rows);
            nfe = new long[rows];
            accepted = new long[rows];
            rejected = new long[rows];
            outCount = new int[rows];
            saveIdx = new int[rows];
            active = new boolean[rows];
            k0Valid = new boolean[rows];
            endValid = new boolean[rows];
            result = new Result[rows];
            message = new String[rows];
            list = new int[rows];
            subRow = new int[rows];
            subSlot = new int[rows];
            ratioRow = new double[rows];
            d1Row = new double[rows];
            tRows = new double[rows];
            hRows = new double[rows];
            tStage = new double[rows];
            subT = new double[rows];
        }
    }

    /**
     * Per-row tolerances into {@code own}, one row each: row r of a {@code rows × dim} vector, or the scalar
     * broadcast when only the other tolerance is given per component (as {@link Solver} does); nothing to do for a
     * vector of length dim, which every row shares.
     */
    private void fillRows(double[] v, double scalar, double[][] own) {
        if (v != null && v.length == dim) return;
        for (int r = 0; r < rows; r++) {
            if (own[r] == null) own[r] = new double[dim];
            if (v == null) java.util.Arrays.fill(own[r], scalar);
            else System.arraycopy(v, r * dim, own[r], 0, dim);
        }
    }

    /** Sample r's tolerances per component, or null when both tolerances are scalars. */
    private double[] toleranceRow(double[] v, double[][] own, int r) {
        return !perComponent ? null : v != null && v.length == dim ? v : own[r];
    }

    /** Runs the prepared solve; the solution is a new one. */
    PerSampleSolution run() {
        solve();
        return new PerSampleSolution(rows, dim, outTimes, outStates, outCount, nfe, accepted, rejected, result,
                message, field.calls, field.rowsEvaluated);
    }

    /** Runs the prepared solve into this run's one solution, which the next solve through this run overwrites. */
    PerSampleSolution runIntoView() {
        solve();
        if (solution == null) solution = new PerSampleSolution();
        solution.set(rows, dim, outTimes, outStates, outCount, nfe, accepted, rejected, result, message, field.calls,
                field.rowsEvaluated);
        return solution;
    }

    private void solve() {
        // the parameters cannot change during the solve: the field checks what it derived from them once
        rk.fieldWs.holdParameters();
        try {
            start();
            while (running > 0) round();
        } finally {
            rk.fieldWs.releaseParameters();
        }
        for (int r = 0; r < rows; r++) {
            accepted[r] = control[r].accepted();
            rejected[r] = control[r].rejected();
            control[r].release();
        }
        // a reused run keeps none of the caller's objects alive
        java.util.Arrays.fill(saveTimes, 0, rows, null);
        field.release();
        o = null;
        norm = null;
        ctrl = null;
        atolVec = null;
        rtolVec = null;
    }

    // ---------------------------------------------------------------- start: f(t0, y0), save, initial step

    private void start() {
        java.util.Arrays.fill(active, 0, rows, true);
        running = rows;
        System.arraycopy(t0, 0, tRows, 0, rows);
        field.evaluateRowsUnchecked(tRows, y, k0, rows, rk.fieldWs);
        for (int r = 0; r < rows; r++) {
            nfe[r]++;
            k0Valid[r] = true;
            if (!StateKernels.allFinite(k0, r * dim, dim)) {
                control[r].fail(Result.NONFINITE_STATE, "f(t0, y0) is not finite at t0 = " + t0[r]);
                finishRow(r);
                continue;
            }
            saveStart(r);
        }
        if (running == 0) return;
        if (adaptive && Double.isNaN(o.dt0())) initialSteps();
        for (int r = 0; r < rows; r++) {
            if (!active[r]) continue;
            if (!adaptive) h0[r] = ctrl.fixedStep(t0[r], t1[r]);
            else if (!Double.isNaN(o.dt0())) h0[r] = o.dt0();
            control[r].start(t0[r], t1[r], h0[r], NO_STOPS);
        }
    }

    /** {@link StepControl#initialGuess} and {@link StepControl#initialStep} per row, with one packed evaluation. */
    private void initialSteps() {
        int m = 0;
        for (int r = 0; r < rows; r++) {
            if (!active[r]) continue;
            int off = r * dim;
            double d0 = rowNorm(y, off, y, off, y, off, r);
            double d1 = rowNorm(k0, off, y, off, y, off, r);
            double h = StepControl.initialGuess(d0, d1);
            h0[r] = h;
            d1Row[r] = d1;
            double sh = dir[r] * h;
            int slot = slot(m, r);
            for (int i = 0; i < dim; i++) subIn[slot * dim + i] = y[off + i] + sh * k0[off + i];
            subT[slot] = t0[r] + sh;
            list[m++] = r;
        }
        field.evaluateRowsUnchecked(subT, subIn, subOut, evaluated(m), rk.fieldWs);
        for (int j = 0; j < m; j++) {
            int r = list[j], off = r * dim, so = slot(j, r) * dim;
            nfe[r]++;
            for (int i = 0; i < dim; i++) subIn[so + i] = subOut[so + i] - k0[off + i];
            double h = h0[r];
            double d2 = rowNorm(subIn, so, y, off, y, off, r) / h;
            h0[r] = StepControl.initialStep(h, d1Row[r], d2, method.errorOrder());
        }
    }

    // ---------------------------------------------------------------- one round: every running sample attempts a step

    private void round() {
        // 1. each sample chooses its step
        int m = 0;
        for (int r = 0; r < rows; r++) {
            if (!active[r]) continue;
            if (!control[r].propose()) {
                finishRow(r);
                continue;
            }
            list[m++] = r;
        }
        if (m == 0) return;

        // 2. k0 for samples whose last step was accepted without an end derivative (non-FSAL methods)
        refreshK0(m);

        // 3. pack and step
        for (int j = 0; j < m; j++) {
            int r = list[j], so = slot(j, r) * dim;
            System.arraycopy(y, r * dim, yc, so, dim);
            System.arraycopy(k0, r * dim, rk.k[0], so, dim);
            tRows[slot(j, r)] = control[r].t();
            hRows[slot(j, r)] = control[r].hStep();
            nfe[r] += s - 1;
        }
        method.stagesAfterFirstPerRow(field, tRows, hRows, yc, ycOut, adaptive ? errc : null, evaluated(m), dim, rk,
                tStage);

        // 4. measure, end derivatives where interpolation needs them, then save, scatter and control
        boolean anyEnd = false;
        for (int j = 0; j < m; j++) {
            int r = list[j], so = slot(j, r) * dim;
            double ratio = !StateKernels.allFinite(ycOut, so, dim) ? Double.NaN
                    : adaptive ? rowNorm(errc, so, yc, so, ycOut, so, r) : 0.0;
            if (rk.err3 != null && adaptive && ratio == ratio)
                ratio = RungeKutta.combinedError(ratio, rowNorm(rk.err3, so, yc, so, ycOut, so, r));
            ratioRow[r] = ratio;
            endValid[r] = false;
            if (ratio <= 1.0 && needsEnd && !fsal && interpolatesInStep(r)) anyEnd = true;
        }
        if (anyEnd) endDerivatives(m);
        for (int j = 0; j < m; j++) {
            int r = list[j];
            finishStep(r, slot(j, r));
        }
    }

    /** Whether the attempt of sample r saves a time strictly inside it (dense output needed). */
    private boolean interpolatesInStep(int r) {
        double[] ts = saveTimes[r];
        double tNew = control[r].tNew();
        if (ts == null) return tNew != t1[r] && dir[r] * (tNew - t1[r]) >= 0;
        int i = saveIdx[r];
        return i < ts.length && dir[r] * (ts[i] - tNew) <= 0 && ts[i] != tNew;
    }

    private void refreshK0(int m) {
        int c = 0;
        for (int j = 0; j < m; j++) {
            int r = list[j];
            if (k0Valid[r]) continue;
            int sl = slot(c, r);
            System.arraycopy(y, r * dim, subIn, sl * dim, dim);
            subT[sl] = control[r].t();
            subRow[c] = r;
            c++;
        }
        if (c == 0) return;
        field.evaluateRowsUnchecked(subT, subIn, subOut, evaluated(c), rk.fieldWs);
        for (int j = 0; j < c; j++) {
            int r = subRow[j];
            System.arraycopy(subOut, slot(j, r) * dim, k0, r * dim, dim);
            k0Valid[r] = true;
            nfe[r]++;
        }
    }

    /** f(t_new, y_new) into stage s for accepted steps whose interpolant needs it (Hermite of non-FSAL methods). */
    private void endDerivatives(int m) {
        int c = 0;
        for (int j = 0; j < m; j++) {
            int r = list[j], sl = slot(j, r);
            if (!(ratioRow[r] <= 1.0 && interpolatesInStep(r))) continue;
            int ss = slot(c, r);
            System.arraycopy(ycOut, sl * dim, subIn, ss * dim, dim);
            subT[ss] = control[r].tNew();
            subRow[c] = r;
            subSlot[c] = sl;
            c++;
        }
        if (c == 0) return;
        field.evaluateRowsUnchecked(subT, subIn, subOut, evaluated(c), rk.fieldWs);
        for (int j = 0; j < c; j++) {
            int r = subRow[j];
            System.arraycopy(subOut, slot(j, r) * dim, rk.k[s], subSlot[j] * dim, dim);
            endValid[r] = true;
            nfe[r]++;
        }
    }

    /** Lets sample r's {@link StepControl} decide its attempt; on acceptance saves and scatters the step. */
    private void finishStep(int r, int sl) {
        StepControl c = control[r];
        double tStart = c.t();
        if (c.decide(ratioRow[r])) {
            int so = sl * dim;
            saveInStep(r, sl, tStart);
            System.arraycopy(ycOut, so, y, r * dim, dim);
            if (fsal) {
                System.arraycopy(rk.k[s - 1], so, k0, r * dim, dim);
                k0Valid[r] = true;
            } else if (endValid[r]) {
                System.arraycopy(rk.k[s], so, k0, r * dim, dim);
                k0Valid[r] = true;
            } else {
                k0Valid[r] = false;
            }
        }
        if (!c.running()) finishRow(r);
    }

    /** Sample r has reached t1 or failed: its result and message are final. */
    private void finishRow(int r) {
        active[r] = false;
        running--;
        Result res = control[r].result();
        result[r] = res;
        message[r] = res == Result.SUCCESSFUL ? "" : res.describe(control[r].message(),
                res == Result.DT_MIN_REACHED ? collapseHint(r) : res.hint());
    }

    /** The advice for a collapsed step size of sample r, fitted to its state ({@link Solver#collapseHint}). */
    private String collapseHint(int r) {
        double yMax = 0.0, y0Max = 0.0;
        for (int j = r * dim; j < (r + 1) * dim; j++) {
            yMax = Math.max(yMax, Math.abs(y[j]));
            y0Max = Math.max(y0Max, Math.abs(initial[j]));
        }
        return Solver.collapseHint(control[r].t(), yMax, y0Max, o.dtMin());
    }

    // ---------------------------------------------------------------- saving

    private void saveStart(int r) {
        double[] ts = saveTimes[r];
        if (ts != null && ts[0] == t0[r]) {
            System.arraycopy(y, r * dim, outStates[r], 0, dim);
            outTimes[r][0] = t0[r];
            outCount[r] = 1;
            saveIdx[r] = 1;
        }
    }

    /** Saves what falls in the accepted step of sample r from {@code tStart} (slot sl of the packed block). */
    private void saveInStep(int r, int sl, double tStart) {
        double[] ts = saveTimes[r];
        double tNew = control[r].tNew();
        if (ts == null) {
            if (dir[r] * (tNew - t1[r]) >= 0) store(r, sl, 0, t1[r], tStart);
            return;
        }
        while (saveIdx[r] < ts.length && dir[r] * (ts[saveIdx[r]] - tNew) <= 0) {
            store(r, sl, saveIdx[r], ts[saveIdx[r]], tStart);
            saveIdx[r]++;
        }
    }

    private void store(int r, int sl, int i, double ts, double tStart) {
        double hStep = control[r].hStep();
        outTimes[r][i] = ts;
        if (ts == control[r].tNew()) System.arraycopy(ycOut, sl * dim, outStates[r], i * dim, dim);
        else method.interpolateRow((ts - tStart) / hStep, hStep, yc, sl, outStates[r], i * dim, rk);
        outCount[r] = i + 1;
    }

    // ---------------------------------------------------------------- helpers

    private int slot(int j, int r) {
        return packing == Packing.COMPACT ? j : r;
    }

    private int evaluated(int m) {
        return packing == Packing.COMPACT ? m : rows;
    }

    /** The options' norm on one row: {@code norm(v / (atol + rtol·max(|ya|, |yb|)))} over its dim components. */
    private double rowNorm(double[] v, int vo, double[] ya, int ao, double[] yb, int bo, int r) {
        System.arraycopy(v, vo, eRow, 0, dim);
        System.arraycopy(ya, ao, aRow, 0, dim);
        System.arraycopy(yb, bo, bRow, 0, dim);
        return norm.measure(eRow, aRow, bRow, 1, dim, o.atol(), o.rtol(),
                toleranceRow(atolVec, atolOwn, r), toleranceRow(rtolVec, rtolOwn, r));
    }

    /** Counts calls and rows of the user's field. */
    private static final class CountingField implements RowTimeField {
        private RowTimeField f;
        long calls, rowsEvaluated;

        void reset(RowTimeField f) {
            this.f = f;
            calls = 0;
            rowsEvaluated = 0;
        }

        /** Drops the field (the counts stay readable). */
        void release() {
            f = null;
        }

        @Override
        public void evaluateRows(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            calls++;
            rowsEvaluated += rows;
            f.evaluateRows(tRows, y, dyOut, rows, ws);
        }

        @Override
        public void evaluateRowsUnchecked(double[] tRows, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            calls++;
            rowsEvaluated += rows;
            f.evaluateRowsUnchecked(tRows, y, dyOut, rows, ws);
        }

        @Override
        public void evaluate(double t, double[] y, double[] dyOut, int rows, FieldWorkspace ws) {
            calls++;
            rowsEvaluated += rows;
            f.evaluate(t, y, dyOut, rows, ws);
        }

        @Override
        public int dim() {
            return f.dim();
        }
    }
}
