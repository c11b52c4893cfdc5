package dev.panode.solvers;

import dev.panode.solvers.PerSampleSolver.Packing;

/**
 * One per-sample solve (see {@link PerSampleSolver}). Every buffer is allocated in the constructor; a round of steps
 * allocates nothing. Per sample r: state {@code y[r·dim..]}, its first stage {@code k0[r·dim..]}, time, step,
 * controller history and counters. Per round the running rows are packed into slots (row r goes to slot j of the
 * packed block, or to slot r when masking) of the Runge–Kutta workspace.
 */
final class PerSampleRun {
    private static final double[] NO_STOPS = new double[0];

    private final CountingField field;
    private final int rows, dim;
    private final RungeKutta method;
    private final SolveOptions o;
    private final Packing packing;
    private final RkWorkspace rk;
    private final ErrorNorm norm;
    private final StepSizeController ctrl;
    private final boolean adaptive, fsal, needsEnd;
    private final int s;

    // per sample
    private final StepControl[] control;
    private final double[] t0, t1, dir, h0;
    private final double[][] atolRow, rtolRow, saveTimes, outTimes, outStates;
    private final long[] nfe;
    private final int[] outCount, saveIdx;
    private final boolean[] active, k0Valid, endValid;
    private final Result[] result;
    private final String[] message;
    private int running;
    // state, full layout
    private final double[] y, k0, initial;
    // packed block
    private final int[] list, subRow, subSlot;
    private final double[] ratioRow, d1Row;
    private final double[] yc, ycOut, errc, tRows, hRows, tStage, subIn, subOut, subT;
    private final double[] eRow, aRow, bRow;

    PerSampleRun(RowTimeField field, double[] y0, int rows, int dim, double[] t0, double[] t1, double[][] saveTimes,
                 RungeKutta method, SolveOptions o, Packing packing) {
        this.field = new CountingField(field);
        this.rows = rows;
        this.dim = dim;
        this.method = method;
        this.o = o;
        this.packing = packing;
        this.rk = method.newWorkspace(field, rows, dim);
        this.norm = o.errorNorm();
        this.ctrl = o.controller();
        this.adaptive = ctrl.isAdaptive();
        this.s = method.tableau().stages();
        this.fsal = method.tableau().isFsal();
        this.needsEnd = method.interpolant().usesEndDerivative();
        int n = rows * dim;
        this.t0 = t0.clone();
        this.t1 = t1.clone();
        dir = new double[rows];
        h0 = new double[rows];
        control = new StepControl[rows];
        atolRow = tolerancesPerRow(o.atolVecView(), rows, dim);
        rtolRow = tolerancesPerRow(o.rtolVecView(), rows, dim);
        this.saveTimes = new double[rows][];
        outTimes = new double[rows][];
        outStates = new double[rows][];
        double[] shared = o.saveAt().kind() == SaveAt.Kind.TIMES ? o.saveAt().times() : null;
        for (int r = 0; r < rows; r++) {
            dir[r] = t1[r] > t0[r] ? 1.0 : -1.0;
            control[r] = new StepControl().configure(ctrl, method.errorOrder(), o);
            this.saveTimes[r] = saveTimes != null ? saveTimes[r].clone() : shared;
            int cap = this.saveTimes[r] == null ? 1 : this.saveTimes[r].length;
            outTimes[r] = new double[cap];
            outStates[r] = new double[cap * dim];
        }
        nfe = new long[rows];
        outCount = new int[rows];
        saveIdx = new int[rows];
        active = new boolean[rows];
        k0Valid = new boolean[rows];
        endValid = new boolean[rows];
        result = new Result[rows];
        message = new String[rows];
        y = y0.clone();
        initial = y0.clone();
        k0 = new double[n];
        list = new int[rows];
        subRow = new int[rows];
        subSlot = new int[rows];
        ratioRow = new double[rows];
        d1Row = new double[rows];
        yc = new double[n];
        ycOut = new double[n];
        errc = new double[n];
        tRows = new double[rows];
        hRows = new double[rows];
        tStage = new double[rows];
        subIn = new double[n];
        subOut = new double[n];
        subT = new double[rows];
        eRow = new double[dim];
        aRow = new double[dim];
        bRow = new double[dim];
    }

    private static double[][] tolerancesPerRow(double[] v, int rows, int dim) {
        if (v == null) return null;
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++)
            out[r] = v.length == dim ? v : java.util.Arrays.copyOfRange(v, r * dim, (r + 1) * dim);
        return out;
    }

    PerSampleSolution run() {
        start();
        while (running > 0) round();
        Stats[] stats = new Stats[rows];
        for (int r = 0; r < rows; r++) stats[r] = new Stats(nfe[r], control[r].accepted(), control[r].rejected());
        return new PerSampleSolution(rows, dim, outTimes, outStates, outCount, stats, result, message,
                field.calls, field.rowsEvaluated);
    }

    // ---------------------------------------------------------------- start: f(t0, y0), save, initial step

    private void start() {
        java.util.Arrays.fill(active, true);
        running = rows;
        System.arraycopy(t0, 0, tRows, 0, rows);
        field.evaluateRowsUnchecked(tRows, y, k0, rows, rk.fieldWs);
        for (int r = 0; r < rows; r++) {
            nfe[r]++;
            k0Valid[r] = true;
            if (!finiteRow(k0, r * dim)) {
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
            double ratio = !finiteRow(ycOut, so) ? Double.NaN
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
                atolRow == null ? null : atolRow[r], rtolRow == null ? null : rtolRow[r]);
    }

    private boolean finiteRow(double[] v, int off) {
        double acc = 0.0;
        for (int i = 0; i < dim; i++) acc += v[off + i] * 0.0;
        return acc == 0.0;
    }

    /** Counts calls and rows of the user's field. */
    private static final class CountingField implements RowTimeField {
        private final RowTimeField f;
        long calls, rowsEvaluated;

        CountingField(RowTimeField f) {
            this.f = f;
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
