package dev.panode.solvers;

/**
 * A real-valued event condition g(t, y) over the state of the whole batch ({@code rows·dim} values, row-major): an
 * event happens where g crosses zero. Must be continuous along the solution, deterministic and allocation-free.
 */
@FunctionalInterface
public interface EventCondition {
    /** g(t, y). */
    double value(double t, double[] y);
}
