package dev.panode.solvers;

/** How a solve ended. Every failure carries a hint that says what to do about it. */
public enum Result {
    /** The solve reached t1. */
    SUCCESSFUL(""),
    /** The step budget ran out before t1. */
    MAX_STEPS_REACHED("raise maxSteps or loosen rtol/atol; if the steps are tiny the problem may be stiff"),
    /** The controller needed a step smaller than dtMin (or one that no longer changes t). */
    DT_MIN_REACHED("lower dtMin or loosen rtol/atol; a collapsing step size often means stiffness or a singularity"),
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
        return name() + ": " + what + "; " + hint;
    }

    /** True for {@link #SUCCESSFUL}. */
    public boolean isSuccess() {
        return this == SUCCESSFUL;
    }
}
