package dev.panode.simd;

import static dev.panode.simd.Simd.LANES;
import static dev.panode.simd.Simd.SPECIES;
import static jdk.incubator.vector.VectorOperators.F2D;

import dev.panode.blas.Arguments;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled error norms {@code norm(errᵢ / (atol + rtol·max(|y0ᵢ|, |y1ᵢ|)))} of {@code float[]} states, computed in
 * double: the float counterpart of {@link ErrorNorms} (Hairer, Nørsett &amp; Wanner I, §II.4, eq. 4.11). Each float is
 * widened exactly, so the ratio and the sum of squares carry double rounding only, and the step-size controller sees
 * the same kind of number as in double precision (a float accumulation over a large batch would lose ~n·2⁻²⁴).
 *
 * <p>API contract (stable): components {@code [off, off+n)} of {@code err}, {@code y0} and {@code y1} are read; a NaN
 * anywhere gives NaN; n = 0 gives 0. Nothing is allocated. Cost: one pass, one double division per component.
 *
 * <p>The vector kernels load as many floats as a double vector has lanes (half a register), widen them to doubles, and sum
 * squares lane-wise; the lanes are then added from lane 0 up (not {@code reduceLanes}, whose order is unspecified),
 * so the result does not depend on the JIT. Each ratio equals the scalar twin's bit for bit; an RMS differs from its
 * {@code ...Scalar} twin only by the order of the sum (relative {@code ~n·2⁻⁵³}); a max norm equals its twin exactly.
 * Each loop loads, widens and divides in its own body: no vector is passed to or returned from a method, since C2
 * boxes a vector that crosses a call it did not inline (docs/RELIABILITY.md §8).
 */
public final class ErrorNormsF32 {
    private ErrorNormsF32() {}

    /** Floats of the same lane count as {@link Simd#SPECIES}: one load widens to one double vector. */
    private static final VectorSpecies<Float> HALF =
            VectorSpecies.of(float.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));

    /** Scaled norm of components {@code [off, off+n)} with scalar tolerances. */
    public static double scaled(NormKind kind, float[] err, float[] y0, float[] y1, int off, int n,
                                double atol, double rtol) {
        checkStates(kind, err, y0, y1, off, n);
        return finish(kind, accumulate(kind, err, y0, y1, off, n, atol, rtol), n);
    }

    /** One scaled norm per row of a {@code rows × dim} batch, written to {@code out[0..rows)}; scalar tolerances. */
    public static void scaledPerRow(NormKind kind, float[] err, float[] y0, float[] y1, int rows, int dim,
                                    double atol, double rtol, double[] out) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("dim", dim);
        checkStates(kind, err, y0, y1, 0, Math.multiplyExact(rows, dim));
        Checks.range("out", out, 0, rows);
        for (int r = 0; r < rows; r++) {
            out[r] = finish(kind, accumulate(kind, err, y0, y1, r * dim, dim, atol, rtol), dim);
        }
    }

    private static double accumulate(NormKind kind, float[] err, float[] y0, float[] y1, int off, int n,
                                     double atol, double rtol) {
        return kind == NormKind.RMS ? sumSquares(err, y0, y1, off, n, atol, rtol) : maxAbs(err, y0, y1, off, n, atol, rtol);
    }

    private static double ratio(float e, float a, float b, double atol, double rtol) {
        return e / (atol + rtol * Math.max(Math.abs((double) a), Math.abs((double) b)));
    }

    private static double sumSquares(float[] err, float[] y0, float[] y1, int off, int n, double atol, double rtol) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            int i = off + j;
            DoubleVector e = (DoubleVector) FloatVector.fromArray(HALF, err, i).convertShape(F2D, SPECIES, 0);
            DoubleVector a = (DoubleVector) FloatVector.fromArray(HALF, y0, i).convertShape(F2D, SPECIES, 0);
            DoubleVector b = (DoubleVector) FloatVector.fromArray(HALF, y1, i).convertShape(F2D, SPECIES, 0);
            DoubleVector r = e.div(a.abs().max(b.abs()).mul(rtol).add(atol));
            acc = r.fma(r, acc);
        }
        double sum = 0.0;
        if (j > 0) { // the lanes from lane 0 up: the same bits whatever the JIT has compiled
            sum = acc.lane(0);
            for (int l = 1; l < LANES; l++) sum += acc.lane(l);
        }
        for (; j < n; j++) {
            double r = ratio(err[off + j], y0[off + j], y1[off + j], atol, rtol);
            sum = Math.fma(r, r, sum);
        }
        return sum;
    }

    private static double maxAbs(float[] err, float[] y0, float[] y1, int off, int n, double atol, double rtol) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int j = 0;
        for (int bound = SPECIES.loopBound(n); j < bound; j += LANES) {
            int i = off + j;
            DoubleVector e = (DoubleVector) FloatVector.fromArray(HALF, err, i).convertShape(F2D, SPECIES, 0);
            DoubleVector a = (DoubleVector) FloatVector.fromArray(HALF, y0, i).convertShape(F2D, SPECIES, 0);
            DoubleVector b = (DoubleVector) FloatVector.fromArray(HALF, y1, i).convertShape(F2D, SPECIES, 0);
            acc = acc.max(e.div(a.abs().max(b.abs()).mul(rtol).add(atol)).abs());
        }
        double max = j > 0 ? acc.reduceLanes(VectorOperators.MAX) : 0.0;
        for (; j < n; j++) max = Math.max(max, Math.abs(ratio(err[off + j], y0[off + j], y1[off + j], atol, rtol)));
        return max;
    }

    private static double finish(NormKind kind, double acc, int n) {
        if (n == 0) return 0.0;
        return kind == NormKind.RMS ? Math.sqrt(acc / n) : acc;
    }

    private static void checkStates(NormKind kind, float[] err, float[] y0, float[] y1, int off, int n) {
        Arguments.nonNull(kind, "kind");
        Checks.range("err", err, off, n);
        Checks.range("y0", y0, off, n);
        Checks.range("y1", y1, off, n);
    }

    // ---- scalar twins: the oracles ----

    /** Scalar twin of {@link #scaled}: the same ratios, summed in index order. */
    public static double scaledScalar(NormKind kind, float[] err, float[] y0, float[] y1, int off, int n,
                                      double atol, double rtol) {
        checkStates(kind, err, y0, y1, off, n);
        double acc = 0.0;
        for (int j = 0; j < n; j++) {
            double r = ratio(err[off + j], y0[off + j], y1[off + j], atol, rtol);
            acc = kind == NormKind.RMS ? acc + r * r : maxNaN(acc, Math.abs(r));
        }
        return finish(kind, acc, n);
    }

    private static double maxNaN(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }
}
