package dev.panode.solvers;

/**
 * Explicit Adams–Bashforth methods of orders 2–4: {@code z_{n+1} = z_n + h Σ_j β_j f_{n−j}} with the classical
 * coefficients (Hairer, Nørsett &amp; Wanner I, §III.1, Table 1.1):
 * AB2 (3, −1)/2, AB3 (23, −16, 5)/12, AB4 (55, −59, 37, −9)/24. One evaluation of f per step.
 *
 * <p>The extra characteristic roots are at 0, so neither the forward solution nor backprop through it carries a
 * parasitic mode; only the gradients of the first and last steps differ from the pointwise functional gradient
 * (docs/ALGORITHMS.md §10). Small stability regions: not for stiff problems.
 */
public final class AdamsBashforth {
    private AdamsBashforth() {}

    /** AB of the given order (2–4) with the Runge–Kutta starter of the same order. */
    public static LinearMultistep of(int order) {
        checkOrder(order);
        return of(order, Starter.ofOrder(order));
    }

    /** AB of the given order (2–4) with the given starter. */
    public static LinearMultistep of(int order, Starter starter) {
        checkOrder(order);
        double[] beta = switch (order) {
            case 2 -> new double[] {1.5, -0.5};
            case 3 -> new double[] {23.0 / 12.0, -16.0 / 12.0, 5.0 / 12.0};
            default -> new double[] {55.0 / 24.0, -59.0 / 24.0, 37.0 / 24.0, -9.0 / 24.0};
        };
        double[] alpha = new double[order];
        alpha[0] = 1.0;
        return new LinearMultistep("ab" + order, LinearMultistep.Family.ADAMS_BASHFORTH, order, alpha, beta, starter);
    }

    private static void checkOrder(int order) {
        if (order < 2 || order > 4) throw new IllegalArgumentException("order must be 2, 3 or 4, got " + order);
    }
}
