package dev.panode.solvers;

/**
 * A method the solve entry point ({@link Solver#solve}) can run: the extension point shared by the Runge–Kutta
 * family ({@link RungeKutta}) and linear multistep methods ({@link LinearMultistep}: {@link Leapfrog},
 * {@link AdamsBashforth}).
 *
 * <p>A method is immutable and thread-safe; everything mutable lives in the {@link Stepper} it creates for one
 * problem shape, which the solver keeps in its {@link SolverWorkspace} and reuses across solves. The solver owns
 * time bookkeeping, step-size control, saving, statistics and failures; the stepper only computes steps.
 *
 * <p>To add a family: implement this interface and {@link Stepper}. A method without an error estimate
 * ({@code errorOrder() == 0}) runs only under {@link ConstantStep}; one that needs all steps equal (a multistep method
 * with a fixed-h history) returns true from {@link #requiresUniformSteps()}, and the solver then rejects step grids
 * that do not divide [t0, t1] evenly or that contain tstops.
 */
public interface OdeMethod {
    /** A short name, e.g. {@code "dopri5"}. */
    String name();

    /** The order of the propagated solution. */
    int order();

    /** The order of the embedded solution whose difference is the error estimate; 0 without an estimate. */
    int errorOrder();

    /** True when the method has an error estimate and can run under an adaptive controller. */
    default boolean isAdaptive() {
        return errorOrder() > 0;
    }

    /** True when every step of a solve must have the same size (e.g. a multistep method with fixed-h history). */
    default boolean requiresUniformSteps() {
        return false;
    }

    /**
     * The interpolant of dense output over a step's stages ({@code y + h Σ w_i(θ) k_i} with
     * {@link Stepper#stages()}), or null when the method has none; {@link SaveAt#dense()} needs one.
     */
    default Interpolant interpolant() {
        return null;
    }

    /** Creates the per-solve stepping state for a problem of up to {@code maxRows} samples of dimension {@code dim}. */
    Stepper newStepper(VectorField field, int maxRows, int dim);
}
