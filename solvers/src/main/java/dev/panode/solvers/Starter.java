package dev.panode.solvers;

/**
 * The one-step method that produces the first {@code k−1} states of a {@code k}-step {@link LinearMultistep} method.
 *
 * <p>A starter is an explicit Runge–Kutta tableau ({@link ButcherTableau}); Euler, Heun and RK4 are the tableaux of
 * {@link RungeKutta#euler()}, {@link RungeKutta#heun()} and {@link RungeKutta#rk4()}. Its local error is
 * O(h^(q+1)) for order q, and it is taken only {@code k−1} times, so a starter of order {@code p−1} keeps a method of
 * order p at global order p; a starter of order p also keeps the error constant. Euler is the textbook starter for
 * leapfrog (Hairer, Nørsett &amp; Wanner I, §III.1). The first stage of every starter is f at the step's start, which
 * the multistep history reuses.
 */
public enum Starter {
    /** Forward Euler, order 1. */
    EULER(RungeKutta.euler().tableau()),
    /** Heun's method (explicit trapezoid), order 2. */
    HEUN(RungeKutta.heun().tableau()),
    /** Kutta's third-order method (c = 0, ½, 1; b = 1/6, 2/3, 1/6). */
    RK3(new ButcherTableau("kutta3", new double[] {0.0, 0.5, 1.0}, new double[][] {{}, {0.5}, {-1.0, 2.0}},
            new double[] {1.0 / 6.0, 2.0 / 3.0, 1.0 / 6.0}, null, 3, 0)),
    /** The classic fourth-order Runge–Kutta method. */
    RK4(RungeKutta.rk4().tableau());

    private final ButcherTableau tableau;

    Starter(ButcherTableau tableau) {
        this.tableau = tableau;
    }


    /** The tableau (validated by {@link ButcherTableau} itself). */
    public ButcherTableau tableau() {
        return tableau;
    }

    /** The classical order of the starter. */
    public int order() {
        return tableau.order();
    }

    /** The number of stages s. */
    public int stages() {
        return tableau.stages();
    }

    /** The node c_i, {@code 0 ≤ i < stages()}. */
    public double c(int i) {
        return tableau.c(i);
    }

    /** The weight b_i, {@code 0 ≤ i < stages()}. */
    public double b(int i) {
        return tableau.b(i);
    }

    /** The coupling a_ij for {@code j < i} (0 otherwise). */
    public double a(int i, int j) {
        return tableau.a(i, j);
    }

    /** The cheapest starter of at least the given order. */
    public static Starter ofOrder(int order) {
        for (Starter s : values()) {
            if (s.order() >= order) return s;
        }
        throw new IllegalArgumentException("order must be in 1..4, got " + order);
    }
}
