package dev.panode.adjoint.gradients;

import java.util.Arrays;

/**
 * The accepted steps of a forward solve, (t_n, h_n, tEnd_n), in order; what every backward pass replays. Times
 * increase. Growing it allocates (forward pass only); reading allocates nothing.
 */
final class StepRecord {
    private double[] t = new double[64];
    private double[] h = new double[64];
    private double[] tEnd = new double[64];
    private int count;

    void clear() {
        count = 0;
    }

    void add(double tStart, double step, double end) {
        if (count == t.length) {
            int cap = count * 2;
            t = Arrays.copyOf(t, cap);
            h = Arrays.copyOf(h, cap);
            tEnd = Arrays.copyOf(tEnd, cap);
        }
        t[count] = tStart;
        h[count] = step;
        tEnd[count] = end;
        count++;
    }

    int count() {
        return count;
    }

    double t(int i) {
        return t[i];
    }

    double h(int i) {
        return h[i];
    }

    double tEnd(int i) {
        return tEnd[i];
    }

    /**
     * The step whose closed interval [t_n, tEnd_n] contains {@code time}: the last step starting at or before it,
     * clamped to the recorded range.
     */
    int find(double time) {
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (t[mid] <= time) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
