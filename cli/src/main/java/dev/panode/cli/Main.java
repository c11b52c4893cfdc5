package dev.panode.cli;

import java.util.List;
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
        footer = {"", "panode bench: the JMH suite and its regression gate, a launcher of its own (panode bench --help).",
                "panode ensemble, train-spark, spark-bench: Apache Spark jobs, from the spark module's launcher (docs/SPARK.md)."})
public final class Main implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            DemoCommand.class,
            SolveCommand.class,
            GradCommand.class,
            CheckCommand.class,
            ServeCommand.class,
            LeapfrogCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            InfoCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    CommandSpec spec;

    /** Without a subcommand: print the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand registered, for tests and embedding. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand other than {@code help}, only
     * that one is registered (the others' options are never read: picocli builds every registered command's model
     * by reflection up front, about a tenth of a second of a short command's start-up); otherwise all of them, as
     * {@link #commandLine()}.
     */
    static CommandLine commandLineFor(String[] args) {
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                Command command = c.getAnnotation(Command.class);
                if (c == CommandLine.HelpCommand.class) continue;
                if (command.name().equals(args[0]) || List.of(command.aliases()).contains(args[0])) {
                    return commandLine(List.of(c));
                }
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : subcommands) cl.addSubcommand(c);
        return cl.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportFailure);
    }

    /**
     * Expected failures as one line on standard error, never a stack trace and never the usage: invalid data or
     * option values ({@link IllegalArgumentException}: exit code 2, picocli's usage-error code); a missing or
     * malformed file, a solve that failed with its result code, a loss that overflowed, a checkpoint budget too small
     * (exit code 1). A step budget that ran out names {@code --max-steps}.
     */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) throws Exception {
        int exit;
        if (e instanceof IllegalArgumentException) {
            exit = commandLine.getCommandSpec().exitCodeOnInvalidInput();
        } else if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof dev.panode.solvers.SolveException
                || e instanceof dev.panode.adjoint.gradients.CheckpointBudgetExceededException
                || e instanceof dev.panode.adjoint.gradients.NonFiniteLossException) {
            exit = 1;
        } else {
            throw e;
        }
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + oneLine(e));
        commandLine.getErr().flush();
        return exit;
    }

    /** The message on one line; the library's "maxSteps" is the command line's {@code --max-steps}. */
    static String oneLine(Exception e) {
        String m = String.valueOf(e.getMessage()).replace('\n', ' ');
        if (e instanceof dev.panode.solvers.SolveException se
                && se.result() == dev.panode.solvers.Result.MAX_STEPS_REACHED) {
            m = m.replace("reached maxSteps = ", "reached --max-steps = ").replace("raise maxSteps", "raise --max-steps");
        }
        return m;
    }

    public static void main(String[] args) {
        System.exit(commandLineFor(args).execute(args));
    }
}
