package dev.panode.solvers;

import java.util.Arrays;

/**
 * An explicit fixed-step linear multistep method with {@code k} steps,
 * <pre>
 *   z_{n+1} = Σ_{j&lt;k} α_j z_{n−j} + h Σ_{j&lt;k} β_j f(t_{n−j}, z_{n−j}),
 * </pre>
 * together with the {@link Starter} that produces z_1 … z_{k−1}. Immutable and validated: the constructor checks
 * consistency (ρ(1) = 0 and ρ'(1) = σ(1), Hairer, Nørsett &amp; Wanner I, §III.2).
 *
 * <p>Build one with {@link Leapfrog} or {@link AdamsBashforth}; solve with {@link Solver#solve} and a
 * {@link ConstantStep} controller like any {@link OdeMethod}, or with {@link MultistepSolver#integrate} into
 * caller-owned buffers. One step costs one
 * evaluation of f, whatever the order: that is the reason to use a multistep method. Do not use one with adaptive step
 * sizes (these coefficients are for a uniform grid) or on stiff problems; and see {@link Leapfrog} for why its
 * per-step gradients need a correction.
 */
public final class LinearMultistep implements OdeMethod {

    /** The family a method belongs to; gradient corrections depend on it. */
    public enum Family {
        /** The explicit midpoint rule: second characteristic root at −1 (weakly stable). */
        LEAPFROG,
        /** Adams–Bashforth: extra characteristic roots at 0. */
        ADAMS_BASHFORTH
    }

    private final String name;
    private final Family family;
    private final int order;
    private final double[] alpha;
    private final double[] beta;
    private final Starter starter;

    LinearMultistep(String name, Family family, int order, double[] alpha, double[] beta, Starter starter) {
        if (alpha.length != beta.length || alpha.length == 0) {
            throw new IllegalArgumentException("alpha and beta must have the same non-zero length, got "
                    + alpha.length + " and " + beta.length);
        }
        if (starter == null) throw new IllegalArgumentException("starter must be non-null");
        double rho1 = 1.0;
        double rhoPrime = 0.0;
        double sigma1 = 0.0;
        int k = alpha.length;
        for (int j = 0; j < k; j++) {
            rho1 -= alpha[j];
            rhoPrime -= alpha[j] * (k - 1 - j);
            sigma1 += beta[j];
        }
        rhoPrime += k;
        if (Math.abs(rho1) > 1e-12 || Math.abs(rhoPrime - sigma1) > 1e-12) {
            throw new IllegalArgumentException("inconsistent multistep coefficients for " + name + ": rho(1) = " + rho1
                    + ", rho'(1) = " + rhoPrime + ", sigma(1) = " + sigma1);
        }
        this.name = name;
        this.family = family;
        this.order = order;
        this.alpha = alpha.clone();
        this.beta = beta.clone();
        this.starter = starter;
    }

    /** A short name, e.g. {@code "leapfrog"} or {@code "ab3"}. */
    @Override
    public String name() {
        return name;
    }

    /** The family of the method (Adams–Bashforth, leapfrog, ...). */
    public Family family() {
        return family;
    }

    /** The classical order p of the multistep formula. */
    @Override
    public int order() {
        return order;
    }

    /** 0: a multistep method here has no error estimate and runs only under {@link ConstantStep}. */
    @Override
    public int errorOrder() {
        return 0;
    }

    /** True: the coefficients assume a uniform grid. */
    @Override
    public boolean requiresUniformSteps() {
        return true;
    }

    /**
     * The stepper for {@link Solver#solve}. A {@link StepwiseField} is evaluated with the step index, so per-step
     * parameters work through the common entry point; save with {@link SaveAt#steps()} to get the trajectory that
     * backprop through the recursion reads.
     */
    @Override
    public Stepper newStepper(VectorField field, int maxRows, int dim) {
        if (field == null) throw new IllegalArgumentException("field must be non-null");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        return new MultistepStepper(this, this, field, maxRows, dim);
    }

    /** The number of steps k: the formula uses z_n … z_{n−k+1}. */
    public int steps() {
        return alpha.length;
    }

    /** α_j, the weight of z_{n−j}. */
    public double alpha(int j) {
        return alpha[j];
    }

    /** β_j, the weight of h·f_{n−j}. */
    public double beta(int j) {
        return beta[j];
    }

    /** The one-step method that produces the first history values. */
    public Starter starter() {
        return starter;
    }

    /** The j with α_j = 1 when all other α vanish (true of every method here), else −1. */
    int anchor() {
        int found = -1;
        for (int j = 0; j < alpha.length; j++) {
            if (alpha[j] == 1.0 && found < 0) found = j;
            else if (alpha[j] != 0.0) return -1;
        }
        return found;
    }

    double[] alphaArray() {
        return alpha;
    }

    double[] betaArray() {
        return beta;
    }

    /** The same formula with another starter. */
    public LinearMultistep withStarter(Starter newStarter) {
        return new LinearMultistep(name, family, order, alpha, beta, newStarter);
    }

    /** Equal when the formula and the starter are (the family and order follow from them). */
    @Override
    public boolean equals(Object o) {
        return o instanceof LinearMultistep m && name.equals(m.name) && starter == m.starter
                && Arrays.equals(alpha, m.alpha) && Arrays.equals(beta, m.beta);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + starter.hashCode()) + Arrays.hashCode(beta);
    }

    @Override
    public String toString() {
        return name + "(starter=" + starter + ", alpha=" + Arrays.toString(alpha) + ", beta=" + Arrays.toString(beta) + ")";
    }
}
