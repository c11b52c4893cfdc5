package dev.panode.solvers;

/**
 * The result of {@link Events#solve}: the event (which condition, when, the state there; none when no condition
 * crossed before t1) and the trajectory saved up to it.
 *
 * @param condition the index of the condition that triggered, −1 when none did
 * @param time      the event time t*, NaN when none
 * @param state     y(t*) from the dense output, {@code rows·dim} values; null when none
 * @param accepted  the accepted steps taken up to the event (or to t1)
 * @param solution  the saved trajectory: to t1 when no event triggered; when one did, the saves the options asked for
 *                  at or before t*, then the event point (t*, y(t*)) as the last entry (see {@link Events})
 */
public record EventSolution(int condition, double time, double[] state, long accepted, Solution solution) {
    /** True when a condition crossed zero before t1. */
    public boolean triggered() {
        return condition >= 0;
    }
}
