package dev.panode.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for running panode jobs inside one JVM (the {@code panode ensemble} launcher, tests, benchmarks):
 * the web UI off and the driver bound to the loopback address, so that nothing listens on the machine's network.
 * {@link PanodeSparkPlugin} is added to the session's plugins (beside any {@code spark.plugins} already set). On a real
 * cluster {@code spark-submit} makes the session instead (see docs/SPARK.md).
 */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * A builder for a session on {@code master} (e.g. {@code local[2]}), named {@code appName}. A null master takes
     * the one {@code spark-submit} set (the {@code spark.master} property), else {@code local[2]}. For a {@code local}
     * master the driver is bound to 127.0.0.1 and the UI is off. {@link PanodeSparkPlugin} joins {@code spark.plugins}.
     */
    public static SparkSession.Builder builder(String master, String appName) {
        if (master != null && master.isBlank()) throw new IllegalArgumentException("master must be non-blank, got \"" + master + "\"");
        String effective = master != null ? master : System.getProperty("spark.master", "local[2]");
        String plugins = System.getProperty("spark.plugins", "");
        String ours = PanodeSparkPlugin.class.getName();
        if (!java.util.List.of(plugins.split(",")).contains(ours)) plugins = plugins.isBlank() ? ours : plugins + "," + ours;
        SparkSession.Builder b = SparkSession.builder().appName(appName).master(effective)
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.plugins", plugins);
        if (effective.startsWith("local")) {
            b.config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return b;
    }
}
