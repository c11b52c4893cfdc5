package dev.panode.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command over a problem file, solved with the shared solver options: {@code solve}, {@code grad} and {@code check}.
 * Picocli reads a superclass's fields first, so the problem and solver options lead each command's usage, before
 * its own options.
 */
abstract class ProblemCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProblemOptions problem = new ProblemOptions();

    @Mixin
    SolverOptions solver = new SolverOptions();
}
