package dev.panode.solvers;

/**
 * How a solve ended. Every failure carries a hint that says what to do about it; the solver's messages end with a hint
 * fitted to the solve (for {@link #DT_MIN_REACHED}: where the solution may blow up, and dtMin only when it is above 0).
 */
public enum Result {
    /** The solve reached t1. */
    SUCCESSFUL(""),
    /** The step budget ran out before t1. */
    MAX_STEPS_REACHED("raise maxSteps or loosen rtol/atol; if the steps are tiny the problem may be stiff"),
    /** The controller needed a step smaller than dtMin (or one that no longer changes t). */
    DT_MIN_REACHED("a collapsing step size means a singularity (the solution may blow up there) or stiffness; "
            + "loosen rtol/atol, or lower dtMin if it is above 0"),
    /** The state or the field became NaN or infinite and shrinking the step did not help. */
    NONFINITE_STATE("check the vector field for overflow or a finite-time blow-up, lower dtMax, or use a smaller fixed step"),
    /** An argument was invalid; the message names it and its value. */
    INVALID_ARGUMENT("fix the argument named in the message");

    private final String hint;

    Result(String hint) {
        this.hint = hint;
    }

    /** What to do about this result. */
    public String hint() {
        return hint;
    }

    /** The message of a failure: the code, what happened and the hint. */
    String describe(String what) {
        return describe(what, hint);
    }

    /** The message of a failure with advice fitted to the solve instead of the general hint. */
    String describe(String what, String advice) {
        return name() + ": " + what + "; " + advice;
    }

    /** True for {@link #SUCCESSFUL}. */
    public boolean isSuccess() {
        return this == SUCCESSFUL;
    }
}
