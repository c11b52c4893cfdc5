package dev.panode.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The launcher of the Spark commands: {@code panode ensemble}, {@code panode train-spark} and
 * {@code panode spark-bench}. The {@code panode} script starts it with the spark module's class path and Spark's JVM
 * flags, so that the {@code cli} module (what a library user embeds) never carries Spark.
 */
@Command(name = "panode",
        mixinStandardHelpOptions = true,
        description = "panode on Apache Spark: ensembles and data-parallel training.",
        subcommands = {
                EnsembleCommand.class,
                TrainSparkCommand.class,
                SparkBenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class SparkMain implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: print the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with every subcommand registered. */
    public static CommandLine commandLine() {
        return new CommandLine(new SparkMain()).setExecutionExceptionHandler(SparkMain::reportFailure);
    }

    /** Expected failures (a bad file or value, a failed solve or training) as one line, never a stack trace. */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)
                && !(cause instanceof java.io.IOException) && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        commandLine.getErr().println("panode " + commandLine.getCommandName() + ": " + message.lines().findFirst().orElse(""));
        commandLine.getErr().flush();
        return 1;
    }

    /** Runs a command; Spark's own logging is kept to warnings unless a log4j2 configuration is given. */
    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "panode-spark-log4j2.properties");
        }
        System.exit(commandLine().execute(args));
    }
}
