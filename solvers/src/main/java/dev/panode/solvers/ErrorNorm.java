package dev.panode.solvers;

import dev.panode.simd.ErrorNorms;
import dev.panode.simd.NormKind;

/**
 * A scaled error norm: {@code norm(v_i / (atol_i + rtol_i · max(|ya_i|, |yb_i|)))} over the {@code rows × dim}
 * components of a batch. The solver uses the same norm for accepting steps ({@code v} = error estimate,
 * {@code ya} = y, {@code yb} = y_new) and in the initial-step selection ({@code ya = yb = y0}), so a custom norm, such
 * as the adjoint's seminorm over an augmented state, acts in both places.
 *
 * <p>Tolerances come either as scalars or, when {@code atolVec} and {@code rtolVec} are non-null (the solver passes both or
 * neither), per component, with length
 * {@code rows·dim}. A NaN anywhere must give NaN (the step is then rejected). Implementations allocate nothing and
 * must be thread-safe.
 */
@FunctionalInterface
public interface ErrorNorm {

    /** The norm; see the class comment. */
    double measure(double[] v, double[] ya, double[] yb, int rows, int dim,
                   double atol, double rtol, double[] atolVec, double[] rtolVec);

    /** The root-mean-square norm over the whole batch (torchdiffeq's default, one step size for the batch). */
    static ErrorNorm rms() {
        return of(NormKind.RMS);
    }

    /** The max norm over the whole batch. */
    static ErrorNorm max() {
        return of(NormKind.MAX);
    }

    /** The norm of the given kind over the whole batch. */
    static ErrorNorm of(NormKind kind) {
        if (kind == null) throw new IllegalArgumentException("kind must be non-null");
        return (v, ya, yb, rows, dim, atol, rtol, atolVec, rtolVec) -> atolVec == null
                ? ErrorNorms.scaled(kind, v, ya, yb, 0, rows * dim, atol, rtol)
                : ErrorNorms.scaled(kind, v, ya, yb, 0, rows * dim, atolVec, rtolVec);
    }

    /**
     * The worst sample's norm: {@code max_r norm(row r)}, each row's norm of the given kind over its {@code dim}
     * components. With one step size for the batch this makes every sample meet the tolerance on its own (the batch
     * RMS can hide one bad sample among many good ones); it is the per-row quantity a per-sample controller needs.
     */
    static ErrorNorm worstRow(NormKind kind) {
        if (kind == null) throw new IllegalArgumentException("kind must be non-null");
        return (v, ya, yb, rows, dim, atol, rtol, atolVec, rtolVec) -> {
            double worst = 0.0;
            for (int r = 0; r < rows; r++) {
                double x = atolVec == null ? ErrorNorms.scaled(kind, v, ya, yb, r * dim, dim, atol, rtol)
                        : ErrorNorms.scaled(kind, v, ya, yb, r * dim, dim, atolVec, rtolVec);
                if (x != x) return Double.NaN;
                worst = Math.max(worst, x);
            }
            return worst;
        };
    }

    /**
     * A seminorm (Kidger, Chen and Lyons 2021): the norm of the given kind over the flat state {@code [0, rows·dim)}
     * that leaves out the half-open index ranges {@code [ignored[2m], ignored[2m+1])} (sorted, disjoint). RMS divides
     * by the number of components kept. Used by the continuous adjoint to skip the parameter and time adjoints.
     */
    static ErrorNorm seminorm(NormKind kind, int... ignoredRanges) {
        if (kind == null) throw new IllegalArgumentException("kind must be non-null");
        if (ignoredRanges == null || ignoredRanges.length % 2 != 0)
            throw new IllegalArgumentException("ignoredRanges must hold pairs [from, to), got "
                    + (ignoredRanges == null ? null : ignoredRanges.length + " values"));
        int[] r = ignoredRanges.clone();
        for (int m = 0; m < r.length; m += 2) {
            if (r[m] < 0 || r[m + 1] < r[m] || (m > 0 && r[m] < r[m - 1]))
                throw new IllegalArgumentException("ignoredRanges must be sorted, disjoint, non-negative pairs; pair "
                        + (m / 2) + " is [" + r[m] + ", " + r[m + 1] + ")");
        }
        return (v, ya, yb, rows, dim, atol, rtol, atolVec, rtolVec) -> {
            int n = rows * dim;
            if (atolVec == null) return ErrorNorms.scaledSeminorm(kind, v, ya, yb, n, atol, rtol, r);
            double acc = 0.0;
            int kept = 0, start = 0;
            for (int m = 0; m <= r.length / 2; m++) {
                int end = m < r.length / 2 ? Math.min(r[2 * m], n) : n;
                int len = end - start;
                if (len > 0) {
                    double part = ErrorNorms.scaled(kind, v, ya, yb, start, len, atolVec, rtolVec);
                    if (kind == NormKind.RMS) acc += part * part * len;
                    else acc = (acc != acc || part != part) ? Double.NaN : Math.max(acc, part);
                    kept += len;
                }
                if (m < r.length / 2) start = Math.max(start, Math.min(r[2 * m + 1], n));
            }
            if (kept == 0) return 0.0;
            return kind == NormKind.RMS ? Math.sqrt(acc / kept) : acc;
        };
    }
}
