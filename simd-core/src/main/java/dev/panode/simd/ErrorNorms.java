package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Scaled error norms {@code norm(errᵢ / (atolᵢ + rtolᵢ·max(|y0ᵢ|, |y1ᵢ|)))} as used by adaptive step control
 * (Hairer, Nørsett &amp; Wanner I, §II.4, eq. 4.11; the RMS norm is torchdiffeq's and diffrax's default).
 *
 * <p>API contract (stable): components {@code [off, off+n)} of {@code err}, {@code y0} and {@code y1} are read;
 * per-component tolerance arrays are indexed by the same absolute index {@code off+j} (for the per-row norms, by the
 * column {@code c < dim}, shared by all rows); a NaN anywhere gives NaN; n = 0 gives 0. Nothing is allocated. The
 * public methods check their arguments ({@link IllegalArgumentException} for a null or a bad value,
 * {@link IndexOutOfBoundsException} for a range outside an array); the {@code ...Unchecked} ones do not, for loops
 * whose caller checked the shapes once.
 * Cost: one pass, one division per component.
 *
 * <p>The vector kernels sum squares lane-wise and reduce once, so an RMS differs from its {@code ...Scalar} twin by
 * rounding (relative {@code ~n·ε}); a max norm equals its twin exactly. The seminorm (Kidger, Chen &amp; Lyons 2021,
 * "Hey, that's not an ODE") leaves out index ranges, typically the parameter-adjoint block of an adjoint state.
 */
public final class ErrorNorms {
    private ErrorNorms() {}

    /** Scaled norm with scalar tolerances. */
    public static double scaled(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                double atol, double rtol) {
        checkStates(kind, err, y0, y1, off, n);
        return scaledUnchecked(kind, err, y0, y1, off, n, atol, rtol);
    }

    /** Scaled norm with per-component tolerances {@code atol[off+j]}, {@code rtol[off+j]}. */
    public static double scaled(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                double[] atol, double[] rtol) {
        checkStates(kind, err, y0, y1, off, n);
        Checks.range("atol", atol, off, n);
        Checks.range("rtol", rtol, off, n);
        return scaledUnchecked(kind, err, y0, y1, off, n, atol, rtol);
    }

    /**
     * {@link #scaled(NormKind, double[], double[], double[], int, int, double, double)} without argument checks, for
     * loops whose caller validated the shapes once (a solver's step acceptance). A null or a short array fails with
     * whatever the array access throws.
     */
    public static double scaledUnchecked(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                         double atol, double rtol) {
        return finish(kind, accumulate(kind, err, y0, y1, off, n, atol, rtol), n);
    }

    /** {@link #scaled(NormKind, double[], double[], double[], int, int, double[], double[])} without argument checks. */
    public static double scaledUnchecked(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                         double[] atol, double[] rtol) {
        return finish(kind, accumulate(kind, err, y0, y1, off, n, atol, rtol, off), n);
    }

    /** One scaled norm per row of a {@code rows × dim} batch, written to {@code out[0..rows)}; scalar tolerances. */
    public static void scaledPerRow(NormKind kind, double[] err, double[] y0, double[] y1, int rows, int dim,
                                    double atol, double rtol, double[] out) {
        checkBatch(kind, err, y0, y1, rows, dim, out);
        for (int r = 0; r < rows; r++) {
            out[r] = finish(kind, accumulate(kind, err, y0, y1, r * dim, dim, atol, rtol), dim);
        }
    }

    /**
     * One scaled norm per row of a {@code rows × dim} batch, written to {@code out[0..rows)}, with per-component
     * tolerances {@code atol[c]}, {@code rtol[c]} ({@code c < dim}) shared by every row.
     */
    public static void scaledPerRow(NormKind kind, double[] err, double[] y0, double[] y1, int rows, int dim,
                                    double[] atol, double[] rtol, double[] out) {
        checkBatch(kind, err, y0, y1, rows, dim, out);
        Checks.range("atol", atol, 0, dim);
        Checks.range("rtol", rtol, 0, dim);
        for (int r = 0; r < rows; r++) {
            out[r] = finish(kind, accumulate(kind, err, y0, y1, r * dim, dim, atol, rtol, 0), dim);
        }
    }

    /**
     * Seminorm: the scaled norm over {@code [0, n)} that leaves out the half-open index ranges
     * {@code [ignored[2m], ignored[2m+1])} (sorted, disjoint). The RMS divides by the number of components kept.
     */
    public static double scaledSeminorm(NormKind kind, double[] err, double[] y0, double[] y1, int n,
                                        double atol, double rtol, int[] ignored) {
        checkStates(kind, err, y0, y1, 0, n);
        checkIgnored(ignored, n);
        return scaledSeminormUnchecked(kind, err, y0, y1, n, atol, rtol, null, null, ignored);
    }

    /** Seminorm with per-component tolerances {@code atol[j]}, {@code rtol[j]}, {@code j < n}. */
    public static double scaledSeminorm(NormKind kind, double[] err, double[] y0, double[] y1, int n,
                                        double[] atol, double[] rtol, int[] ignored) {
        checkStates(kind, err, y0, y1, 0, n);
        Checks.range("atol", atol, 0, n);
        Checks.range("rtol", rtol, 0, n);
        checkIgnored(ignored, n);
        return scaledSeminormUnchecked(kind, err, y0, y1, n, Double.NaN, Double.NaN, atol, rtol, ignored);
    }

    /**
     * The seminorm without argument checks: per-component tolerances {@code atolVec[j]}, {@code rtolVec[j]} when
     * {@code atolVec} is non-null, else the scalars; ranges reaching past n are cut at n (a norm built before n is
     * known, e.g. for every batch size).
     */
    public static double scaledSeminormUnchecked(NormKind kind, double[] err, double[] y0, double[] y1, int n,
                                                 double atol, double rtol, double[] atolVec, double[] rtolVec,
                                                 int[] ignored) {
        double acc = 0.0;
        int kept = 0;
        int start = 0;
        int pairs = ignored.length / 2;
        for (int m = 0; m <= pairs; m++) {
            int end = m < pairs ? Math.min(ignored[2 * m], n) : n;
            int len = end - start;
            if (len > 0) {
                acc = merge(kind, acc, atolVec == null ? accumulate(kind, err, y0, y1, start, len, atol, rtol)
                        : accumulate(kind, err, y0, y1, start, len, atolVec, rtolVec, start));
                kept += len;
            }
            if (m < pairs) start = Math.max(start, Math.min(ignored[2 * m + 1], n));
        }
        return finish(kind, acc, kept);
    }

    // ---- kernels: sum of squares (RMS) or max of |ratio| (MAX), before the final sqrt(·/n) ----

    private static double accumulate(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                     double atol, double rtol) {
        return kind == NormKind.RMS ? sumSquares(err, y0, y1, off, n, atol, rtol)
                                    : maxAbs(err, y0, y1, off, n, atol, rtol);
    }

    private static double accumulate(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                     double[] atol, double[] rtol, int tolOff) {
        return kind == NormKind.RMS ? sumSquares(err, y0, y1, off, n, atol, rtol, tolOff)
                                    : maxAbs(err, y0, y1, off, n, atol, rtol, tolOff);
    }

    private static double sumSquares(double[] err, double[] y0, double[] y1, int off, int n,
                                     double atol, double rtol) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            int i = off + j;
            DoubleVector scale = DoubleVector.fromArray(SPECIES, y0, i).abs()
                    .max(DoubleVector.fromArray(SPECIES, y1, i).abs()).mul(rtol).add(atol);
            DoubleVector r = DoubleVector.fromArray(SPECIES, err, i).div(scale);
            acc = r.fma(r, acc);
        }
        // the lanes from lane 0 up (+0 for rows shorter than a vector), not reduceLanes(ADD), whose order is left to
        // the implementation (C2's intrinsic adds pairwise, the interpreter and C1 in lane order: a norm, and every
        // step size after it, would depend on what the JIT has compiled yet); here, not in a method taking the vector,
        // which C2 boxes when it does not inline that method
        double sum = acc.lane(0);
        for (int l = 1; l < LANES; l++) sum += acc.lane(l);
        for (; j < n; j++) {
            double r = err[off + j] / (atol + rtol * Math.max(Math.abs(y0[off + j]), Math.abs(y1[off + j])));
            sum = Math.fma(r, r, sum);
        }
        return sum;
    }

    private static double maxAbs(double[] err, double[] y0, double[] y1, int off, int n,
                                 double atol, double rtol) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            int i = off + j;
            DoubleVector scale = DoubleVector.fromArray(SPECIES, y0, i).abs()
                    .max(DoubleVector.fromArray(SPECIES, y1, i).abs()).mul(rtol).add(atol);
            DoubleVector r = DoubleVector.fromArray(SPECIES, err, i).div(scale);
            acc = acc.max(r.abs());
        }
        double max = j > 0 ? acc.reduceLanes(VectorOperators.MAX) : 0.0;
        for (; j < n; j++) {
            double r = err[off + j] / (atol + rtol * Math.max(Math.abs(y0[off + j]), Math.abs(y1[off + j])));
            max = Math.max(max, Math.abs(r));
        }
        return max;
    }


    private static double sumSquares(double[] err, double[] y0, double[] y1, int off, int n,
                                     double[] atol, double[] rtol, int tolOff) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            int i = off + j, t = tolOff + j;
            DoubleVector scale = DoubleVector.fromArray(SPECIES, y0, i).abs()
                    .max(DoubleVector.fromArray(SPECIES, y1, i).abs())
                    .mul(DoubleVector.fromArray(SPECIES, rtol, t)).add(DoubleVector.fromArray(SPECIES, atol, t));
            DoubleVector r = DoubleVector.fromArray(SPECIES, err, i).div(scale);
            acc = r.fma(r, acc);
        }
        double sum = acc.lane(0); // the lanes in order, as in sumSquares
        for (int l = 1; l < LANES; l++) sum += acc.lane(l);
        for (; j < n; j++) {
            double sc = atol[tolOff + j] + rtol[tolOff + j] * Math.max(Math.abs(y0[off + j]), Math.abs(y1[off + j]));
            double r = err[off + j] / sc;
            sum = Math.fma(r, r, sum);
        }
        return sum;
    }

    private static double maxAbs(double[] err, double[] y0, double[] y1, int off, int n,
                                 double[] atol, double[] rtol, int tolOff) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            int i = off + j, t = tolOff + j;
            DoubleVector scale = DoubleVector.fromArray(SPECIES, y0, i).abs()
                    .max(DoubleVector.fromArray(SPECIES, y1, i).abs())
                    .mul(DoubleVector.fromArray(SPECIES, rtol, t)).add(DoubleVector.fromArray(SPECIES, atol, t));
            DoubleVector r = DoubleVector.fromArray(SPECIES, err, i).div(scale);
            acc = acc.max(r.abs());
        }
        double max = j > 0 ? acc.reduceLanes(VectorOperators.MAX) : 0.0;
        for (; j < n; j++) {
            double sc = atol[tolOff + j] + rtol[tolOff + j] * Math.max(Math.abs(y0[off + j]), Math.abs(y1[off + j]));
            max = Math.max(max, Math.abs(err[off + j] / sc));
        }
        return max;
    }


    private static double merge(NormKind kind, double acc, double part) {
        return kind == NormKind.RMS ? acc + part : Math.max(acc, part);
    }

    private static double finish(NormKind kind, double acc, int n) {
        if (n == 0) return 0.0;
        return kind == NormKind.RMS ? Math.sqrt(acc / n) : acc;
    }

    // ---- checks ----

    private static void checkStates(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n) {
        Checks.nonNull("kind", kind);
        Checks.range("err", err, off, n);
        Checks.range("y0", y0, off, n);
        Checks.range("y1", y1, off, n);
    }

    private static void checkBatch(NormKind kind, double[] err, double[] y0, double[] y1, int rows, int dim,
                                   double[] out) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("dim", dim);
        Checks.nonNull("kind", kind);
        Checks.batch("err", err, rows, dim);
        Checks.batch("y0", y0, rows, dim);
        Checks.batch("y1", y1, rows, dim);
        Checks.range("out", out, 0, rows);
    }

    private static void checkIgnored(int[] ignored, int n) {
        Checks.nonNull("ignored", ignored);
        if (ignored.length % 2 != 0) {
            throw new IllegalArgumentException("ignored.length must be even ([start, end) pairs), got " + ignored.length);
        }
        int prevEnd = 0;
        for (int m = 0; m < ignored.length; m += 2) {
            int s = ignored[m];
            int e = ignored[m + 1];
            if (s < prevEnd || e < s || e > n) {
                throw new IllegalArgumentException("ignored range " + (m / 2) + " must be sorted, disjoint and inside [0, "
                        + n + "), got [" + s + ", " + e + ")");
            }
            prevEnd = e;
        }
    }

    // ---- scalar twins: the oracles ----

    /** Scalar twin of {@link #scaled(NormKind, double[], double[], double[], int, int, double, double)}. */
    public static double scaledScalar(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                      double atol, double rtol) {
        double acc = 0.0;
        for (int j = off; j < off + n; j++) {
            double sc = atol + rtol * Math.max(Math.abs(y0[j]), Math.abs(y1[j]));
            double r = err[j] / sc;
            acc = kind == NormKind.RMS ? acc + r * r : maxNaN(acc, Math.abs(r));
        }
        return finish(kind, acc, n);
    }

    /** Scalar twin of {@link #scaled(NormKind, double[], double[], double[], int, int, double[], double[])}. */
    public static double scaledScalar(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                      double[] atol, double[] rtol) {
        return scaledScalar(kind, err, y0, y1, off, n, atol, rtol, off);
    }

    private static double scaledScalar(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                       double[] atol, double[] rtol, int tolOff) {
        double acc = 0.0;
        for (int j = 0; j < n; j++) {
            double sc = atol[tolOff + j] + rtol[tolOff + j] * Math.max(Math.abs(y0[off + j]), Math.abs(y1[off + j]));
            double r = err[off + j] / sc;
            acc = kind == NormKind.RMS ? acc + r * r : maxNaN(acc, Math.abs(r));
        }
        return finish(kind, acc, n);
    }

    /** Scalar twin of the per-row norm with scalar tolerances. */
    public static void scaledPerRowScalar(NormKind kind, double[] err, double[] y0, double[] y1, int rows, int dim,
                                          double atol, double rtol, double[] out) {
        for (int r = 0; r < rows; r++) out[r] = scaledScalar(kind, err, y0, y1, r * dim, dim, atol, rtol);
    }

    /** Scalar twin of the per-row norm with per-component tolerances. */
    public static void scaledPerRowScalar(NormKind kind, double[] err, double[] y0, double[] y1, int rows, int dim,
                                          double[] atol, double[] rtol, double[] out) {
        for (int r = 0; r < rows; r++) out[r] = scaledScalar(kind, err, y0, y1, r * dim, dim, atol, rtol, 0);
    }

    /** Scalar twin of the seminorm: masks the ignored components, one pass. */
    public static double scaledSeminormScalar(NormKind kind, double[] err, double[] y0, double[] y1, int n,
                                              double atol, double rtol, int[] ignored) {
        double[] at = new double[n];
        double[] rt = new double[n];
        java.util.Arrays.fill(at, atol);
        java.util.Arrays.fill(rt, rtol);
        return scaledSeminormScalar(kind, err, y0, y1, n, at, rt, ignored);
    }

    /** Scalar twin of the seminorm with per-component tolerances. Allocates: an oracle, not a kernel. */
    public static double scaledSeminormScalar(NormKind kind, double[] err, double[] y0, double[] y1, int n,
                                              double[] atol, double[] rtol, int[] ignored) {
        double acc = 0.0;
        int kept = 0;
        for (int j = 0; j < n; j++) {
            boolean skip = false;
            for (int m = 0; m + 1 < ignored.length; m += 2) skip |= j >= ignored[m] && j < ignored[m + 1];
            if (skip) continue;
            double sc = atol[j] + rtol[j] * Math.max(Math.abs(y0[j]), Math.abs(y1[j]));
            double r = err[j] / sc;
            acc = kind == NormKind.RMS ? acc + r * r : maxNaN(acc, Math.abs(r));
            kept++;
        }
        return finish(kind, acc, kept);
    }

    private static double maxNaN(double a, double b) {
        return (a != a || b != b) ? Double.NaN : Math.max(a, b);
    }
}
