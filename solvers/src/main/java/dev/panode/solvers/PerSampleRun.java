package dev.panode.solvers;

import dev.panode.solvers.PerSampleSolver.Packing;

/**
 * One per-sample solve (see {@link PerSampleSolver}). Every buffer is allocated in the constructor; a round of steps
 * allocates nothing. Per sample r: state {@code y[r·dim..]}, its first stage {@code k0[r·dim..]}, time, step,
 * controller history and counters. Per round the running rows are packed into slots (row r goes to slot j of the
 * packed block, or to slot r when masking) of the Runge–Kutta workspace.
 */
final class PerSampleRun {
    private final CountingField field;
    private final int rows, dim;
    private final RungeKutta method;
    private final SolveOptions o;
    private final Packing packing;
    private final RkWorkspace rk;
    private final ErrorNorm norm;
    private final StepSizeController ctrl;
    private final boolean adaptive, stepPast, fsal, needsEnd;
    private final int s, q;

    // per sample
    private final double[] t0, t1, dir, t, h, hStep, tNew;
    private final double[][] history, atolRow, rtolRow, saveTimes, outTimes, outStates;
    private final long[] nfe, accepted, rejected, gridIndex;
    private final int[] nonFiniteRun, outCount, saveIdx;
    private final boolean[] active, k0Valid, landed, endValid;
    private final Result[] result;
    private final String[] message;
    private int running;
    // state, full layout
    private final double[] y, k0, initial;
    // packed block
    private final int[] list, subRow, subSlot;
    private final double[] ratioRow, d1Row;
    private final boolean[] acceptRow;
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
        this.stepPast = o.torchdiffeqCompatible() && adaptive;
        this.s = method.tableau().stages();
        this.fsal = method.tableau().isFsal();
        this.needsEnd = method.interpolant().usesEndDerivative();
        this.q = method.errorOrder() + 1;
        int n = rows * dim;
        this.t0 = t0.clone();
        this.t1 = t1.clone();
        dir = new double[rows];
        t = new double[rows];
        h = new double[rows];
        hStep = new double[rows];
        tNew = new double[rows];
        history = new double[rows][StepSizeController.HISTORY_LENGTH];
        atolRow = tolerancesPerRow(o.atolVecView(), rows, dim);
        rtolRow = tolerancesPerRow(o.rtolVecView(), rows, dim);
        this.saveTimes = new double[rows][];
        outTimes = new double[rows][];
        outStates = new double[rows][];
        double[] shared = o.saveAt().kind() == SaveAt.Kind.TIMES ? o.saveAt().times() : null;
        for (int r = 0; r < rows; r++) {
            dir[r] = t1[r] > t0[r] ? 1.0 : -1.0;
            t[r] = t0[r];
            this.saveTimes[r] = saveTimes != null ? saveTimes[r].clone() : shared;
            int cap = this.saveTimes[r] == null ? 1 : this.saveTimes[r].length;
            outTimes[r] = new double[cap];
            outStates[r] = new double[cap * dim];
        }
        nfe = new long[rows];
        accepted = new long[rows];
        rejected = new long[rows];
        gridIndex = new long[rows];
        nonFiniteRun = new int[rows];
        outCount = new int[rows];
        saveIdx = new int[rows];
        active = new boolean[rows];
        k0Valid = new boolean[rows];
        landed = new boolean[rows];
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
        acceptRow = new boolean[rows];
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
        for (int r = 0; r < rows; r++) stats[r] = new Stats(nfe[r], accepted[r], rejected[r]);
        return new PerSampleSolution(rows, dim, outTimes, outStates, outCount, stats, result, message,
                field.calls, field.rowsEvaluated);
    }

    // ---------------------------------------------------------------- start: f(t0, y0), save, initial step

    private void start() {
        java.util.Arrays.fill(active, true);
        running = rows;
        for (int r = 0; r < rows; r++) {
            tRows[r] = t0[r];
            ctrl.resetHistory(history[r]);
        }
        field.evaluateRows(tRows, y, k0, rows, rk.fieldWs);
        for (int r = 0; r < rows; r++) {
            nfe[r]++;
            k0Valid[r] = true;
            if (!finiteRow(k0, r * dim)) {
                fail(r, Result.NONFINITE_STATE, "f(t0, y0) is not finite at t0 = " + t0[r]);
                continue;
            }
            saveStart(r);
        }
        if (running == 0) return;
        if (adaptive && Double.isNaN(o.dt0())) initialSteps();
        for (int r = 0; r < rows; r++) {
            if (!active[r]) continue;
            if (!adaptive) h[r] = dir[r] * ((ConstantStep) ctrl).stepFor(t0[r], t1[r]);
            else if (!Double.isNaN(o.dt0())) h[r] = dir[r] * o.dt0();
            if (adaptive) h[r] = dir[r] * Math.min(o.dtMax(), Math.max(o.dtMin(), Math.abs(h[r])));
        }
    }

    /** {@link Solver#initialGuess} and {@link Solver#initialStep} per row, with one packed evaluation. */
    private void initialSteps() {
        int m = 0;
        for (int r = 0; r < rows; r++) {
            if (!active[r]) continue;
            int off = r * dim;
            double d0 = rowNorm(y, off, y, off, y, off, r);
            double d1 = rowNorm(k0, off, y, off, y, off, r);
            double h0 = Solver.initialGuess(d0, d1);
            h[r] = h0;
            d1Row[r] = d1;
            double sh = dir[r] * h0;
            int slot = slot(m, r);
            for (int i = 0; i < dim; i++) subIn[slot * dim + i] = y[off + i] + sh * k0[off + i];
            subT[slot] = t0[r] + sh;
            list[m++] = r;
        }
        field.evaluateRows(subT, subIn, subOut, evaluated(m), rk.fieldWs);
        for (int j = 0; j < m; j++) {
            int r = list[j], off = r * dim, so = slot(j, r) * dim;
            nfe[r]++;
            for (int i = 0; i < dim; i++) subIn[so + i] = subOut[so + i] - k0[off + i];
            double h0 = h[r];
            double d2 = rowNorm(subIn, so, y, off, y, off, r) / h0;
            h[r] = dir[r] * Solver.initialStep(h0, d1Row[r], d2, q);
        }
    }

    // ---------------------------------------------------------------- one round: every running sample attempts a step

    private void round() {
        // 1. each sample chooses its step (as Solver.Run does)
        int m = 0;
        for (int r = 0; r < rows; r++) {
            if (!active[r]) continue;
            if (accepted[r] + rejected[r] >= o.maxSteps()) {
                fail(r, Result.MAX_STEPS_REACHED, "reached maxSteps = " + o.maxSteps() + " at t = " + t[r] + " of ["
                        + t0[r] + ", " + t1[r] + "] (accepted " + accepted[r] + ", rejected " + rejected[r] + ")");
                continue;
            }
            double limit = t1[r];
            boolean isLanding = false;
            double hs, tn;
            if (!adaptive) {
                double grid = t0[r] + (gridIndex[r] + 1) * h[r];
                if (dir[r] * (grid - limit) >= -1e-10 * Math.abs(h[r])) {
                    tn = limit;
                    isLanding = true;
                } else {
                    tn = grid;
                }
                hs = tn - t[r];
            } else if (!stepPast && dir[r] * (t[r] + h[r] - limit) >= 0) {
                tn = limit;
                hs = limit - t[r];
                isLanding = true;
            } else {
                hs = h[r];
                tn = t[r] + h[r];
            }
            if (tn == t[r] || hs == 0.0) {
                failCollapsed(r, "the step size " + h[r] + " no longer changes t = " + t[r]);
                continue;
            }
            hStep[r] = hs;
            tNew[r] = tn;
            landed[r] = isLanding;
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
            tRows[slot(j, r)] = t[r];
            hRows[slot(j, r)] = hStep[r];
            nfe[r] += s - 1;
        }
        method.stagesAfterFirstPerRow(field, tRows, hRows, yc, ycOut, adaptive ? errc : null, evaluated(m), dim, rk,
                tStage);

        // 4. decide, end derivatives where interpolation needs them, then save, scatter and control
        boolean anyEnd = false;
        for (int j = 0; j < m; j++) {
            int r = list[j], so = slot(j, r) * dim;
            boolean finite = finiteRow(ycOut, so);
            double ratio;
            boolean accept;
            if (adaptive) {
                ratio = finite ? rowNorm(errc, so, yc, so, ycOut, so, r) : Double.NaN;
                if (finite && rk.err3 != null) ratio = RungeKutta.combinedError(ratio, rowNorm(rk.err3, so, yc, so, ycOut, so, r));
                accept = ratio <= 1.0;
            } else {
                ratio = 0.0;
                accept = finite;
            }
            ratioRow[r] = ratio;
            acceptRow[r] = accept;
            endValid[r] = false;
            if (accept && needsEnd && !fsal && interpolatesInStep(r)) anyEnd = true;
        }
        if (anyEnd) endDerivatives(m);
        for (int j = 0; j < m; j++) {
            int r = list[j];
            finishStep(r, slot(j, r), acceptRow[r], ratioRow[r]);
        }
    }

    private boolean interpolatesInStep(int r) {
        double[] ts = saveTimes[r];
        if (ts == null) return tNew[r] != t1[r] && dir[r] * (tNew[r] - t1[r]) >= 0;
        int i = saveIdx[r];
        return i < ts.length && dir[r] * (ts[i] - tNew[r]) <= 0 && ts[i] != tNew[r];
    }

    private void refreshK0(int m) {
        int c = 0;
        for (int j = 0; j < m; j++) {
            int r = list[j];
            if (k0Valid[r]) continue;
            int sl = slot(c, r);
            System.arraycopy(y, r * dim, subIn, sl * dim, dim);
            subT[sl] = t[r];
            subRow[c] = r;
            c++;
        }
        if (c == 0) return;
        field.evaluateRows(subT, subIn, subOut, evaluated(c), rk.fieldWs);
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
            if (!(acceptRow[r] && interpolatesInStep(r))) continue;
            int ss = slot(c, r);
            System.arraycopy(ycOut, sl * dim, subIn, ss * dim, dim);
            subT[ss] = tNew[r];
            subRow[c] = r;
            subSlot[c] = sl;
            c++;
        }
        if (c == 0) return;
        field.evaluateRows(subT, subIn, subOut, evaluated(c), rk.fieldWs);
        for (int j = 0; j < c; j++) {
            int r = subRow[j];
            System.arraycopy(subOut, slot(j, r) * dim, rk.k[s], subSlot[j] * dim, dim);
            endValid[r] = true;
            nfe[r]++;
        }
    }

    private void finishStep(int r, int sl, boolean accept, double ratio) {
        int so = sl * dim;
        if (!adaptive && !accept) {
            fail(r, Result.NONFINITE_STATE, "the state became non-finite in the step from t = " + t[r] + " to "
                    + tNew[r] + " (fixed step h = " + hStep[r] + ")");
            return;
        }
        if (accept) {
            accepted[r]++;
            nonFiniteRun[r] = 0;
            saveInStep(r, sl);
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
            t[r] = tNew[r];
            if (!adaptive) gridIndex[r]++;
        } else {
            rejected[r]++;
            if (Double.isNaN(ratio)) nonFiniteRun[r]++;
        }
        if (adaptive) {
            double hNew = hStep[r] * ctrl.factor(ratio, accept, q, history[r]);
            if (accept && landed[r] && !o.torchdiffeqCompatible())
                hNew = dir[r] * Math.max(Math.abs(hNew), Math.abs(h[r]));
            double mag = Math.min(o.dtMax(), Math.abs(hNew));
            if (mag < o.dtMin()) {
                if (!accept) {
                    if (nonFiniteRun[r] > 0)
                        fail(r, Result.NONFINITE_STATE, "the state or its error estimate is non-finite at t = " + t[r]
                                + " even with steps down to dtMin = " + o.dtMin());
                    else
                        failCollapsed(r, "at t = " + t[r] + " the controller needs |h| = " + mag + " < dtMin = "
                                + o.dtMin());
                    return;
                }
                mag = o.dtMin();
            }
            if (nonFiniteRun[r] >= Solver.MAX_NONFINITE_REJECTIONS) {
                fail(r, Result.NONFINITE_STATE, "the attempted step from t = " + t[r] + " stayed non-finite after "
                        + nonFiniteRun[r] + " step-size cuts (last |h| = " + Math.abs(hStep[r]) + ")");
                return;
            }
            h[r] = dir[r] * mag;
        }
        if (!(dir[r] * (t1[r] - t[r]) > 0)) {
            active[r] = false;
            running--;
            result[r] = Result.SUCCESSFUL;
            message[r] = "";
        }
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

    private void saveInStep(int r, int sl) {
        double[] ts = saveTimes[r];
        if (ts == null) {
            if (dir[r] * (tNew[r] - t1[r]) >= 0) store(r, sl, 0, t1[r]);
            return;
        }
        while (saveIdx[r] < ts.length && dir[r] * (ts[saveIdx[r]] - tNew[r]) <= 0) {
            store(r, sl, saveIdx[r], ts[saveIdx[r]]);
            saveIdx[r]++;
        }
    }

    private void store(int r, int sl, int i, double ts) {
        outTimes[r][i] = ts;
        if (ts == tNew[r]) System.arraycopy(ycOut, sl * dim, outStates[r], i * dim, dim);
        else method.interpolateRow((ts - t[r]) / hStep[r], hStep[r], yc, sl, outStates[r], i * dim, rk);
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

    private void fail(int r, Result res, String what) {
        fail(r, res, what, res.hint());
    }

    private void fail(int r, Result res, String what, String hint) {
        active[r] = false;
        running--;
        result[r] = res;
        message[r] = res.name() + ": " + what + "; " + hint;
    }

    /** {@link Result#DT_MIN_REACHED} for row r, with the advice fitted to it ({@link Solver#collapseHint}). */
    private void failCollapsed(int r, String what) {
        double yMax = 0.0, y0Max = 0.0;
        for (int j = r * dim; j < (r + 1) * dim; j++) {
            yMax = Math.max(yMax, Math.abs(y[j]));
            y0Max = Math.max(y0Max, Math.abs(initial[j]));
        }
        fail(r, Result.DT_MIN_REACHED, what, Solver.collapseHint(t[r], yMax, y0Max, o.dtMin()));
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
