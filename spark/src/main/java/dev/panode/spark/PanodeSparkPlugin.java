package dev.panode.spark;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * panode's executor plugin ({@code spark.plugins=dev.panode.spark.PanodeSparkPlugin}): when an executor starts it
 * sets OpenBLAS to one thread per task ({@code ExecutorSetup}); when it stops it closes the workspaces its task
 * threads kept ({@code ThreadWorkspaces}), freeing the gradient sessions' off-heap checkpoint memory at once.
 * {@link SparkSessions#builder}, and so every panode command, adds it (executors take it from the driver's
 * configuration); an application with its own session passes {@code --conf spark.plugins=...} (see docs/SPARK.md).
 * Without it the jobs still run: the first task prepares OpenBLAS, and the workspaces of ended threads are closed as
 * new threads come, the rest when the JVM exits. No driver component.
 */
public final class PanodeSparkPlugin implements SparkPlugin {
    private static final AtomicInteger STARTED = new AtomicInteger();

    /** Spark instantiates the plugin by name. */
    public PanodeSparkPlugin() {}

    /** None: the driver needs nothing. */
    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    /** The executor component: OpenBLAS set up on start, the task threads' workspaces closed on shutdown. */
    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext context, Map<String, String> extraConf) {
                ExecutorSetup.prepare();
                STARTED.incrementAndGet();
            }

            @Override
            public void shutdown() {
                ThreadWorkspaces.closeAll();
            }
        };
    }

    /** Executors of this JVM that started with the plugin (in {@code local} mode: one per session). */
    static int executorsStarted() {
        return STARTED.get();
    }
}
