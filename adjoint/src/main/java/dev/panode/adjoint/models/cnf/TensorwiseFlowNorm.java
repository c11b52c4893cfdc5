package dev.panode.adjoint.models.cnf;

import dev.panode.solvers.ErrorNorm;

/**
 * torchdiffeq's error norm for a flow's tuple state {@code (z, log p)}: the larger of the RMS scaled error over the z
 * columns of every row and the RMS over the ℓ column ({@code _mixed_norm}, the max over tensors of each tensor's RMS),
 * where panode's default is one RMS over the whole state. The max is the stricter of the two, so the solver takes
 * more steps with it (on cnf.py's problem at initialisation 56 forward evaluations against 44 in float64; docs/CNF.md):
 * use it to compare with torchdiffeq at equal work, not for accuracy. O(rows·(D + 1)), allocation-free, stateless.
 *
 * @param dataDim D, the z columns before the ℓ column
 */
public record TensorwiseFlowNorm(int dataDim) implements ErrorNorm {

    /** @throws IllegalArgumentException when dataDim is below 1 */
    public TensorwiseFlowNorm {
        if (dataDim < 1) throw new IllegalArgumentException("dataDim must be >= 1, got " + dataDim);
    }

    @Override
    public double measure(double[] v, double[] ya, double[] yb, int rows, int dim, double atol, double rtol,
                          double[] atolVec, double[] rtolVec) {
        double z = 0.0, l = 0.0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < dim; c++) {
                int i = r * dim + c;
                double scale = (atolVec == null ? atol : atolVec[i])
                        + (rtolVec == null ? rtol : rtolVec[i]) * Math.max(Math.abs(ya[i]), Math.abs(yb[i]));
                double e = v[i] / scale;
                if (c < dataDim) {
                    z += e * e;
                } else {
                    l += e * e;
                }
            }
        }
        double zRms = Math.sqrt(z / ((double) rows * dataDim));
        double lRms = dim > dataDim ? Math.sqrt(l / ((double) rows * (dim - dataDim))) : 0.0;
        return zRms != zRms || lRms != lRms ? Double.NaN : Math.max(zRms, lRms);
    }
}
