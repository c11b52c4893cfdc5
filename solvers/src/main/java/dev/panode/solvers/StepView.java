package dev.panode.solvers;

/**
 * A read-only view of the step just accepted, handed to a {@link StepObserver}. The arrays are the solver's own
 * buffers, valid only during the callback: read them, copy what must be kept, never write them.
 *
 * <p>For a Runge–Kutta method ({@code method() instanceof RungeKutta}): {@code stages()[i]} holds k_i and
 * {@code stageInputs()[i]} holds Y_i = y + h Σ_j a_ij k_j (Y_0 = y), each {@code rows·dim} long, for i &lt; s. The
 * dense output in the step is {@code y + h Σ w_i(θ) k_i} with the weights of {@link RungeKutta#interpolant()}.
 */
public interface StepView {
    /** The method that took the step. */
    OdeMethod method();

    /** The time at the start of the step. */
    double t();

    /** The signed step size (negative when solving backwards). */
    double h();

    /** The time at the end of the step: {@code t() + h()}, or exactly the landing time (t1 or a tstop). */
    double tEnd();

    /** The state at the start of the step, {@code rows·dim} values. */
    double[] yBefore();

    /** The state at the end of the step. */
    double[] yAfter();

    /** The number of samples in the batch. */
    int rows();

    /** The dimension of one sample. */
    int dim();

    /** The number of stages of the step (arrays in {@link #stages()} beyond it are scratch). */
    int stageCount();

    /** The stage derivatives k_i. */
    double[][] stages();

    /** The stage inputs Y_i, or {@code null} for methods without stages (linear multistep methods). */
    double[][] stageInputs();
}
