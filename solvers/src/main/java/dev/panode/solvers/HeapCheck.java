package dev.panode.solvers;

/**
 * Size checks before large heap allocations: a workspace, a solve's saved states or a gradient's buffers that cannot
 * fit in the heap are refused with a message naming what, the bytes it needs and the heap's maximum
 * ({@link Runtime#maxMemory()}), instead of an {@link OutOfMemoryError} thrown from deep inside a constructor.
 *
 * <p>The test is against the heap's maximum, not its free space (which depends on garbage the collector has not yet
 * freed): a request that passes may still fail when the heap is full of live objects, but one that fails could never
 * succeed. Products of sizes saturate at {@link Long#MAX_VALUE} instead of wrapping. Cost: a few arithmetic
 * operations; nothing is allocated unless the check fails.
 */
public final class HeapCheck {
    private HeapCheck() {}

    /** The largest length the JVM allows for one array (a few elements below {@link Integer#MAX_VALUE}). */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** The product of non-negative {@code a} and {@code b}, saturating at {@link Long#MAX_VALUE}. */
    public static long doubles(long a, long b) {
        return times(factor(a), b);
    }

    /** The product of three non-negative sizes, saturating at {@link Long#MAX_VALUE}. */
    public static long doubles(long a, long b, long c) {
        return times(doubles(a, b), c);
    }

    /** The product of four non-negative sizes, saturating at {@link Long#MAX_VALUE}. */
    public static long doubles(long a, long b, long c, long d) {
        return times(doubles(a, b, c), d);
    }

    /** The sum of non-negative {@code a} and {@code b}, saturating at {@link Long#MAX_VALUE}. */
    public static long sum(long a, long b) {
        return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
    }

    // Fixed arities, not varargs: a varargs call builds an array, and the checks run on every solve (0 B per call).
    private static long times(long p, long f) {
        factor(f);
        return f != 0 && p > Long.MAX_VALUE / f ? Long.MAX_VALUE : p * f;
    }

    private static long factor(long f) {
        if (f < 0) throw new IllegalArgumentException("sizes must be >= 0, got " + f);
        return f;
    }

    /**
     * Throws if {@code doubles} values of 8 bytes cannot fit in the heap.
     *
     * @param what    what is being allocated, for the message (e.g. "MLP workspace for maxRows = 20000")
     * @param doubles the number of doubles it needs in all
     * @throws IllegalArgumentException naming {@code what}, the bytes needed and {@link Runtime#maxMemory()}
     */
    public static void require(String what, long doubles) {
        if (!fits(doubles)) throw new IllegalArgumentException(problem(what, doubles));
    }

    /** Whether {@code doubles} values of 8 bytes fit in the heap's maximum. Allocates nothing. */
    public static boolean fits(long doubles) {
        return doubles <= Runtime.getRuntime().maxMemory() / Double.BYTES;
    }

    /** The message {@link #require} would throw, or null when {@code doubles} fit. */
    public static String problem(String what, long doubles) {
        if (fits(doubles)) return null;
        long max = Runtime.getRuntime().maxMemory();
        long bytes = doubles > Long.MAX_VALUE / Double.BYTES ? Long.MAX_VALUE : doubles * Double.BYTES;
        return what + " needs " + (bytes == Long.MAX_VALUE ? "more than " : "") + bytes + " bytes (" + human(bytes)
                + ") but the heap holds at most " + human(max) + " (Runtime.maxMemory() = " + max + " bytes); use a "
                + "smaller batch, model or number of saved states, or raise the heap with -Xmx";
    }

    /**
     * {@code elements} as an array length, after {@link #require}: throws when one array would exceed the JVM's
     * limit of {@value #MAX_ARRAY_LENGTH} elements.
     */
    public static int length(String what, long elements) {
        if (elements < 0 || elements > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(what + " needs an array of " + elements + " doubles, more than the "
                    + "JVM's limit of " + MAX_ARRAY_LENGTH + " per array; use a smaller batch");
        }
        return (int) elements;
    }

    private static String human(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.3g GiB", bytes / (double) (1L << 30));
    }
}
