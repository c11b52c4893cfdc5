package dev.panode.cli.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.cli.ProblemFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself (a malformed request line or headers, a request during shutdown) in the service's
 * JSON error format and counted like the others; never a stack trace or an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ServeMetrics metrics;

    JsonErrorHandler(ServeMetrics metrics) {
        this.metrics = metrics;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        ApiError.Kind kind = kindOf(status);
        if (!(request.getAttribute(ERROR_EXCEPTION) instanceof Exchange.ClientGone)) metrics.error(kind);
        byte[] body = body(status, kind, reason(status));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (status == 503) response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        ApiError.Kind kind = kindOf(status);
        metrics.error(kind);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, kind, reason == null ? reason(status) : reason));
    }

    private static ApiError.Kind kindOf(int status) {
        return switch (status) {
            case 503 -> ApiError.Kind.SHUTTING_DOWN;
            case 408 -> ApiError.Kind.READ_TIMEOUT;
            case 413 -> ApiError.Kind.BODY_TOO_LARGE;
            case 500 -> ApiError.Kind.INTERNAL;
            default -> ApiError.Kind.HTTP_PROTOCOL;
        };
    }

    private static String reason(int status) {
        return switch (status) {
            case 503 -> "the service is shutting down";
            case 431 -> "the request headers are too large";
            default -> "the request could not be read as HTTP/1.1 (status " + status + ")";
        };
    }

    private static byte[] body(int status, ApiError.Kind kind, String message) {
        ObjectNode root = ProblemFile.MAPPER.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("status", status);
        e.put("kind", kind.label());
        e.put("message", message);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
