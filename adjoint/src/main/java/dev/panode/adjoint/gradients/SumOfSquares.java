package dev.panode.adjoint.gradients;

import java.util.Arrays;

/** Sum of squares of the states at the selected observation times; gradient 2·y. */
enum SumOfSquares implements Loss {
    /** Only the last observation. */
    AT_END,
    /** Every observation but t_0. */
    AFTER_START;

    @Override
    public double evaluate(double[] times, double[][] states, int rows, int dim, double[][] gradients) {
        double sum = 0.0;
        int n = rows * dim;
        int last = states.length - 1;
        for (int i = 0; i < states.length; i++) {
            boolean used = this == AT_END ? i == last : i >= 1;
            double[] g = gradients[i];
            if (!used) {
                Arrays.fill(g, 0, n, 0.0);
                continue;
            }
            double[] y = states[i];
            for (int j = 0; j < n; j++) {
                sum += y[j] * y[j];
                g[j] = 2.0 * y[j];
            }
        }
        return sum;
    }
}
