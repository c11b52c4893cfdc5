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
 * must be thread-safe. The built-in norms do not check their arguments (the solver checked the shapes once, at its
 * entry): they run the unchecked kernels of {@code ErrorNorms}.
 */
@FunctionalInterface
public interface ErrorNorm {

    /** The norm; see the class comment. */
    double measure(double[] v, double[] ya, double[] yb, int rows, int dim,
                   double atol, double rtol, double[] atolVec, double[] rtolVec);

    /**
     * How many leading components of a one-row error vector this norm reads; the default, {@link Integer#MAX_VALUE},
     * means all. A seminorm that ignores trailing components (a continuous adjoint's parameter and time adjoints)
     * returns fewer, and the solver's explicit Runge–Kutta steps then estimate the error of those components only,
     * leaving the others stale: a norm that says so must never read them.
     */
    default int componentsMeasured() {
        return Integer.MAX_VALUE;
    }

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
                ? ErrorNorms.scaledUnchecked(kind, v, ya, yb, 0, rows * dim, atol, rtol)
                : ErrorNorms.scaledUnchecked(kind, v, ya, yb, 0, rows * dim, atolVec, rtolVec);
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
                double x = atolVec == null ? ErrorNorms.scaledUnchecked(kind, v, ya, yb, r * dim, dim, atol, rtol)
                        : ErrorNorms.scaledUnchecked(kind, v, ya, yb, r * dim, dim, atolVec, rtolVec);
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
                throw new IllegalArgumentException("ignoredRanges must be sorted, disjoint, non-negative pairs, got pair "
                        + (m / 2) + " = [" + r[m] + ", " + r[m + 1] + ")");
        }
        return (v, ya, yb, rows, dim, atol, rtol, atolVec, rtolVec) ->
                ErrorNorms.scaledSeminormUnchecked(kind, v, ya, yb, rows * dim, atol, rtol, atolVec, rtolVec, r);
    }
}
