package dev.panode.solvers;

import dev.panode.simd.StageKernels;
import java.util.ArrayList;
import java.util.List;

/** Every accepted step of a solve with its stages, for {@link Solution#evaluate} through the method's interpolant. */
final class DenseTrajectory {
    private final Interpolant interpolant;
    private final int n;
    private final double t0;
    private final double t1;
    private final double dir;
    private final List<double[]> y0s = new ArrayList<>();
    private final List<double[][]> ks = new ArrayList<>();
    private double[] tStart = new double[16], hs = new double[16], tEnd = new double[16];
    private int count;
    private final double[] weights;

    DenseTrajectory(Interpolant interpolant, int n, double t0, double t1, double dir) {
        this.interpolant = interpolant;
        this.n = n;
        this.t0 = t0;
        this.t1 = t1;
        this.dir = dir;
        this.weights = new double[interpolant.weightCount()];
    }

    void record(double t, double h, double tNew, double[] y, double[][] k) {
        if (count == tStart.length) {
            tStart = java.util.Arrays.copyOf(tStart, 2 * count);
            hs = java.util.Arrays.copyOf(hs, 2 * count);
            tEnd = java.util.Arrays.copyOf(tEnd, 2 * count);
        }
        tStart[count] = t;
        hs[count] = h;
        tEnd[count] = tNew;
        y0s.add(java.util.Arrays.copyOf(y, n));
        double[][] kc = new double[k.length][];
        for (int i = 0; i < k.length; i++) kc[i] = java.util.Arrays.copyOf(k[i], n);
        ks.add(kc);
        count++;
    }

    void evaluate(double t, double[] out) {
        if (count == 0) throw new IllegalStateException("no step was taken");
        double last = dir * (tEnd[count - 1] - t1) > 0 ? t1 : tEnd[count - 1];
        if (!(dir * (t - t0) >= 0 && dir * (t - last) <= 0)) // also refuses NaN
            throw new IllegalArgumentException("t must be inside the solved interval [" + Math.min(t0, last) + ", "
                    + Math.max(t0, last) + "], got " + t);
        int lo = 0, hi = count - 1;
        while (lo < hi) { // first step whose end is at or beyond t
            int mid = (lo + hi) >>> 1;
            if (dir * (tEnd[mid] - t) >= 0) hi = mid;
            else lo = mid + 1;
        }
        double theta = (t - tStart[lo]) / hs[lo];
        interpolant.weights(theta, weights);
        StageKernels.combine(y0s.get(lo), 0, hs[lo], weights, weights.length, ks.get(lo), 0, out, 0, n);
    }
}
