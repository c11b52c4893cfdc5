package dev.panode.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Column sums of a row-major block, accumulated: {@code out[c] += Σ_r g[r·cols + c]}. In an MLP's VJP this is the
 * bias gradient {@code b̄ += Ūᵀ·1}.
 *
 * <p>The vector loop runs across columns, so every column is summed row by row in the same order as the scalar twin
 * {@link #accumulateScalar}: the two agree bit for bit. Cost {@code rows·cols} additions, memory bound. Unchecked:
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
        for (; c < bound; c += lanes) {
            DoubleVector acc = DoubleVector.fromArray(SPECIES, out, outOff + c);
            for (int r = 0; r < rows; r++) {
                acc = acc.add(DoubleVector.fromArray(SPECIES, g, gOff + r * cols + c));
            }
            acc.intoArray(out, outOff + c);
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
}
