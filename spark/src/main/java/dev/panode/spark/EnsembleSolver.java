package dev.panode.spark;

import dev.panode.adjoint.models.Mlp;
import dev.panode.solvers.PerSampleSolution;
import dev.panode.solvers.PerSampleSolver;
import dev.panode.solvers.Result;
import dev.panode.solvers.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Solves the ensemble rows of one partition, in batches through {@link PerSampleSolver}: every row keeps its own
 * step size, save times, statistics and result code, and a row's trajectory does not depend on the rows it shares a
 * batch with (bitwise for the MLP on panode's own GEMM kernels; to rounding when OpenBLAS takes large blocks). So the
 * ensemble's answer does not depend on how Spark partitions the rows.
 *
 * <p>Rows are grouped by their model parameters (rows without parameters share the ensemble's model) and, for
 * fixed-step solves, by their time span (the step is span/steps); each group is solved in batches of at most
 * {@code batchRows} rows. A row that cannot be solved is a result code in its own result, never an exception: a
 * malformed row is {@code INVALID_ARGUMENT} before any solve, a stepping failure the solver's code, and should a
 * batch throw nevertheless, its rows are solved one by one so that only the offending row reports
 * {@link EnsembleResult#EXCEPTION}.
 *
 * <p>Cost: the solves' field evaluations (for the MLP one GEMM chain per stage over the running rows) plus O(rows·dim)
 * copies. The solver's buffers are the calling thread's {@code EnsembleWorkspace} for the model's architecture, kept
 * by {@code ThreadWorkspaces} from call to call. Not thread-safe per instance; the model is shared read-only.
 */
public final class EnsembleSolver {
    private final Mlp model;
    private final SolveSpec spec;
    private final int batchRows;

    /**
     * @param model     the ensemble's model
     * @param spec      method, tolerances or fixed steps, step budget
     * @param batchRows rows per batched solve, ≥ 1 (a few hundred amortise the per-call overhead)
     */
    public EnsembleSolver(Mlp model, SolveSpec spec, int batchRows) {
        if (model == null) throw new IllegalArgumentException("model must be non-null, got null");
        if (spec == null) throw new IllegalArgumentException("spec must be non-null, got null");
        if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        this.model = model;
        this.spec = spec;
        this.batchRows = batchRows;
    }

    /** Solves {@code rows}; the results are in the rows' order. */
    public List<EnsembleResult> solve(List<EnsembleRow> rows) {
        EnsembleResult[] out = new EnsembleResult[rows.size()];
        Map<GroupKey, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            EnsembleRow row = rows.get(i);
            String bad = validate(row);
            if (bad != null) {
                out[i] = EnsembleResult.failed(row == null ? -1 : row.id(), Result.INVALID_ARGUMENT.name(),
                        "INVALID_ARGUMENT: " + bad);
                continue;
            }
            double[] t = row.times();
            GroupKey key = new GroupKey(row.parameters(), spec.steps() > 0 ? t[0] : 0, spec.steps() > 0 ? t[t.length - 1] : 0);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        if (groups.isEmpty()) return Arrays.asList(out);
        EnsembleWorkspace ws = ThreadWorkspaces.get(new EnsembleWorkspace.Key(model.architecture()),
                () -> new EnsembleWorkspace(model));
        for (Map.Entry<GroupKey, List<Integer>> g : groups.entrySet()) {
            double[] parameters = g.getKey().parameters == null ? model.parameters() : g.getKey().parameters;
            List<Integer> members = g.getValue();
            for (int from = 0; from < members.size(); from += batchRows) {
                List<Integer> batch = members.subList(from, Math.min(members.size(), from + batchRows));
                solveBatch(ws, parameters, rows, batch, out);
            }
        }
        return Arrays.asList(out);
    }

    /** The key of the per-thread workspace this solver uses for {@code model} (for tests counting creations). */
    static Object workspaceKey(Mlp model) {
        return new EnsembleWorkspace.Key(model.architecture());
    }

    private void solveBatch(EnsembleWorkspace ws, double[] parameters, List<EnsembleRow> rows, List<Integer> batch,
                            EnsembleResult[] out) {
        try {
            solveBatchOrThrow(ws, parameters, rows, batch, out);
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                for (int i : batch) solveBatch(ws, parameters, rows, List.of(i), out);
            } else {
                int i = batch.getFirst();
                out[i] = EnsembleResult.failed(rows.get(i).id(), EnsembleResult.EXCEPTION,
                        e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private void solveBatchOrThrow(EnsembleWorkspace ws, double[] parameters, List<EnsembleRow> rows,
                                   List<Integer> batch, EnsembleResult[] out) {
        int n = batch.size(), dim = model.dim();
        ws.batch(n);
        double[] y0 = ws.initialStates(), t0 = ws.startTimes(), t1 = ws.endTimes();
        double[][] save = ws.saveTimes();
        for (int r = 0; r < n; r++) {
            EnsembleRow row = rows.get(batch.get(r));
            System.arraycopy(row.y0(), 0, y0, r * dim, dim);
            save[r] = row.times();
            t0[r] = save[r][0];
            t1[r] = save[r][save[r].length - 1];
        }
        PerSampleSolution sol = ws.solve(parameters, spec.rungeKutta(), spec.options(t0[0], t1[0], false));
        for (int r = 0; r < n; r++) {
            int count = sol.count(r);
            double[][] states = new double[count][];
            for (int k = 0; k < count; k++) states[k] = sol.state(r, k);
            Stats st = sol.stats(r);
            out[batch.get(r)] = new EnsembleResult(rows.get(batch.get(r)).id(), sol.times(r), states, st.nfe(),
                    st.accepted(), st.rejected(), sol.result(r).name(), sol.message(r));
        }
    }

    private String validate(EnsembleRow row) {
        if (row == null) return "row must be non-null";
        int dim = model.dim();
        if (row.y0() == null || row.y0().length != dim) {
            return "y0 must have length dim = " + dim + ", got " + (row.y0() == null ? null : row.y0().length);
        }
        for (int j = 0; j < dim; j++) {
            if (!Double.isFinite(row.y0()[j])) return "y0[" + j + "] must be finite, got " + row.y0()[j];
        }
        double[] p = row.parameters();
        if (p != null) {
            if (p.length != model.parameterCount()) {
                return "parameters must have length P = " + model.parameterCount() + ", got " + p.length;
            }
            for (int j = 0; j < p.length; j++) {
                if (!Double.isFinite(p[j])) return "parameters[" + j + "] must be finite, got " + p[j];
            }
        }
        double[] t = row.times();
        if (t == null || t.length < 2) {
            return "times must hold at least two times, got " + (t == null ? null : Arrays.toString(t));
        }
        double dir = Math.signum(t[t.length - 1] - t[0]);
        for (int k = 0; k < t.length; k++) {
            if (!Double.isFinite(t[k])) return "times[" + k + "] must be finite, got " + t[k];
            if (k > 0 && (dir == 0 || Math.signum(t[k] - t[k - 1]) != dir)) {
                return "times must be strictly monotone, got times[" + (k - 1) + "] = " + t[k - 1] + ", times[" + k
                        + "] = " + t[k];
            }
        }
        return null;
    }

    /** Rows that can share one batched solve: the same parameters and, for fixed steps, the same span. */
    private record GroupKey(double[] parameters, double t0, double t1) {
        @Override
        public boolean equals(Object o) {
            return o instanceof GroupKey k && Arrays.equals(parameters, k.parameters)
                    && Double.compare(t0, k.t0) == 0 && Double.compare(t1, k.t1) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(parameters) + Double.hashCode(t0)) + Double.hashCode(t1);
        }
    }
}
