package dev.panode.simd;

import static dev.panode.simd.Simd.FLOAT_LANES;
import static dev.panode.simd.Simd.FLOAT_SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Column sums of a row-major block, accumulated: {@code out[c] += Σ_r g[r·cols + c]}. In an MLP's VJP this is the
 * bias gradient {@code b̄ += Ūᵀ·1}.
 *
 * <p>The vector loop runs across columns, so every column is summed row by row in the same order as the scalar twin
 * {@link #accumulateScalar}: the two agree bit for bit (three vectors of columns per pass over the rows in double,
 * four in float, and the last columns two at a time: independent chains of additions in flight). Cost {@code rows·cols} additions, memory bound. Unchecked:
 * callers check their arguments at their public edge. Nothing is allocated.
 */
public final class ColumnSums {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private ColumnSums() {}

    /** {@code out[outOff + c] += Σ_{r<rows} g[gOff + r·cols + c]} for {@code c < cols}. */
    public static void accumulate(double[] g, int gOff, int rows, int cols, double[] out, int outOff) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(cols);
        int c = 0;
        for (; c + 3 * lanes <= bound; c += 3 * lanes) {
            // three vectors of columns per pass over the rows: three chains of additions in flight
            int o = outOff + c;
            DoubleVector a0 = DoubleVector.fromArray(SPECIES, out, o);
            DoubleVector a1 = DoubleVector.fromArray(SPECIES, out, o + lanes);
            DoubleVector a2 = DoubleVector.fromArray(SPECIES, out, o + 2 * lanes);
            for (int r = 0, at = gOff + c; r < rows; r++, at += cols) {
                a0 = a0.add(DoubleVector.fromArray(SPECIES, g, at));
                a1 = a1.add(DoubleVector.fromArray(SPECIES, g, at + lanes));
                a2 = a2.add(DoubleVector.fromArray(SPECIES, g, at + 2 * lanes));
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + lanes);
            a2.intoArray(out, o + 2 * lanes);
        }
        for (; c < bound; c += lanes) {
            DoubleVector acc = DoubleVector.fromArray(SPECIES, out, outOff + c);
            for (int r = 0; r < rows; r++) {
                acc = acc.add(DoubleVector.fromArray(SPECIES, g, gOff + r * cols + c));
            }
            acc.intoArray(out, outOff + c);
        }
        for (; c + 1 < cols; c += 2) {
            double s = out[outOff + c], t = out[outOff + c + 1];
            for (int r = 0, at = gOff + c; r < rows; r++, at += cols) {
                s += g[at];
                t += g[at + 1];
            }
            out[outOff + c] = s;
            out[outOff + c + 1] = t;
        }
        for (; c < cols; c++) {
            double s = out[outOff + c];
            for (int r = 0; r < rows; r++) s += g[gOff + r * cols + c];
            out[outOff + c] = s;
        }
    }

    /** The scalar twin: the oracle of {@link #accumulate}. */
    public static void accumulateScalar(double[] g, int gOff, int rows, int cols, double[] out, int outOff) {
        for (int c = 0; c < cols; c++) {
            double s = out[outOff + c];
            for (int r = 0; r < rows; r++) s += g[gOff + r * cols + c];
            out[outOff + c] = s;
        }
    }

    /**
     * {@code out[outOff + c] += Σ_{r<rows} g[gOff + r·cols + c]} for {@code c < cols} in float, each column summed row
     * by row in order (the bits of {@link #accumulateScalar(float[], int, int, int, float[], int)}).
     */
    public static void accumulate(float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        int c = 0;
        for (; c + 4 * FLOAT_LANES <= cols; c += 4 * FLOAT_LANES) {
            int o = outOff + c;
            FloatVector a0 = FloatVector.fromArray(FLOAT_SPECIES, out, o);
            FloatVector a1 = FloatVector.fromArray(FLOAT_SPECIES, out, o + FLOAT_LANES);
            FloatVector a2 = FloatVector.fromArray(FLOAT_SPECIES, out, o + 2 * FLOAT_LANES);
            FloatVector a3 = FloatVector.fromArray(FLOAT_SPECIES, out, o + 3 * FLOAT_LANES);
            for (int r = 0, at = gOff + c; r < rows; r++, at += cols) {
                a0 = a0.add(FloatVector.fromArray(FLOAT_SPECIES, g, at));
                a1 = a1.add(FloatVector.fromArray(FLOAT_SPECIES, g, at + FLOAT_LANES));
                a2 = a2.add(FloatVector.fromArray(FLOAT_SPECIES, g, at + 2 * FLOAT_LANES));
                a3 = a3.add(FloatVector.fromArray(FLOAT_SPECIES, g, at + 3 * FLOAT_LANES));
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + FLOAT_LANES);
            a2.intoArray(out, o + 2 * FLOAT_LANES);
            a3.intoArray(out, o + 3 * FLOAT_LANES);
        }
        for (; c + FLOAT_LANES <= cols; c += FLOAT_LANES) {
            FloatVector a0 = FloatVector.fromArray(FLOAT_SPECIES, out, outOff + c);
            for (int r = 0, at = gOff + c; r < rows; r++, at += cols) {
                a0 = a0.add(FloatVector.fromArray(FLOAT_SPECIES, g, at));
            }
            a0.intoArray(out, outOff + c);
        }
        for (; c < cols; c++) {
            float s = out[outOff + c];
            for (int r = 0; r < rows; r++) s += g[gOff + r * cols + c];
            out[outOff + c] = s;
        }
    }

    /** The scalar twin in float: the oracle of {@link #accumulate(float[], int, int, int, float[], int)}. */
    public static void accumulateScalar(float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        for (int c = 0; c < cols; c++) {
            float s = out[outOff + c];
            for (int r = 0; r < rows; r++) s += g[gOff + r * cols + c];
            out[outOff + c] = s;
        }
    }
}
