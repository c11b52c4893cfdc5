package dev.panode.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * A loss, its gradient dL/dθ and the work it took, summed over some rows of a data-parallel gradient.
 *
 * @param loss        the loss (its share of the whole data set's loss)
 * @param gradient    dL/dθ (its share), length P
 * @param nfeForward  vector-field evaluations of the forward solves
 * @param nfeBackward evaluations (or VJPs) of the backward passes
 * @param rows        the trajectories it covers
 */
public record GradientSum(double loss, double[] gradient, long nfeForward, long nfeBackward, long rows)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Zero over {@code parameterCount} parameters. */
    public static GradientSum zero(int parameterCount) {
        return new GradientSum(0, new double[parameterCount], 0, 0, 0);
    }

    /** This plus {@code other}: a new sum, component by component in index order. */
    public GradientSum plus(GradientSum other) {
        if (other.gradient.length != gradient.length) {
            throw new IllegalArgumentException("other.gradient must have length " + gradient.length + ", got "
                    + other.gradient.length);
        }
        double[] g = gradient.clone();
        for (int i = 0; i < g.length; i++) g[i] += other.gradient[i];
        return new GradientSum(loss + other.loss, g, nfeForward + other.nfeForward, nfeBackward + other.nfeBackward,
                rows + other.rows);
    }

    /** The Euclidean norm of the gradient. */
    public double gradientNorm() {
        double s = 0;
        for (double g : gradient) s += g * g;
        return Math.sqrt(s);
    }
}
