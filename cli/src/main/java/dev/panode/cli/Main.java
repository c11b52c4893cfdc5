package dev.panode.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code panode} command. Each subcommand is its own class, registered here; {@code --help}
 * works on every one.
 */
@Command(name = "panode",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "Neural ODEs on CPU: solve, differentiate and benchmark with the Vector API and OpenBLAS.",
        footer = {"", "panode bench: the JMH suite and its regression gate, a launcher of its own (panode bench --help)."},
        subcommands = {
                DemoCommand.class,
                SolveCommand.class,
                GradCommand.class,
                LeapfrogCommand.class,
                ImportCommand.class,
                ExportCommand.class,
                InfoCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: print the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand registered, for tests and embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportFailure);
    }

    /**
     * Expected failures (a missing or malformed file, a bad value, a solve that failed with its result code, a checkpoint
     * budget too small) as one line, not a stack trace.
     */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) throws Exception {
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof dev.panode.solvers.SolveException
                || e instanceof dev.panode.adjoint.gradients.CheckpointBudgetExceededException) {
            commandLine.getErr().println("panode " + commandLine.getCommandName() + ": " + e.getMessage());
            commandLine.getErr().flush();
            return 1;
        }
        throw e;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
