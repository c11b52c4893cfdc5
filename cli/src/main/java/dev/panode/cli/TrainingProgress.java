package dev.panode.cli;

import dev.panode.adjoint.training.Trainer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: on a terminal, a live progress bar (me.tongfei progressbar, on JLine) with the iteration,
 * the loss, the NFE forward/backward of the last iteration and the ETA; otherwise (a pipe, a file, a CI log) plain
 * lines, about twenty per run.
 */
final class TrainingProgress implements Trainer.Listener, AutoCloseable {
    private final ProgressBar bar;
    private final PrintStream plain;
    private final int every;

    private TrainingProgress(ProgressBar bar, PrintStream plain, int iterations) {
        this.bar = bar;
        this.plain = plain;
        this.every = Math.max(1, iterations / 20);
    }

    /** A bar when {@code out} is the standard output of an interactive terminal, plain lines otherwise. */
    static TrainingProgress create(String task, int iterations, PrintStream out) {
        boolean terminal = out == System.out && System.console() != null && System.console().isTerminal();
        if (!terminal) return new TrainingProgress(null, out, iterations);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(iterations)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(100)
                .setMaxRenderedLength(120)
                .build();
        return new TrainingProgress(bar, null, iterations);
    }

    /** Plain lines to {@code out}, whatever it is. */
    static TrainingProgress plain(int iterations, PrintStream out) {
        return new TrainingProgress(null, out, iterations);
    }

    @Override
    public void afterIteration(Trainer.Iteration it) {
        String stats = String.format(Locale.ROOT, "loss %.3e  NFE fwd/bwd %d/%d", it.loss(), it.nfeForward(),
                it.nfeBackward());
        if (bar != null) {
            bar.setExtraMessage(stats);
            bar.stepTo(it.iteration());
            return;
        }
        if (it.iteration() % every == 0 || it.iteration() == it.iterations() || it.iteration() == 1) {
            double elapsed = it.elapsedNanos() / 1e9;
            double eta = elapsed / it.iteration() * (it.iterations() - it.iteration());
            plain.printf(Locale.ROOT, "iter %5d/%d  %s  elapsed %s  ETA %s%n", it.iteration(), it.iterations(), stats,
                    clock(elapsed), clock(eta));
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }

    static String clock(double seconds) {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        return String.format(Locale.ROOT, "%d:%02d.%01d", d.toMinutes(), d.toSecondsPart(), d.toMillisPart() / 100);
    }
}
