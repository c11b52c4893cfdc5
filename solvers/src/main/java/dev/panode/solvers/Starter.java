package dev.panode.solvers;

/**
 * The one-step method that produces the first {@code k−1} states of a {@code k}-step {@link LinearMultistep} method.
 *
 * <p>A starter is an explicit Runge–Kutta tableau (c, A, b). Its local error is O(h^(q+1)) for order q, and it is taken
 * only {@code k−1} times, so a starter of order {@code p−1} keeps a method of order p at global order p; a starter of
 * order p also keeps the error constant. Euler is the textbook starter for leapfrog (Hairer, Nørsett &amp; Wanner I,
 * §III.1). The first stage of every starter is f at the step's start, which the multistep history reuses.
 */
public enum Starter {
    /** Forward Euler, order 1. */
    EULER(1, new double[] {0.0}, new double[][] {{}}, new double[] {1.0}),
    /** Heun's method (explicit trapezoid), order 2. */
    HEUN(2, new double[] {0.0, 1.0}, new double[][] {{}, {1.0}}, new double[] {0.5, 0.5}),
    /** Kutta's third-order method. */
    RK3(3, new double[] {0.0, 0.5, 1.0}, new double[][] {{}, {0.5}, {-1.0, 2.0}},
            new double[] {1.0 / 6.0, 2.0 / 3.0, 1.0 / 6.0}),
    /** The classic fourth-order Runge–Kutta method. */
    RK4(4, new double[] {0.0, 0.5, 0.5, 1.0}, new double[][] {{}, {0.5}, {0.0, 0.5}, {0.0, 0.0, 1.0}},
            new double[] {1.0 / 6.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0});

    private final int order;
    private final double[] c;
    private final double[][] a;
    private final double[] b;

    Starter(int order, double[] c, double[][] a, double[] b) {
        this.order = order;
        this.c = c;
        this.a = a;
        this.b = b;
    }

    /** The classical order of the starter. */
    public int order() {
        return order;
    }

    /** The number of stages s. */
    public int stages() {
        return b.length;
    }

    /** The node c_i, {@code 0 ≤ i < stages()}. */
    public double c(int i) {
        return c[i];
    }

    /** The weight b_i, {@code 0 ≤ i < stages()}. */
    public double b(int i) {
        return b[i];
    }

    /** The coupling a_ij for {@code j < i} (0 otherwise). */
    public double a(int i, int j) {
        return j < i ? a[i][j] : 0.0;
    }

    /** Row i of A (length i), shared: callers must not modify it. Package-private for the stage kernels. */
    double[] row(int i) {
        return a[i];
    }

    double[] weights() {
        return b;
    }

    /** The cheapest starter of at least the given order. */
    public static Starter ofOrder(int order) {
        for (Starter s : values()) {
            if (s.order >= order) return s;
        }
        throw new IllegalArgumentException("order must be in 1..4, got " + order);
    }
}
