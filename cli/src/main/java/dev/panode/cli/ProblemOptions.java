package dev.panode.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The problem-file options shared by {@code solve}, {@code grad} and {@code check}: the problem and an optional model override. */
final class ProblemOptions {
    @Option(names = "--problem", required = true, paramLabel = "FILE",
            description = "The problem (JSON); - reads it from standard input")
    Path problem;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Take the model from this file (e.g. model.json written by panode demo) instead of the "
                    + "problem's \"model\"")
    Path model;

    /** Reads the problem file, with the model taken from {@code --model} when given. */
    ProblemFile read() throws IOException {
        return ProblemFile.read(problem, model);
    }
}
