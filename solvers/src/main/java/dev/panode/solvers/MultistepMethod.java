package dev.panode.solvers;

/**
 * A {@link LinearMultistep} method (leapfrog, Adams–Bashforth) run through the common entry point
 * {@link Solver#solve}, so that it returns the same {@link Solution}, statistics, save policies (t1, times, steps),
 * observers and failure results as the Runge–Kutta family.
 *
 * <p>Fixed steps only: use {@link ConstantStep}; the grid must divide [t0, t1] evenly and tstops are not supported
 * ({@link #requiresUniformSteps()}). The first k−1 steps use the method's {@link Starter}; afterwards each step costs
 * one evaluation. Save times inside a step use cubic Hermite interpolation from (y, f) at both ends (third order),
 * whose end derivative is the next step's f and so costs nothing extra. A {@link LinearMultistep} is itself an
 * {@link OdeMethod} with the same stepper; this wrapper names the family explicitly. A {@link StepwiseField} (per-step
 * parameters) is evaluated with its step index; save with {@link SaveAt#steps()} for the trajectory that multistep
 * backprop reads, or use the allocation-free {@link MultistepSolver}.
 */
public final class MultistepMethod implements OdeMethod {
    private final LinearMultistep lmm;

    private MultistepMethod(LinearMultistep lmm) {
        this.lmm = lmm;
    }

    /** The method for {@link Solver#solve}. */
    public static MultistepMethod of(LinearMultistep lmm) {
        if (lmm == null) throw new IllegalArgumentException("lmm must be non-null");
        return new MultistepMethod(lmm);
    }

    /** The multistep formula. */
    public LinearMultistep formula() {
        return lmm;
    }

    @Override
    public String name() {
        return lmm.name();
    }

    @Override
    public int order() {
        return lmm.order();
    }

    @Override
    public int errorOrder() {
        return 0;
    }

    @Override
    public boolean requiresUniformSteps() {
        return true;
    }

    /** The formula's own stepper ({@link LinearMultistep#newStepper}), reporting this object as its method. */
    @Override
    public Stepper newStepper(VectorField field, int maxRows, int dim) {
        if (field == null) throw new IllegalArgumentException("field must not be null");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        return new MultistepStepper(lmm, this, field, maxRows, dim);
    }

    @Override
    public String toString() {
        return "MultistepMethod[" + lmm.name() + "]";
    }
}
