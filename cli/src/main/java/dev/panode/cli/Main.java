package dev.panode.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code panode} command. */
@Command(name = "panode", mixinStandardHelpOptions = true,
        description = "Neural ODE solvers and gradients on CPU.",
        subcommands = {DemoCommand.class, SolveCommand.class, GradCommand.class, LeapfrogCommand.class})
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
