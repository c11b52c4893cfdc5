package dev.panode.spark.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Progress of a Spark job as plain lines: tasks finished of the running stage, with the elapsed time. */
final class TaskProgress extends SparkListener {
    private final PrintStream out;
    private final String what;
    private final long start = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private volatile int total;

    TaskProgress(PrintStream out, String what) {
        this.out = out;
        this.what = what;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        total = stage.stageInfo().numTasks();
        done.set(0);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        int d = done.incrementAndGet();
        out.printf(Locale.ROOT, "%s: %d/%d tasks done (%.1f s)%n", what, d, total, (System.nanoTime() - start) / 1e9);
        out.flush();
    }
}
