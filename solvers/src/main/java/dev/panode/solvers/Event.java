package dev.panode.solvers;

import java.util.Arrays;
import java.util.List;

/**
 * Terminating events: one or more conditions g_k(t, y), each with a direction; the solve stops at the first zero
 * crossing of any of them (in the direction of travel of t), located on the method's dense output to {@link #tolerance()}
 * in t. Immutable.
 *
 * <p>A crossing is detected between the ends of each accepted step (a sign change of g, or g reaching 0 from a non-zero
 * value), so two roots inside one step cancel and go unseen: bound the step ({@code dtMax}) when g can oscillate faster
 * than the solution. A condition that is exactly 0 at t0 does not trigger at t0.
 *
 * @param conditions the conditions g_k
 * @param directions the direction each must cross in, one per condition
 * @param tolerance  the root is located to |Δt| ≤ tolerance (absolute, &gt; 0)
 */
public record Event(List<EventCondition> conditions, List<Direction> directions, double tolerance) {

    /** Which crossings count, in the direction of travel of t. */
    public enum Direction {
        /** g goes from negative to positive. */
        RISING,
        /** g goes from positive to negative. */
        FALLING,
        /** either. */
        BOTH;

        boolean accepts(double before, double after) {
            return switch (this) {
                case RISING -> before < 0 && after >= 0;
                case FALLING -> before > 0 && after <= 0;
                case BOTH -> (before < 0 && after >= 0) || (before > 0 && after <= 0);
            };
        }
    }

    public Event {
        if (conditions == null || conditions.isEmpty())
            throw new IllegalArgumentException("conditions must hold at least one condition, got " + conditions);
        if (directions == null || directions.size() != conditions.size())
            throw new IllegalArgumentException("directions must have one entry per condition (" + conditions.size()
                    + "), got " + (directions == null ? null : directions.size()));
        for (int k = 0; k < conditions.size(); k++) {
            if (conditions.get(k) == null) throw new IllegalArgumentException("conditions[" + k + "] must be non-null");
            if (directions.get(k) == null) throw new IllegalArgumentException("directions[" + k + "] must be non-null");
        }
        if (!(tolerance > 0 && Double.isFinite(tolerance)))
            throw new IllegalArgumentException("tolerance must be finite and > 0, got " + tolerance);
        conditions = List.copyOf(conditions);
        directions = List.copyOf(directions);
    }

    /** One condition, crossing in the given direction, located to 1e-12 in t. */
    public static Event of(EventCondition condition, Direction direction) {
        return new Event(List.of(condition), List.of(direction), 1e-12);
    }

    /** Several conditions, each crossing in either direction, located to 1e-12 in t. */
    public static Event anyOf(EventCondition... conditions) {
        Direction[] d = new Direction[conditions.length];
        Arrays.fill(d, Direction.BOTH);
        return new Event(Arrays.asList(conditions), Arrays.asList(d), 1e-12);
    }

    /** The same conditions located to another tolerance in t. */
    public Event withTolerance(double tolerance) {
        return new Event(conditions, directions, tolerance);
    }
}
