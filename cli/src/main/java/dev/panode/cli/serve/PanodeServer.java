package dev.panode.cli.serve;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * {@code panode serve}: the neural-ODE solvers and gradients as a JSON service over HTTP/1.1 with keep-alive
 * (Jetty 12's core server, no servlets). Requests are read without blocking a thread and handed to a fixed pool of
 * {@link ServeConfig#workers()} solver threads behind a bounded queue; every limit of {@link ServeConfig} is
 * enforced before work starts. docs/SERVE.md documents the endpoints, the formats and the limits.
 *
 * <pre>{@code
 * try (PanodeServer server = PanodeServer.start(ServeConfig.defaults().withAddress("127.0.0.1", 0))) {
 *     URI base = server.uri();   // POST base.resolve("/v1/solve") ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully: no new connections, requests in flight are answered (up to
 * {@link ServeConfig#shutdownTimeout()}), then the workers stop. The command installs it as the SIGTERM hook.
 */
public final class PanodeServer implements AutoCloseable {
    /** Jetty logs through SLF4J to java.util.logging; only its warnings are of interest here. */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");
    /**
     * Idle I/O buffers kept for reuse, at most, of each kind (heap and direct): 16 MiB, or 1/16 of the maximum heap
     * if that is less. Jetty's default keeps up to 1/8 of the maximum heap of each.
     */
    static final long BUFFER_POOL_BYTES = Math.min(16L << 20, Runtime.getRuntime().maxMemory() / 16);

    static {
        JETTY_LOG.setLevel(Level.WARNING);
    }

    private final ServeConfig config;
    private final Server server;
    private final ServerConnector connector;
    private final HttpThreads.Workers workers;
    private final ServeMetrics metrics;
    private final ModelRegistry models;
    private final ApiHandler api;

    private PanodeServer(ServeConfig config) throws IOException {
        this.config = config;
        this.metrics = new ServeMetrics();
        this.models = new ModelRegistry(config);
        this.workers = workerPool(config);
        this.server = new Server(new HttpThreads(Math.max(16, 4 * config.workers()), 4, workers), null, bufferPool());
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendDateHeader(false);
        // One selector per worker: a small solve runs on the selector thread that read it (ApiHandler), so as many
        // selectors as workers keep every core solving; one acceptor thread blocks in accept().
        this.connector = new ServerConnector(server, 1, config.workers(), new HttpConnectionFactory(hc));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.readTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        this.api = new ApiHandler(config, metrics, models, workers);
        connector.addBean(api);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(config.hardConnectionLimit(), connector));
        server.setHandler(new GracefulHandler(api));
        server.setErrorHandler(new JsonErrorHandler(metrics));
        server.setStopTimeout(config.shutdownTimeout().toMillis());
        metrics.gauge("panode_worker_queue_depth", api::queued);
        metrics.gauge("panode_workers", config::workers);
        metrics.gauge("panode_open_connections", api::openConnections);
        metrics.gauge("panode_models_loaded", models::size);
    }

    /** Starts a server; with port 0 the operating system picks a free port ({@link #port()}). */
    public static PanodeServer start(ServeConfig config) throws Exception {
        PanodeServer s = new PanodeServer(config);
        try {
            s.server.start();
        } catch (Exception e) {
            s.workers.shutdownNow();
            try {
                s.server.stop();
            } catch (Exception ignored) {
                // the start failure is the one to report
            }
            throw e;
        }
        return s;
    }

    /**
     * Jetty's buffer pool (buffers of 4 KiB to 64 KiB in steps of 4 KiB; larger ones are not pooled) holding at most
     * {@link #BUFFER_POOL_BYTES} of idle buffers of each kind: enough for a few hundred requests in flight at once,
     * and beyond it buffers are released to the garbage collector instead of being kept after a burst.
     */
    static ArrayByteBufferPool bufferPool() {
        return new ArrayByteBufferPool(0, -1, -1, Integer.MAX_VALUE, BUFFER_POOL_BYTES, BUFFER_POOL_BYTES);
    }

    ArrayByteBufferPool byteBufferPool() {
        return (ArrayByteBufferPool) server.getByteBufferPool();
    }

    private static HttpThreads.Workers workerPool(ServeConfig config) {
        // Admission (503 when every slot is busy and --queue requests wait) is SolverSlots'; this queue only has to
        // hold what it admits: the waiting requests plus one per worker that has not yet taken its task, and the
        // connections' resumptions that HttpThreads queues here (at most one per open connection).
        BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(config.queueCapacity() + config.workers()
                + config.hardConnectionLimit());
        return new HttpThreads.Workers(config.workers(), queue);
    }

    /** Loads a model at start-up from any readable file (the operator's {@code --load NAME=FILE}). */
    public void preload(String name, Path file) throws IOException {
        models.preload(name, file);
    }

    /** The port the server listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        return URI.create("http://" + config.host() + ":" + port() + "/");
    }

    /** The configuration the server runs with. */
    public ServeConfig config() {
        return config;
    }

    ServeMetrics metrics() {
        return metrics;
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Graceful shutdown: stops accepting, answers the requests in flight (waiting up to the shutdown timeout), then
     * stops the workers. Idempotent.
     */
    @Override
    public synchronized void close() {
        try {
            if (!server.isStopped()) server.stop();
        } catch (Exception e) {
            System.getLogger("dev.panode.serve").log(System.Logger.Level.WARNING, "panode serve: stopping", e);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
