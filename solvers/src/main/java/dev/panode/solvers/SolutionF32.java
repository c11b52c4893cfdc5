package dev.panode.solvers;

import java.util.Arrays;

/**
 * The result of a float32 solve ({@link Solver#solve(OdeProblemF32, OdeMethod, SolveOptions, SolverWorkspaceF32)}):
 * the saved times (double) and states ({@code float}, flat {@code size × rows × dim}), the statistics and how the
 * solve ended. The float counterpart of {@link Solution}, without dense output. Immutable for its users.
 */
public final class SolutionF32 extends SavedSolve {
    private final float[] states;

    SolutionF32(double[] times, float[] states, int size, int rows, int dim, Stats stats, Result result,
                String message) {
        super(times, size, rows, dim, stats, result, message);
        this.states = states;
    }

    /** A copy of the i-th saved state, {@code rows·dim} values. */
    public float[] state(int i) {
        checkIndex(i);
        int n = rows * dim;
        return Arrays.copyOfRange(states, i * n, (i + 1) * n);
    }

    /** A copy of all saved states, flat {@code size() × rows × dim}. */
    public float[] states() {
        return Arrays.copyOf(states, size * rows * dim);
    }

    /** The last saved state (y(t1) when the solve succeeded). */
    public float[] lastState() {
        return state(lastIndex());
    }

    /** The same solution with every state widened to double (exactly), e.g. for {@link SolveException}. */
    public Solution widened() {
        int count = size * rows * dim;
        double[] d = new double[count];
        for (int i = 0; i < count; i++) d[i] = states[i];
        return new Solution(Arrays.copyOf(times, size), d, size, rows, dim, stats(), result(), message, null);
    }
}
