package dev.panode.cli;

import dev.panode.adjoint.gradients.GradientCheck;
import dev.panode.adjoint.gradients.GradientMethod;
import dev.panode.adjoint.models.DifferentiableField;
import dev.panode.solvers.RungeKutta;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code panode check --problem FILE}: every applicable gradient method against central finite differences and
 * against each other ({@link GradientCheck}), a table and a verdict; exit 3 when a method disagrees beyond its
 * expected accuracy.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Check the gradients of a problem file's neural ODE: every gradient method against central finite "
                    + "differences along random directions of the parameters and of z0, and against each other.",
            "",
            "Prints a table of relative errors with each method's bound and a verdict. The bound comes from the solve's "
                    + "tolerances (100 × max(rtol, atol)) or, with fixed steps, from the discretisation error, plus the "
                    + "finite differences' own estimated error. Same problem file and options as panode grad.",
            "",
            "Exit status: 0 when every method passes, 3 when one disagrees, 1 on bad input or a failed solve."})
final class CheckCommand extends ProblemCommand {
    /** The exit status of a failed check. */
    static final int FAILED = 3;

    @Option(names = "--gradient", paramLabel = "NAME", split = ",",
            description = "Methods to check (repeat or separate with commas): backprop, adjoint, adjoint-seminorm, "
                    + "interpolating, interpolating-seminorm (default: backprop, adjoint, adjoint-seminorm, interpolating)")
    List<String> gradients = new ArrayList<>();

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "final",
            description = "final or multi (default: ${DEFAULT-VALUE})")
    String loss = "final";

    @Option(names = "--directions", paramLabel = "N", defaultValue = "3",
            description = "Random directions along the parameters and along z0 (default: ${DEFAULT-VALUE})")
    int directions = 3;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the random directions (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        try {
            ProblemFile p = problem.read();
            return check(p.model(), p, spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Checks {@code field} on the problem's z0, times and options; prints the table and returns the exit status. */
    int check(DifferentiableField field, ProblemFile p, PrintWriter out) {
        JsonInterface.requireIncreasingTimes(p, "check");
        if (directions < 1) throw new IllegalArgumentException("--directions must be >= 1, got " + directions);
        RungeKutta m = Numerics.method(solver.method);
        List<GradientMethod> methods = new ArrayList<>();
        for (String g : gradients) methods.add(Numerics.gradientMethod(GradientChoice.parse(g)));
        if (methods.isEmpty()) methods = GradientCheck.applicableMethods(m);
        GradientCheck.Report report = GradientCheck.run(new GradientCheck.Problem(field, p.z0(), p.batch(), p.t(),
                JsonInterface.loss(loss), m, Numerics.options(solver, m)), methods, directions, seed);
        out.print(report.table());
        out.flush();
        return report.passed() ? 0 : FAILED;
    }
}
