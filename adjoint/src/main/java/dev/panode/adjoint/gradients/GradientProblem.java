package dev.panode.adjoint.gradients;

import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.SolveOptions;

/** The validated arguments of one {@link Gradients#compute} call. */
record GradientProblem(DifferentiableField field, double[] y0, int rows, int dim, double[] times, Loss loss,
                       OdeMethod method, SolveOptions options, boolean wantTime) {

    int n() {
        return rows * dim;
    }

    /** The observation times after t_0, the forward solve's save times. */
    double[] saveTimes() {
        return java.util.Arrays.copyOfRange(times, 1, times.length);
    }
}
