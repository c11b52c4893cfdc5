package dev.panode.adjoint.gradients;

/**
 * Where each observation time t_1..t_N falls among the recorded steps: at the end of step m (the solver landed on it)
 * or strictly inside step m at fraction θ (the solver interpolated). t_0 is the initial time. Placed once per
 * gradient (into the same arrays, in a session); placing and reading allocate nothing.
 */
final class ObservationPlacement {
    final int[] step;
    final double[] theta;
    final boolean[] atEnd;

    ObservationPlacement(double[] times, StepRecord steps) {
        this(times.length);
        place(times, steps);
    }

    /** Room for {@code count} observation times (t_0 included); {@link #place} fills it. */
    ObservationPlacement(int count) {
        step = new int[count];
        theta = new double[count];
        atEnd = new boolean[count];
    }

    /** Places {@code times} (as many as this placement holds) among the recorded steps; allocates nothing. */
    void place(double[] times, StepRecord steps) {
        int count = step.length;
        step[0] = -1;
        int m = 0;
        for (int i = 1; i < count; i++) {
            double ti = times[i];
            while (m < steps.count() - 1 && steps.tEnd(m) < ti) m++;
            step[i] = m;
            if (steps.tEnd(m) == ti) {
                atEnd[i] = true;
                theta[i] = 1.0;
            } else {
                atEnd[i] = false;
                double h = steps.h(m);
                theta[i] = (ti - steps.t(m)) / h;
            }
        }
    }
}
