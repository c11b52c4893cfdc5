package dev.panode.solvers.problems;

import dev.panode.solvers.JacobianField;

/**
 * An initial-value problem y' = f(y), y(0) = y0 on [0, end], with a published reference value of y(end). Immutable:
 * the array accessors return copies.
 */
public final class ReferenceProblem {
    private final String name;
    private final JacobianField field;
    private final double[] initialState;
    private final double end;
    private final double[] reference;

    ReferenceProblem(String name, JacobianField field, double[] initialState, double end, double[] reference) {
        this.name = name;
        this.field = field;
        this.initialState = initialState;
        this.end = end;
        this.reference = reference;
    }

    /**
     * The problem's name in its source.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The vector field, with its analytic Jacobian; stateless, shared.
     *
     * @return the field
     */
    public JacobianField field() {
        return field;
    }

    /**
     * y(0), one sample.
     *
     * @return a fresh copy
     */
    public double[] initialState() {
        return initialState.clone();
    }

    /**
     * The end of the interval (the start is 0).
     *
     * @return the end time
     */
    public double end() {
        return end;
    }

    /**
     * The reference value of y(end).
     *
     * @return a fresh copy
     */
    public double[] reference() {
        return reference.clone();
    }

    @Override
    public String toString() {
        return name;
    }
}
