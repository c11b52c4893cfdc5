package dev.panode.solvers;

/**
 * Sees every accepted step of a float32 solve ({@link Solver#solveInto(FloatField, float[], int, double, double,
 * OdeMethod, SolveOptions, SolverWorkspaceF32, float[], FloatStepObserver)}), before the solver saves inside it: what
 * a float gradient method records to reverse the solve. The arrays are the solver's live buffers: read them during
 * the call, do not keep them. Must not allocate if the solve is to allocate nothing.
 */
@FunctionalInterface
public interface FloatStepObserver {
    /**
     * An accepted step from (t, yBefore) of signed size h to (tEnd, yAfter), {@code rows·dim} values each; tEnd is
     * t + h or exactly the time the step landed on.
     */
    void onAcceptedStep(double t, double h, double tEnd, float[] yBefore, float[] yAfter);
}
