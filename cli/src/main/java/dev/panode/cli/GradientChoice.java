package dev.panode.cli;

/** The gradient methods the command line offers, as named on the command line. */
public enum GradientChoice {
    /** Backpropagation through the solver's steps: the exact gradient of the numerical solution. */
    BACKPROP("backprop"),
    /** The continuous adjoint of Chen et al. 2018, solved backwards with the state y ("backsolve"). */
    ADJOINT("adjoint"),
    /** The same with the seminorm of Kidger, Chen &amp; Lyons 2021 (parameter adjoint left out of step control). */
    ADJOINT_SEMINORM("adjoint-seminorm"),
    /** The continuous adjoint reading y from forward checkpoints instead of solving it backwards. */
    INTERPOLATING("interpolating"),
    /** The interpolating adjoint with the seminorm. */
    INTERPOLATING_SEMINORM("interpolating-seminorm");

    final String cliName;

    GradientChoice(String cliName) {
        this.cliName = cliName;
    }

    /** The choice of a command-line name (case-insensitive; the enum constant's name is accepted too). */
    public static GradientChoice parse(String s) {
        for (GradientChoice g : values()) if (g.cliName.equalsIgnoreCase(s) || g.name().equalsIgnoreCase(s)) return g;
        throw new IllegalArgumentException("--gradient must be one of backprop, adjoint, adjoint-seminorm, "
                + "interpolating, interpolating-seminorm; got " + s);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
