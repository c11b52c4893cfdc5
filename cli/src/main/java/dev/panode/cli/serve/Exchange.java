package dev.panode.cli.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.cli.ProblemFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its response: answers exactly once (from whichever thread gets there first: the body reader, its
 * deadline, or a worker), records the status, latency and error kind, and completes Jetty's callback.
 */
final class Exchange {
    private static final String APPLICATION_JSON = "application/json";
    private static final HttpField JSON_CONTENT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, APPLICATION_JSON);
    /** Longest message sent back: a message may quote part of the request. */
    private static final int MAX_MESSAGE = 400;

    final Request request;
    private final Response response;
    private final Callback callback;
    private final ServeMetrics metrics;
    private final long startNanos;
    private final AtomicBoolean answered = new AtomicBoolean();
    /** The endpoint the request was routed to, null until then (the metrics label it {@value Route#OTHER}). */
    volatile Route route;

    Exchange(Request request, Response response, Callback callback, ServeMetrics metrics) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.metrics = metrics;
        this.startNanos = System.nanoTime();
        metrics.started();
    }

    /** When the request arrived (its handling began), {@link System#nanoTime()}. */
    long startNanos() {
        return startNanos;
    }

    boolean answered() {
        return answered.get();
    }

    void json(int status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = ProblemFile.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response tree did not serialise", e);
        }
        if (!answered.compareAndSet(false, true)) return;
        send(status, APPLICATION_JSON, ByteBuffer.wrap(bytes), false, null, null);
    }

    /** Answers with the JSON in {@code body}, released once written (or once the exchange proves answered). */
    void json(int status, ResponseBuffers.Buffer body) {
        if (!answered.compareAndSet(false, true)) {
            body.release();
            return;
        }
        send(status, APPLICATION_JSON, body.out.buffer(), false, null, body);
    }

    void text(int status, String contentType, String body) {
        if (!answered.compareAndSet(false, true)) return;
        send(status, contentType, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), false, null, null);
    }

    /**
     * Answers with an error body {@code {"error": {"status", "kind", "field", "message", "result"}}}. A client that
     * went away gets nothing; a 408, a 413 or a refused connection is answered and the connection closed; a 503
     * carries {@code Retry-After: 1}.
     */
    void error(ApiError e) {
        if (!answered.compareAndSet(false, true)) return;
        metrics.error(e.kind);
        if (e.kind == ApiError.Kind.CLIENT_DISCONNECTED) {
            metrics.finished(route, e.status(), System.nanoTime() - startNanos);
            callback.failed(new ClientGone(e.getMessage(), null));
            return;
        }
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        root.set("error", errorBody(e));
        byte[] bytes;
        try {
            bytes = ProblemFile.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException x) {
            bytes = "{\"error\":{\"kind\":\"internal\"}}".getBytes(StandardCharsets.UTF_8);
        }
        boolean close = e.kind == ApiError.Kind.READ_TIMEOUT || e.kind == ApiError.Kind.BODY_TOO_LARGE
                || e.kind == ApiError.Kind.TOO_MANY_CONNECTIONS;
        String allow = e.kind == ApiError.Kind.METHOD_NOT_ALLOWED ? Route.allowed(request.getHttpURI().getPath()) : null;
        send(e.status(), APPLICATION_JSON, ByteBuffer.wrap(bytes), close, allow, null);
    }

    /** The error object (without the {@code "error"} wrapper). */
    static ObjectNode errorBody(ApiError e) {
        ObjectNode o = ProblemFile.MAPPER.createObjectNode();
        o.put("status", e.status());
        o.put("kind", e.kind.label());
        if (e.field != null) o.put("field", e.field);
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.length() > MAX_MESSAGE) m = m.substring(0, MAX_MESSAGE) + "…";
        o.put("message", m);
        if (e.result != null) o.put("result", e.result);
        return o;
    }

    /**
     * The failure handed to Jetty when the client is gone: already counted, so {@link JsonErrorHandler} does not
     * count Jetty's attempt to answer it again.
     */
    static final class ClientGone extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        ClientGone(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void send(int status, String contentType, ByteBuffer body, boolean close, String allow,
                      ResponseBuffers.Buffer buffer) {
        response.setStatus(status);
        HttpFields.Mutable h = response.getHeaders();
        if (contentType == APPLICATION_JSON) h.put(JSON_CONTENT_TYPE);
        else h.put(HttpHeader.CONTENT_TYPE, contentType);
        h.put(HttpHeader.CONTENT_LENGTH, body.remaining());
        if (close) h.put(HttpHeader.CONNECTION, "close");
        if (status == 503) h.put(HttpHeader.RETRY_AFTER, "1");
        if (allow != null) h.put(HttpHeader.ALLOW, allow);
        response.write(true, body, new Callback() {
            @Override
            public void succeeded() {
                if (buffer != null) buffer.release();
                metrics.finished(route, status, System.nanoTime() - startNanos);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                if (buffer != null) buffer.release();
                metrics.error(ApiError.Kind.CLIENT_DISCONNECTED);
                metrics.finished(route, ApiError.Kind.CLIENT_DISCONNECTED.status, System.nanoTime() - startNanos);
                callback.failed(new ClientGone("the response could not be written", x));
            }
        });
    }
}
