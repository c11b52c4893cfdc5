package dev.panode.adjoint.gradients;

/**
 * Thrown by {@link Gradients#compute} when the {@link Loss} returns a value that is not finite, or writes NaN or ±∞
 * into its gradient ∂L/∂y(t_i). The forward solve succeeded (its states are finite); the loss overflowed (for
 * example the sum of squares of states of 1e200) or is wrong. Without this check the backward pass would carry the
 * NaN into every entry of dL/dθ silently.
 *
 * <p>The message names the loss, and for a gradient entry the observation index i, its time t_i and the entry
 * {@code gradients[i][j]} with its value. Every checkpoint store is freed before it is thrown.
 */
public final class NonFiniteLossException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final double value;
    private final int observation;

    /**
     * Creates the exception.
     *
     * @param message     names the loss, the observation and the value
     * @param value       the non-finite loss or gradient entry
     * @param observation the observation index i of the gradient entry, or −1 for the loss value itself
     */
    public NonFiniteLossException(String message, double value, int observation) {
        super(message);
        this.value = value;
        this.observation = observation;
    }

    /** The non-finite value: the loss, or the gradient entry. */
    public double value() {
        return value;
    }

    /** The observation index i whose gradient ∂L/∂y(t_i) holds the value, or −1 when the loss value itself is not finite. */
    public int observation() {
        return observation;
    }

    /**
     * Checks the loss value and every gradient entry; throws on the first that is not finite.
     *
     * @param loss      the loss (named in the message)
     * @param value     L
     * @param times     t_0..t_N
     * @param gradients ∂L/∂y(t_i), each at least {@code n} long
     * @param n         entries per observation
     */
    static void check(Loss loss, double value, double[] times, double[][] gradients, int n) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteLossException("the loss " + name(loss) + " is not finite (" + value + ") although the "
                    + "forward solve's states are; it overflows for states this large, or the loss is wrong", value, -1);
        }
        for (int i = 0; i < gradients.length; i++) {
            double[] g = gradients[i];
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(g[j])) {
                    throw new NonFiniteLossException("the loss " + name(loss) + " wrote a non-finite gradient at "
                            + "observation " + i + " (t = " + times[i] + "): gradients[" + i + "][" + j + "] = " + g[j],
                            g[j], i);
                }
            }
        }
    }

    private static String name(Loss loss) {
        if (loss instanceof Enum<?> e) return e.getDeclaringClass().getSimpleName() + "." + e.name();
        String simple = loss.getClass().getSimpleName();
        return simple.isEmpty() ? loss.getClass().getName() : simple;
    }
}
