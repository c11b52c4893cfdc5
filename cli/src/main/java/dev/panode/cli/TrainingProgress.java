package dev.panode.cli;

import dev.panode.adjoint.training.Trainer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleFunction;
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
    private final DoubleFunction<String> lossText;

    private TrainingProgress(ProgressBar bar, PrintStream plain, int iterations, DoubleFunction<String> lossText) {
        this.bar = bar;
        this.plain = plain;
        this.every = Math.max(1, iterations / 20);
        this.lossText = lossText;
    }

    /** A bar when {@code out} is the standard output of an interactive terminal, plain lines otherwise. */
    static TrainingProgress create(String task, int iterations, PrintStream out) {
        return create(task, iterations, out, LOSS);
    }

    /** {@link #create(String, int, PrintStream)} with the loss shown as {@code lossText} writes it. */
    static TrainingProgress create(String task, int iterations, PrintStream out, DoubleFunction<String> lossText) {
        boolean terminal = out == System.out && System.console() != null && System.console().isTerminal();
        if (!terminal) return new TrainingProgress(null, out, iterations, lossText);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(iterations)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(100)
                .setMaxRenderedLength(120)
                .build();
        return new TrainingProgress(bar, null, iterations, lossText);
    }

    /** Plain lines to {@code out}, whatever it is. */
    static TrainingProgress plain(int iterations, PrintStream out) {
        return plain(iterations, out, LOSS);
    }

    /** Plain lines with the loss shown as {@code lossText} writes it. */
    static TrainingProgress plain(int iterations, PrintStream out, DoubleFunction<String> lossText) {
        return new TrainingProgress(null, out, iterations, lossText);
    }

    private static final DoubleFunction<String> LOSS = v -> String.format(Locale.ROOT, "loss %.3e", v);

    @Override
    public void afterIteration(Trainer.Iteration it) {
        String stats = lossText.apply(it.loss()) + String.format(Locale.ROOT, "  NFE fwd/bwd %d/%d", it.nfeForward(),
                it.nfeBackward());
        if (bar != null) {
            bar.setExtraMessage(stats);
            bar.stepTo(it.iteration());
            return;
        }
        if (printsLine(it)) {
            double elapsed = it.elapsedNanos() / 1e9;
            double eta = elapsed / it.iteration() * (it.iterations() - it.iteration());
            plain.printf(Locale.ROOT, "iter %5d/%d  %s  elapsed %s  ETA %s%n", it.iteration(), it.iterations(), stats,
                    clock(elapsed), clock(eta));
        }
    }

    /** Whether {@link #afterIteration} prints a line for {@code it} (plain lines only; never with a bar). */
    boolean printsLine(Trainer.Iteration it) {
        return bar == null && (it.iteration() % every == 0 || it.iteration() == it.iterations() || it.iteration() == 1);
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
