package dev.panode.simd;

/**
 * Scaled error norms {@code norm(errᵢ / (atolᵢ + rtolᵢ·max(|y0ᵢ|, |y1ᵢ|)))} as used by adaptive step control.
 *
 * <p>API contract (stable; the bodies may be vectorised): components {@code [off, off+n)} of {@code err}, {@code y0}
 * and {@code y1} are read; per-component tolerance arrays are indexed by the same absolute index {@code off+j};
 * a NaN anywhere gives NaN; n = 0 gives 0. Nothing is allocated.
 */
public final class ErrorNorms {
    private ErrorNorms() {}

    /** Scaled norm with scalar tolerances. */
    public static double scaled(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                double atol, double rtol) {
        double acc = 0.0;
        for (int j = off; j < off + n; j++) {
            double sc = atol + rtol * Math.max(Math.abs(y0[j]), Math.abs(y1[j]));
            double r = err[j] / sc;
            acc = kind == NormKind.RMS ? acc + r * r : maxNaN(acc, Math.abs(r));
        }
        return finish(kind, acc, n);
    }

    /** Scaled norm with per-component tolerances {@code atol[off+j]}, {@code rtol[off+j]}. */
    public static double scaled(NormKind kind, double[] err, double[] y0, double[] y1, int off, int n,
                                double[] atol, double[] rtol) {
        double acc = 0.0;
        for (int j = off; j < off + n; j++) {
            double sc = atol[j] + rtol[j] * Math.max(Math.abs(y0[j]), Math.abs(y1[j]));
            double r = err[j] / sc;
            acc = kind == NormKind.RMS ? acc + r * r : maxNaN(acc, Math.abs(r));
        }
        return finish(kind, acc, n);
    }

    /** One scaled norm per row of a {@code rows × dim} batch, written to {@code out[0..rows)}; scalar tolerances. */
    public static void scaledPerRow(NormKind kind, double[] err, double[] y0, double[] y1, int rows, int dim,
                                    double atol, double rtol, double[] out) {
        for (int r = 0; r < rows; r++) out[r] = scaled(kind, err, y0, y1, r * dim, dim, atol, rtol);
    }

    /**
     * Seminorm: the scaled norm over {@code [0, n)} that leaves out the half-open index ranges
     * {@code [ignored[2m], ignored[2m+1])} (sorted, disjoint). The RMS divides by the number of components kept.
     */
    public static double scaledSeminorm(NormKind kind, double[] err, double[] y0, double[] y1, int n,
                                        double atol, double rtol, int[] ignored) {
        double acc = 0.0;
        int kept = 0;
        int start = 0;
        for (int m = 0; m <= ignored.length / 2; m++) {
            int end = m < ignored.length / 2 ? ignored[2 * m] : n;
            int len = end - start;
            if (len > 0) {
                double part = scaled(kind, err, y0, y1, start, len, atol, rtol);
                acc = kind == NormKind.RMS ? acc + part * part * len : maxNaN(acc, part);
                kept += len;
            }
            if (m < ignored.length / 2) start = ignored[2 * m + 1];
        }
        return finish(kind, acc, kept);
    }

    private static double maxNaN(double a, double b) {
        return (a != a || b != b) ? Double.NaN : Math.max(a, b);
    }

    private static double finish(NormKind kind, double acc, int n) {
        if (n == 0) return 0.0;
        return kind == NormKind.RMS ? Math.sqrt(acc / n) : acc;
    }
}
