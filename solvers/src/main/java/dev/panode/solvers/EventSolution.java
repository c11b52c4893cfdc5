package dev.panode.solvers;

/**
 * The result of {@link Events#solve}: either an event (which condition, when, the state there) or, when no condition
 * crossed before t1, the ordinary {@link Solution}.
 *
 * @param condition the index of the condition that triggered, −1 when none did
 * @param time      the event time t*, NaN when none
 * @param state     y(t*) from the dense output, {@code rows·dim} values; null when none
 * @param accepted  the accepted steps taken up to the event (or to t1)
 * @param solution  the full solution when no event triggered; null when one did (the solve stopped inside a step)
 */
public record EventSolution(int condition, double time, double[] state, long accepted, Solution solution) {
    /** True when a condition crossed zero before t1. */
    public boolean triggered() {
        return condition >= 0;
    }
}
