package dev.panode.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the test JVM, shared by every Spark test class: local[2], no UI, the driver on the
 * loopback address, two shuffle partitions. Started on first use (a few seconds), stopped when the JVM exits.
 */
final class SparkTestSession {
    private SparkTestSession() {}

    private static SparkSession session;

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSessions.builder("local[2]", "panode-tests")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "spark-test-session-stop"));
        }
        return session;
    }

    static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(get().sparkContext());
    }
}
