package dev.panode.cli.serve;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of {@code panode serve}: the address, the worker pool, and the limits that keep one request from
 * harming the others (docs/SERVE.md lists each with its default and the status it answers with).
 *
 * @param host               the address to bind, 127.0.0.1 by default (loopback only)
 * @param port               the TCP port; 0 picks a free one (tests)
 * @param workers            solver threads, each with its own workspace; the machine's cores by default
 * @param queueCapacity      requests that may wait for a worker; beyond it the service answers 503
 * @param maxConnections     open connections served; a request on a connection beyond it is answered 503 and the
 *                           connection closed, and beyond {@link #hardConnectionLimit()} none are accepted
 * @param maxBodyBytes       the largest request body (413 beyond)
 * @param readTimeout        how long a request may take to arrive, and how long a connection may stay silent
 *                           (408 and closed beyond)
 * @param maxRowsTimesWidth  the largest batch rows × widest layer (the model's dim included) of one problem (422)
 * @param maxSteps           the step budget of one solve (accepted + rejected); a request may ask for less. A solve
 *                           that exhausts it is answered with its partial solution and {@code MAX_STEPS_REACHED}
 * @param maxSavePoints      the most save times {@code t} of one problem (422)
 * @param maxOutputValues    the most numbers in one problem's states, save times × rows × dim (422)
 * @param maxBatchProblems   the most problems in one batch request (422)
 * @param maxModels          the most models loaded at once (422)
 * @param checkpointBytes    memory for the forward states of one gradient request (off-heap in float64, on the
 *                           heap for float32 backprop and the float32 interpolating adjoint; binomial
 *                           checkpointing, or thinned states with replayed segments, beyond it)
 * @param modelDir           the only folder models may be loaded from by path; null disables loading by path
 * @param shutdownTimeout    how long a graceful shutdown waits for requests in flight
 */
public record ServeConfig(String host, int port, int workers, int queueCapacity, int maxConnections, int maxBodyBytes,
                          Duration readTimeout, int maxRowsTimesWidth, long maxSteps, int maxSavePoints,
                          long maxOutputValues, int maxBatchProblems, int maxModels, long checkpointBytes,
                          Path modelDir, Duration shutdownTimeout) {

    /** Checks every setting; the message names the option and its value. */
    public ServeConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--host must be an address, got " + host);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        positive("--workers", workers);
        if (queueCapacity < 0) throw new IllegalArgumentException("--queue must be >= 0, got " + queueCapacity);
        positive("--max-connections", maxConnections);
        positive("--max-body-bytes", maxBodyBytes);
        positive("--max-rows-width", maxRowsTimesWidth);
        positive("--max-steps", maxSteps);
        if (maxSavePoints < 2) throw new IllegalArgumentException("--max-save-points must be >= 2, got " + maxSavePoints);
        positive("--max-output-values", maxOutputValues);
        positive("--max-batch", maxBatchProblems);
        positive("--max-models", maxModels);
        positive("--checkpoint-bytes", checkpointBytes);
        duration("--read-timeout", readTimeout);
        duration("--shutdown-timeout", shutdownTimeout);
    }

    /** The defaults: 127.0.0.1, port 8080, one worker per core (docs/SERVE.md). */
    public static ServeConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServeConfig("127.0.0.1", 8080, cores, 64 * cores, 1024, 4 << 20, Duration.ofSeconds(10), 1 << 16,
                10_000, 10_000, 1_000_000, 256, 64, 64L << 20, null, Duration.ofSeconds(30));
    }

    /** Beyond this many open connections none are accepted (the rest wait in the operating system's backlog). */
    public int hardConnectionLimit() {
        return maxConnections + Math.max(16, maxConnections / 8);
    }

    /** A copy bound to {@code host} and {@code port}. */
    public ServeConfig withAddress(String host, int port) {
        return with(b -> {
            b.host = host;
            b.port = port;
        });
    }

    /** A copy with another worker pool. */
    public ServeConfig withWorkers(int workers, int queueCapacity) {
        return with(b -> {
            b.workers = workers;
            b.queueCapacity = queueCapacity;
        });
    }

    /** A copy with other request limits. */
    public ServeConfig withLimits(int maxBodyBytes, int maxRowsTimesWidth, long maxSteps, int maxSavePoints,
                                  long maxOutputValues, int maxBatchProblems) {
        return with(b -> {
            b.maxBodyBytes = maxBodyBytes;
            b.maxRowsTimesWidth = maxRowsTimesWidth;
            b.maxSteps = maxSteps;
            b.maxSavePoints = maxSavePoints;
            b.maxOutputValues = maxOutputValues;
            b.maxBatchProblems = maxBatchProblems;
        });
    }

    /** A copy with other connection settings. */
    public ServeConfig withConnections(int maxConnections, Duration readTimeout) {
        return with(b -> {
            b.maxConnections = maxConnections;
            b.readTimeout = readTimeout;
        });
    }

    /** A copy with another model folder (null: no loading by path) and model count. */
    public ServeConfig withModels(Path modelDir, int maxModels) {
        return with(b -> {
            b.modelDir = modelDir;
            b.maxModels = maxModels;
        });
    }

    /** A copy with another memory budget for one gradient request's forward states. */
    public ServeConfig withCheckpointBytes(long checkpointBytes) {
        return with(b -> b.checkpointBytes = checkpointBytes);
    }

    private ServeConfig with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The fields of a configuration being changed; {@link #build()} checks them. */
    private static final class Builder {
        String host;
        int port, workers, queueCapacity, maxConnections, maxBodyBytes, maxRowsTimesWidth, maxSavePoints,
                maxBatchProblems, maxModels;
        long maxSteps, maxOutputValues, checkpointBytes;
        Duration readTimeout, shutdownTimeout;
        Path modelDir;

        Builder(ServeConfig c) {
            host = c.host;
            port = c.port;
            workers = c.workers;
            queueCapacity = c.queueCapacity;
            maxConnections = c.maxConnections;
            maxBodyBytes = c.maxBodyBytes;
            readTimeout = c.readTimeout;
            maxRowsTimesWidth = c.maxRowsTimesWidth;
            maxSteps = c.maxSteps;
            maxSavePoints = c.maxSavePoints;
            maxOutputValues = c.maxOutputValues;
            maxBatchProblems = c.maxBatchProblems;
            maxModels = c.maxModels;
            checkpointBytes = c.checkpointBytes;
            modelDir = c.modelDir;
            shutdownTimeout = c.shutdownTimeout;
        }

        ServeConfig build() {
            return new ServeConfig(host, port, workers, queueCapacity, maxConnections, maxBodyBytes, readTimeout,
                    maxRowsTimesWidth, maxSteps, maxSavePoints, maxOutputValues, maxBatchProblems, maxModels,
                    checkpointBytes, modelDir, shutdownTimeout);
        }
    }

    private static void positive(String name, long v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }

    private static void duration(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
