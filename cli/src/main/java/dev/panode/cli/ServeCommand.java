package dev.panode.cli;

import dev.panode.cli.serve.PanodeServer;
import dev.panode.cli.serve.ServeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code panode serve}: the JSON interface of {@code solve} and {@code grad} as a long-running HTTP service. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Serve solves and gradients over HTTP/1.1 (JSON, keep-alive) until SIGTERM or Ctrl-C.",
            "",
            "Endpoints (docs/SERVE.md): POST /v1/solve, /v1/grad, /v1/solve/batch, /v1/grad/batch, /v1/models;"
                    + " GET /v1/models, /health, /metrics (Prometheus). Requests take the problem-file fields"
                    + " (model, z0, t) and the solver options (method, steps, rtol, atol, max_steps; gradient, loss);"
                    + " responses are those of panode solve and panode grad."})
final class ServeCommand implements Callable<Integer> {
    private static final ServeConfig D = ServeConfig.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: ${DEFAULT-VALUE})",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE})",
            defaultValue = "8080")
    int port;

    @Option(names = "--workers", paramLabel = "N", description = "Solver threads (default: the cores)")
    Integer workers;

    @Option(names = "--queue", paramLabel = "N", description = "Requests that may wait for a worker; 503 beyond "
            + "(default: 64 per worker)")
    Integer queue;

    @Option(names = "--max-connections", paramLabel = "N", description = "Connections served; requests on further "
            + "ones get 503 (default: ${DEFAULT-VALUE})", defaultValue = "1024")
    int maxConnections;

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Largest request body; 413 beyond "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "4194304")
    int maxBodyBytes;

    @Option(names = "--read-timeout", paramLabel = "SECONDS", description = "Time for a request to arrive and for a "
            + "connection to stay silent; 408 beyond (default: ${DEFAULT-VALUE})", defaultValue = "10")
    double readTimeout;

    @Option(names = "--max-rows-width", paramLabel = "N", description = "Largest rows x widest layer of a problem; "
            + "422 beyond (default: ${DEFAULT-VALUE})", defaultValue = "65536")
    int maxRowsWidth;

    @Option(names = "--max-steps", paramLabel = "N", description = "Step budget of a solve; the partial solution "
            + "and MAX_STEPS_REACHED beyond (default: ${DEFAULT-VALUE})", defaultValue = "10000")
    long maxSteps;

    @Option(names = "--max-save-points", paramLabel = "N", description = "Most save times t of a problem "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "10000")
    int maxSavePoints;

    @Option(names = "--max-output-values", paramLabel = "N", description = "Most numbers of a problem's states, "
            + "save times x rows x dim (default: ${DEFAULT-VALUE})", defaultValue = "1000000")
    long maxOutputValues;

    @Option(names = "--max-batch", paramLabel = "N", description = "Most problems of a batch request "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "256")
    int maxBatch;

    @Option(names = "--max-models", paramLabel = "N", description = "Most models loaded at once "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "64")
    int maxModels;

    @Option(names = "--checkpoint-bytes", paramLabel = "N", description = "Memory for the forward states of one "
            + "gradient request, off-heap (float64) or heap (float32 backprop) (default: ${DEFAULT-VALUE})", defaultValue = "67108864")
    long checkpointBytes;

    @Option(names = "--model-dir", paramLabel = "DIR", description = "The only folder POST /v1/models may load "
            + "files from (default: none, loading by path is off)")
    Path modelDir;

    @Option(names = "--load", paramLabel = "NAME=FILE", description = "Load a model at start-up (repeatable)")
    List<String> load = new ArrayList<>();

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", description = "How long shutdown waits for "
            + "requests in flight (default: ${DEFAULT-VALUE})", defaultValue = "30")
    double shutdownTimeout;

    @Override
    public Integer call() throws Exception {
        ServeConfig config;
        try {
            config = new ServeConfig(host, port, workers == null ? D.workers() : workers,
                    queue == null ? D.queueCapacity() : queue, maxConnections, maxBodyBytes, seconds("--read-timeout",
                    readTimeout), maxRowsWidth, maxSteps, maxSavePoints, maxOutputValues, maxBatch, maxModels,
                    checkpointBytes, modelDir, seconds("--shutdown-timeout", shutdownTimeout));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PanodeServer server = PanodeServer.start(config);
        Thread hook = new Thread(server::close, "panode-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (String l : load) {
                int eq = l.indexOf('=');
                if (eq < 1) throw new ParameterException(spec.commandLine(), "--load must be NAME=FILE, got " + l);
                server.preload(l.substring(0, eq), Path.of(l.substring(eq + 1)));
            }
        } catch (RuntimeException | java.io.IOException e) {
            server.close();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("panode serve: listening on %s (workers %d, queue %d, body limit %d bytes, read timeout %s)%n",
                server.uri(), config.workers(), config.queueCapacity(), config.maxBodyBytes(), config.readTimeout());
        out.flush();
        server.join();
        return 0;
    }

    private static Duration seconds(String name, double s) {
        if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException(name + " must be > 0 seconds, got " + s);
        return Duration.ofNanos((long) (s * 1e9));
    }
}
