package dev.panode.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * The solution of one {@link EnsembleRow}.
 *
 * @param id       the row's id
 * @param times    the save times reached (all of the row's grid on success, a prefix on failure)
 * @param states   {@code states[i]} = y({@code times[i]}), length dim each
 * @param nfe      vector-field evaluations that included this row (as a solve of this row alone reports)
 * @param accepted accepted steps
 * @param rejected rejected steps
 * @param result   {@code SUCCESSFUL} or a failure code: a solver {@link dev.panode.solvers.Result} name
 *                 ({@code MAX_STEPS_REACHED}, {@code DT_MIN_REACHED}, {@code NONFINITE_STATE},
 *                 {@code INVALID_ARGUMENT}) or {@code EXCEPTION} for an unexpected error in this row
 * @param message  the failure's explanation ({@code ""} on success)
 */
public record EnsembleResult(long id, double[] times, double[][] states, long nfe, long accepted, long rejected,
                             String result, String message) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The code of a row that failed with an exception other than a solver result. */
    public static final String EXCEPTION = "EXCEPTION";

    /** True when the row was solved over its whole grid. */
    public boolean isSuccess() {
        return "SUCCESSFUL".equals(result);
    }

    static EnsembleResult failed(long id, String result, String message) {
        return new EnsembleResult(id, new double[0], new double[0][], 0, 0, 0, result, message);
    }
}
