package dev.panode.solvers;

/**
 * The leapfrog (explicit midpoint) method {@code z_{n+1} = z_{n−1} + 2h f(t_n, z_n)}, order 2, one evaluation per step.
 *
 * <p>Its second characteristic root is −1: it is only weakly stable. The forward solution is fine on non-dissipative
 * problems, but backprop through it runs leapfrog backwards from an inconsistent terminal pair, and with parameters per
 * step the per-step gradients carry an O(1) even/odd sawtooth that does not shrink with h (Xu, Chen &amp; Li,
 * arXiv:2306.02192; derivation in docs/ALGORITHMS.md §10). Use the corrected gradient modes of the adjoint module's
 * {@code MultistepBackprop} for per-step parameters. Do not use leapfrog on dissipative or stiff problems, where its
 * parasitic mode grows.
 */
public final class Leapfrog {
    private Leapfrog() {}

    /** Leapfrog with the Euler starter {@code z_1 = z_0 + h f(t_0, z_0)} (the setting of docs/ALGORITHMS.md §10). */
    public static LinearMultistep of() {
        return of(Starter.EULER);
    }

    /** Leapfrog with the given starter for z_1. */
    public static LinearMultistep of(Starter starter) {
        return new LinearMultistep("leapfrog", LinearMultistep.Family.LEAPFROG, 2,
                new double[] {0.0, 1.0}, new double[] {2.0, 0.0}, starter);
    }
}
