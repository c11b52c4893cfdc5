package dev.panode.adjoint.gradients;

/**
 * How a gradient method keeps forward states for its backward pass. Immutable.
 *
 * <ul>
 *   <li>{@link All}: every accepted step's starting state is stored off-heap; memory O(n), nothing recomputed.</li>
 *   <li>{@link Binomial}: at most {@code slots} states (y_0's included). {@link Backprop} reverses the n steps with
 *       Griewank's binomial schedule ({@link Revolve}): about r·n forward steps in all, with r the least integer
 *       such that C(slots + r, slots) ≥ n. {@link InterpolatingAdjoint} keeps every k-th step, k doubling whenever
 *       the slots run out.</li>
 *   <li>{@link Budget}: a byte budget; the slots are derived from it ({@code bytes / (8·rows·dim)}). Every step is
 *       stored while it fits (no recomputation); beyond that, as {@link Binomial} with the derived slots.</li>
 * </ul>
 */
public sealed interface Checkpointing {

    /** Store every step. */
    record All() implements Checkpointing {}

    /** Binomial (revolve) checkpointing with a fixed number of slots, y_0's included. */
    record Binomial(int slots) implements Checkpointing {
        /**
         * Binomial checkpointing with {@code slots} slots.
         *
         * @throws IllegalArgumentException if {@code slots < 1}
         */
        public Binomial {
            if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
    }

    /** A byte budget for the off-heap store, from which the number of slots is derived. */
    record Budget(long bytes) implements Checkpointing {
        /**
         * A budget of {@code bytes} bytes.
         *
         * @throws IllegalArgumentException if {@code bytes <= 0}
         */
        public Budget {
            if (bytes <= 0) throw new IllegalArgumentException("bytes must be > 0, got " + bytes);
        }
    }

    /** Every step stored. */
    static Checkpointing all() {
        return new All();
    }

    /** At most {@code slots} stored states, y_0's included. */
    static Checkpointing binomial(int slots) {
        return new Binomial(slots);
    }

    /** At most {@code bytes} of off-heap memory. */
    static Checkpointing budget(long bytes) {
        return new Budget(bytes);
    }

    /** The number of slots this mode allows for states of {@code slotLength} doubles ({@code Integer.MAX_VALUE} for ALL). */
    default int slotsFor(int slotLength) {
        return switch (this) {
            case All a -> Integer.MAX_VALUE;
            case Binomial b -> b.slots();
            case Budget b -> (int) Math.min(Integer.MAX_VALUE, CheckpointStore.slotsWithin(b.bytes(), slotLength));
        };
    }

    /** The byte budget for a store of slots of {@code slotLength} doubles. */
    default long budgetBytesFor(int slotLength) {
        return budgetBytesForSlotsOf(CheckpointStore.slotBytes(slotLength));
    }

    /**
     * The byte budget for slots of {@code slotBytes} bytes each (a float32 state's too): {@code Long.MAX_VALUE} for
     * ALL, the slots' bytes for a binomial schedule, the bytes given for a budget.
     */
    default long budgetBytesForSlotsOf(long slotBytes) {
        return switch (this) {
            case All a -> Long.MAX_VALUE;
            case Binomial b -> b.slots() * slotBytes;
            case Budget b -> b.bytes();
        };
    }
}
