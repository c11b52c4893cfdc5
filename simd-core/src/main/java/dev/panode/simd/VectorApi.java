package dev.panode.simd;

/**
 * Whether this JVM can run panode's kernels: they use the incubating Vector API ({@code jdk.incubator.vector}), a
 * module the JVM resolves only when asked. On the class path that takes the flag
 * {@code --add-modules jdk.incubator.vector}; on the module path panode's modules require it themselves. Without it
 * the first kernel would die with {@code NoClassDefFoundError: jdk/incubator/vector/Vector}; the library's entry points
 * (solvers, gradients, the MLP) call {@link #require()} first, so the user gets a message that names the flag instead.
 *
 * <p>This class itself references no Vector API type, so it loads on any JVM. The check costs one read of a
 * {@code static final} field.
 */
public final class VectorApi {
    /** The flag to add on the class path. */
    public static final String FLAG = "--add-modules jdk.incubator.vector";

    private static final boolean PRESENT = probe();

    private VectorApi() {}

    /** Whether the Vector API module is readable here (loads one of its classes without initialising it). */
    public static boolean isPresent() {
        return PRESENT;
    }

    /**
     * Returns when the Vector API is available.
     *
     * @throws IllegalStateException when the JVM was started without the Vector API module; the message names the
     *                               flag to add
     */
    public static void require() {
        if (!PRESENT) {
            throw new IllegalStateException("panode needs the incubating Vector API, which this JVM has not loaded: "
                    + "start java with " + FLAG + " (on the class path; on the module path panode's modules require "
                    + "it themselves), and --enable-native-access=ALL-UNNAMED for OpenBLAS (see the README, "
                    + "\"Using it as a library\")");
        }
    }

    private static boolean probe() {
        try {
            Class.forName("jdk.incubator.vector.DoubleVector", false, VectorApi.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
