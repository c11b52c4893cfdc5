package dev.panode.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for running panode jobs inside one JVM (the {@code panode ensemble} launcher, tests, benchmarks):
 * the web UI off and the driver bound to the loopback address, so that nothing listens on the machine's network.
 * On a real cluster {@code spark-submit} makes the session instead (see docs/SPARK.md).
 */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * A builder for a session on {@code master} (e.g. {@code local[2]}), named {@code appName}; for a {@code local}
     * master the driver is bound to 127.0.0.1 and the UI is off.
     */
    public static SparkSession.Builder local(String master, String appName) {
        if (master == null || master.isBlank()) throw new IllegalArgumentException("master must be non-blank, got " + master);
        SparkSession.Builder b = SparkSession.builder().master(master).appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return b;
    }
}
