package dev.panode.cli.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.cli.InvalidFieldException;
import dev.panode.cli.ProblemFile;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes requests, reads bodies without blocking, and runs every POST under the bound of {@link SolverSlots}: a small
 * solve ({@link Computations#solveInline}) runs on the HTTP thread that read it when a slot is free and nobody
 * waits, which spares the wake-up of a worker and a context switch per request; everything else, and every request
 * that finds the slots taken, goes to the bounded worker pool, where parsing, checking, solving and writing the
 * response happen on one worker. Answers 503 at once when the queue is full or the request arrived on a connection
 * beyond the limit.
 */
final class ApiHandler extends Handler.Abstract.NonBlocking implements Connection.Listener {
    private static final System.Logger LOG = System.getLogger("dev.panode.serve");

    private final ServeConfig config;
    private final ServeMetrics metrics;
    private final ModelRegistry models;
    private final Computations computations;
    private final ThreadPoolExecutor workers;
    private final SolverSlots slots;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Set<Connection> refused = ConcurrentHashMap.newKeySet();
    private final AtomicLong incidents = new AtomicLong();

    ApiHandler(ServeConfig config, ServeMetrics metrics, ModelRegistry models, ThreadPoolExecutor workers) {
        this.config = config;
        this.metrics = metrics;
        this.models = models;
        this.workers = workers;
        this.slots = new SolverSlots(config.workers());
        this.computations = new Computations(config, metrics);
    }

    /** Requests waiting for a worker. */
    int queued() {
        return slots.waiting();
    }

    int openConnections() {
        return openConnections.get();
    }

    @Override
    public void onOpened(Connection connection) {
        if (openConnections.incrementAndGet() > config.maxConnections()) refused.add(connection);
    }

    @Override
    public void onClosed(Connection connection) {
        openConnections.decrementAndGet();
        refused.remove(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback, metrics);
        try {
            Route route = Route.of(request.getMethod(), request.getHttpURI().getPath());
            if (route == null) {
                throw new ApiError(ApiError.Kind.NOT_FOUND, null, "no endpoint " + ModelRegistry.truncate(
                        request.getHttpURI().getPath()) + "; docs/SERVE.md lists them (/v1/solve, /v1/grad, ...)");
            }
            ex.route = route;
            if (refused.contains(request.getConnectionMetaData().getConnection())) {
                throw new ApiError(ApiError.Kind.TOO_MANY_CONNECTIONS, null, "more than " + config.maxConnections()
                        + " connections are open (--max-connections); retry on a new connection later");
            }
            switch (route) {
                case HEALTH -> ex.json(200, health());
                case METRICS -> ex.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
                case LIST_MODELS -> ex.json(200, models.list());
                default -> {
                    new BodyReader(ex, config.maxBodyBytes(), (body, length, reused) -> submit(ex, route, body,
                            length, reused)).start(config.readTimeout().toMillis());
                }
            }
        } catch (ApiError e) {
            ex.error(e);
        } catch (RuntimeException e) {
            internal(ex, e);
        }
        return true;
    }

    private ObjectNode health() {
        ObjectNode o = ProblemFile.MAPPER.createObjectNode();
        o.put("status", "ok");
        o.put("workers", config.workers());
        o.put("busy", slots.busy());
        o.put("queued", queued());
        o.put("models", models.size());
        return o;
    }

    /**
     * Once the body is in (on the HTTP thread that read it): inline when small and a slot is free, else queued. The
     * body is {@code body[0, length)}; a {@code reused} array is the reader's own and must be copied to outlive this
     * call.
     */
    private void submit(Exchange ex, Route route, byte[] body, int length, boolean reused) {
        if (route == Route.SOLVE && length <= Computations.INLINE_MAX_BODY_BYTES && !workers.isShutdown()
                && !InlineTurns.of(ex.request).hadTurn(ex.startNanos()) && slots.tryInline()) {
            InlineTurns turns = InlineTurns.of(ex.request);
            long begun = System.nanoTime();
            Requests.Problem[] moved = new Requests.Problem[1];
            boolean[] tooLarge = new boolean[1];
            try {
                answer(ex, () -> {
                    ResponseBuffers.Buffer out = ResponseBuffers.claim();
                    StreamingSolve.Outcome o;
                    try {
                        o = computations.solveStreaming(body, length, true, models, out.out);
                    } catch (RuntimeException e) {
                        out.release();
                        throw e;
                    }
                    if (o == StreamingSolve.Outcome.ANSWERED) {
                        metrics.inline(true);
                        ex.json(200, out);
                        return;
                    }
                    out.release();
                    if (o == StreamingSolve.Outcome.TOO_LARGE) {
                        metrics.inline(false);
                        tooLarge[0] = true;
                        return;
                    }
                    Requests.Problem p = Requests.problem(parse(body, length), false, models, config);
                    ObjectNode tree = computations.solveInline(p);
                    metrics.inline(tree != null);
                    if (tree != null) {
                        ex.json(200, tree);
                    } else {
                        moved[0] = p;
                    }
                });
            } finally {
                slots.release();
                turns.ended(begun, System.nanoTime());
            }
            // queued only once its slot is free again, so that it may take that slot
            if (moved[0] != null) queue(ex, () -> ex.json(200, computations.solve(moved[0])));
            else if (tooLarge[0]) {
                byte[] copy = Arrays.copyOf(body, length);
                queue(ex, () -> work(ex, route, copy, copy.length));
            }
        } else {
            byte[] own = reused ? Arrays.copyOf(body, length) : body;
            queue(ex, () -> work(ex, route, own, length));
        }
    }

    /** Hands the rest of a request to the worker pool, or answers 503 if its queue is full. */
    private void queue(Exchange ex, Task task) {
        if (!slots.tryQueue(config.queueCapacity())) {
            ex.error(workers.isShutdown()
                    ? new ApiError(ApiError.Kind.SHUTTING_DOWN, null, "the service is shutting down")
                    : queueFull());
            return;
        }
        try {
            workers.execute(() -> {
                slots.acquireQueued();
                try {
                    answer(ex, task);
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.dequeued();
            ex.error(workers.isShutdown()
                    ? new ApiError(ApiError.Kind.SHUTTING_DOWN, null, "the service is shutting down")
                    : queueFull());
        }
    }

    private ApiError queueFull() {
        return new ApiError(ApiError.Kind.QUEUE_FULL, null, "all " + config.workers() + " workers are busy and "
                + config.queueCapacity() + " requests wait (--queue); retry later");
    }

    /** On a worker: parse, check, compute, answer. */
    private void work(Exchange ex, Route route, byte[] body, int length) {
        if (route == Route.SOLVE) {
            ResponseBuffers.Buffer out = ResponseBuffers.claim();
            boolean answered = false;
            try {
                answered = computations.solveStreaming(body, length, false, models, out.out)
                        == StreamingSolve.Outcome.ANSWERED;
            } finally {
                if (!answered) out.release();
            }
            if (answered) {
                ex.json(200, out);
                return;
            }
        }
        JsonNode json = parse(body, length);
        switch (route) {
            case SOLVE -> ex.json(200, computations.solve(Requests.problem(json, false, models, config)));
            case GRAD -> ex.json(200, computations.gradient(Requests.problem(json, true, models, config)));
            case SOLVE_BATCH -> ex.json(200, computations.batch(Requests.batch(json, false, models, config), false));
            case GRAD_BATCH -> ex.json(200, computations.batch(Requests.batch(json, true, models, config), true));
            case LOAD_MODEL -> {
                boolean created = models.load(json);
                ex.json(created ? 201 : 200, ModelRegistry.describe(models.entry(json.get("name").asText())));
            }
            default -> throw new IllegalStateException("no worker task for " + route);
        }
    }

    /** The work that answers a request; anything it throws becomes the JSON error answer. */
    @FunctionalInterface
    private interface Task {
        void run();
    }

    /**
     * Runs a request's work unless it was answered already (a deadline, a gone client); nothing thrown reaches the
     * client as a trace.
     */
    private void answer(Exchange ex, Task task) {
        if (ex.answered()) return;
        try {
            task.run();
        } catch (ApiError e) {
            ex.error(e);
        } catch (InvalidFieldException e) {
            ex.error(Requests.invalid(e.field(), e.getMessage()));
        } catch (IllegalArgumentException e) {
            // A library check (its message names the argument and its value).
            ex.error(new ApiError(ApiError.Kind.INVALID_FIELD, null, e.getMessage()));
        } catch (Throwable e) {
            internal(ex, e);
        }
    }

    private static JsonNode parse(byte[] body, int length) {
        try {
            JsonNode json = ProblemFile.MAPPER.readTree(body, 0, length);
            if (json == null || json.isMissingNode()) {
                throw new ApiError(ApiError.Kind.MALFORMED_JSON, "body", "the body is empty; send a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ApiError(ApiError.Kind.MALFORMED_JSON, "body", "the body is not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw new ApiError(ApiError.Kind.MALFORMED_JSON, "body", "the body could not be read as JSON");
        }
    }

    /** Logs the trace on the server under an incident number; the client gets the number only. */
    private void internal(Exchange ex, Throwable e) {
        long id = incidents.incrementAndGet();
        LOG.log(System.Logger.Level.ERROR, "panode serve: internal error, incident " + id, e);
        ex.error(new ApiError(ApiError.Kind.INTERNAL, null, "internal error (incident " + id
                + " in the server's log)"));
    }
}
